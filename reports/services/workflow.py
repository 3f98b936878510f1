"""State changes of a unit report: submit, withdraw, open review, return, accept — and comments.

Each runs in one transaction with the report row locked (UnitReport.WORKFLOW, workflow/transitions.py),
checks the current state and the actor, writes an append-only ReportTransition with the content as it
stood, and schedules its notifications after commit. A review opens with the reviewer's first action on
the report (a comment, a return, an acceptance), never by reading it: from then on the unit may not
withdraw the report.
"""

from django.db import transaction
from django.utils import timezone

from documents.register import register_next_number, register_record_number
from documents.stored import request_current
from workflow.errors import Refused

from .. import permissions
from ..errors import InvalidTransition, NotAllowed, SubmissionInvalid
from ..models import ReportSection, ReportTransition, ReviewComment, UnitReport
from ..parts import above_whole_message, stored_decimal
from .editing import part_objects, report_save_parts
from .notifications import notify_transition
from .snapshots import report_snapshot

Status = UnitReport.Status
Action = ReportTransition.Action
WORKFLOW = UnitReport.WORKFLOW

UNADDRESSED = (
    "Vui lòng chọn nơi nhận cho từng đề xuất, kiến nghị: Sở, UBND tỉnh và các sở, ngành của tỉnh, hay các bộ, "
    "ngành Trung ương."
)
REQUIRED_SECTIONS = (
    ReportSection.Key.HIGHLIGHTS,
    ReportSection.Key.SHORTCOMINGS,
    ReportSection.Key.NEXT_STEPS,
    ReportSection.Key.PHASE_ASSESSMENT,
    ReportSection.Key.LESSONS,
)


def _lock(report):
    # Lock the report row only: a plain FOR UPDATE over the join would also lock the period row and
    # make every unit's submission of that period wait for the others.
    return WORKFLOW.lock(report, "unit", "period")


def _move(report, *, action, actor, comment="", now=None):
    transition = WORKFLOW.apply(
        report,
        action,
        actor=actor,
        comment=comment,
        at=now,
        snapshot=report_snapshot(report),
        submission_number=report.submission_count,
    )
    notify_transition(transition)
    # What the report's files print moved with it (DỰ THẢO, the date, the signer): made again after commit.
    request_current(report)
    return transition


def validate_for_submission(report, *, confirm_over_plan=False):
    """{part_key: {field: message}} of everything that stops the report being submitted."""
    errors = {}
    for key, part in part_objects(report).items():
        if isinstance(part, ReportSection):
            if part.key in REQUIRED_SECTIONS and not part.text.strip():
                errors[key] = {"text": "Vui lòng nhập nội dung mục này."}
            if any(not item.get("to") for item in part.items or []):
                errors[key] = {"items": UNADDRESSED}
            continue
        problems = {}
        if part.assessment_id is None:
            problems["assessment"] = "Vui lòng chọn mức tự đánh giá."
        elif part.assessment.means_not_applicable:
            if not part.not_applicable_reason.strip():
                problems["not_applicable_reason"] = "Vui lòng nêu lý do tiêu chí không áp dụng với đơn vị."
        else:
            if not part.activities.strip():
                problems["activities"] = "Vui lòng nêu kết quả thực hiện tiêu chí này."
            problems.update(_quantity_problems(part, confirm_over_plan))
        if problems:
            errors[key] = problems
    return errors


def _quantity_problems(result, confirm_over_plan):
    problems = {}
    quantities = result.quantities or {}
    for indicator in result.criterion.indicators.all():
        if not indicator.is_active:
            continue
        values = {}
        for quantity in indicator.quantities:
            raw = quantities.get(quantity["key"])
            field = f"q-{quantity['key']}"
            value = stored_decimal(raw)
            if raw in (None, ""):
                problems[field] = f"Vui lòng nhập {quantity['label'].lower()}."
            elif value is None:
                problems[field] = "Vui lòng nhập một số (ví dụ 1.250.000.000)."
            elif value < 0:
                problems[field] = "Số liệu không được âm."
            else:
                values[quantity["key"]] = value
        if indicator.formula != indicator.Formula.RATIO:
            continue
        top = values.get(indicator.numerator_key)
        bottom = values.get(indicator.denominator_key)
        if top is None or bottom is None:
            continue
        if bottom == 0 and top > 0:
            problems[f"q-{indicator.denominator_key}"] = "Mẫu số bằng 0 trong khi tử số lớn hơn 0."
        elif top > bottom and not confirm_over_plan:
            # One rule for every ratio above 100%, whichever way the indicator is judged.
            problems[f"q-{indicator.numerator_key}"] = above_whole_message(indicator)
    return problems


# The key of the register number's error among a refused submission's errors (beside the parts' keys).
REGISTER_NUMBER = "register"


def report_submit(*, report, actor, edits=None, confirm_over_plan=False, register_number="", comment=""):
    """Save the last edits and submit, or change nothing at all and say what is missing.

    `comment` goes into the submission's history (what the head confirmed: texts kept from the last period).

    A unit with its own seal numbers its report: `register_number` is the number its clerk gave in the unit's
    own book (recorded in the shared register under the unit's code), or empty for the portal's next number.
    """
    with transaction.atomic():
        locked = _lock(report)
        WORKFLOW.check(locked, Action.SUBMIT)
        if not permissions.can_submit(actor, locked):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị mới được nộp báo cáo.")
        if edits:
            report_save_parts(report=locked, actor=actor, edits=edits)
        errors = validate_for_submission(locked, confirm_over_plan=confirm_over_plan)
        if errors:
            # Raising inside the atomic block rolls back the edits saved above: a refused submit changes nothing.
            raise SubmissionInvalid(errors)
        now = timezone.now()
        locked.submission_count += 1
        locked.submitted_at = now
        locked.submitted_by = actor
        if locked.unit.has_own_seal and locked.register_entry_id is None:
            # The number is taken once; a report returned and sent again keeps it.
            locked.register_entry = _unit_register_entry(locked, actor, timezone.localdate(now), register_number)
        locked.review_opened_at = None
        locked.review_opened_by = None
        if locked.status != Status.RETURNED:
            # A revision the office asked for keeps the lateness of the submission it revises;
            # a unit that withdrew its report and sends it again after the due date is late.
            locked.is_late = timezone.localdate(now) > locked.period.unit_due_date
        return _move(locked, action=Action.SUBMIT, actor=actor, comment=comment, now=now)


def _unit_register_entry(report, actor, issued_on, typed):
    """The report's entry in the unit's own register: the number its clerk typed, or the portal's next one."""
    register = {
        "issuer_code": report.unit.issuer_code,
        "type_code": "BC",
        "issued_on": issued_on,
        "summary": f"Báo cáo kết quả thực hiện Phong trào thi đua {report.period.label.lower()}",
        "actor": actor,
    }
    typed = (typed or "").strip()
    if not typed:
        return register_next_number(**register)
    if not typed.isdigit() or int(typed) < 1:
        raise SubmissionInvalid({REGISTER_NUMBER: {"number": "Số văn bản phải là số nguyên dương, ví dụ 12."}})
    try:
        return register_record_number(number=int(typed), **register)
    except Refused as refusal:
        raise SubmissionInvalid({REGISTER_NUMBER: {"number": refusal.message}}) from None


def report_withdraw(*, report, actor):
    with transaction.atomic():
        locked = _lock(report)
        if locked.review_opened_at is not None:
            raise InvalidTransition(WORKFLOW.moves[Action.WITHDRAW].refusal)
        WORKFLOW.check(locked, Action.WITHDRAW)
        if not permissions.can_withdraw(actor, locked):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị mới được rút lại báo cáo.")
        return _move(locked, action=Action.WITHDRAW, actor=actor, comment="Đơn vị rút lại để chỉnh sửa.")


def _open_review(locked, actor):
    """The reviewer's first action on a submitted report opens its review: the unit may no longer withdraw it."""
    if locked.review_opened_at is not None:
        return None
    now = timezone.now()
    locked.review_opened_at = now
    locked.review_opened_by = actor
    return WORKFLOW.apply(
        locked, Action.OPEN_REVIEW, actor=actor, at=now, snapshot={}, submission_number=locked.submission_count
    )


def report_open_review(*, report, actor):
    """Open the review of a submitted report (the reviewer's first action does it); None if already opened,
    not submitted, or not the actor's to review."""
    if not permissions.can_review(actor, report):
        return None
    with transaction.atomic():
        locked = _lock(report)
        if locked.status != Status.SUBMITTED:
            return None
        return _open_review(locked, actor)


def _review(report, actor, action, comment=""):
    with transaction.atomic():
        locked = _lock(report)
        if not permissions.can_review(actor, locked):
            raise NotAllowed("Bạn không được rà soát báo cáo này (không ai rà soát báo cáo của chính đơn vị mình).")
        WORKFLOW.check(locked, action)
        _open_review(locked, actor)
        if action == Action.ACCEPT:
            locked.accepted_at = timezone.now()
        return _move(locked, action=action, actor=actor, comment=comment)


def report_return(*, report, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise InvalidTransition("Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì.")
    return _review(report, actor, Action.RETURN, reason)


def report_accept(*, report, actor, comment=""):
    return _review(report, actor, Action.ACCEPT, (comment or "").strip())


def report_comment(*, report, actor, text, result=None):
    text = (text or "").strip()
    if not text:
        raise InvalidTransition("Vui lòng nhập nội dung nhận xét.")
    if not permissions.can_review(actor, report):
        raise NotAllowed("Bạn không được rà soát báo cáo này.")
    if result is not None and result.report_id != report.pk:
        raise NotAllowed("Tiêu chí không thuộc báo cáo này.")
    with transaction.atomic():
        locked = _lock(report)
        if locked.status != Status.SUBMITTED:
            raise InvalidTransition("Chỉ nhận xét được báo cáo đang chờ rà soát.")
        _open_review(locked, actor)
        return ReviewComment.objects.create(
            report=locked, result=result, author=actor, text=text, submission_number=locked.submission_count
        )
