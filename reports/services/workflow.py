"""State changes of a unit report: submit, withdraw, open review, return, accept — and comments.

Each runs in one transaction with the report row locked, checks the current state and the
actor, writes an append-only ReportTransition with the content as it stood, and schedules its
notifications after commit.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..errors import InvalidTransition, NotAllowed, SubmissionInvalid
from ..models import ReportSection, ReportTransition, ReviewComment, UnitReport
from .editing import part_objects, report_save_parts
from .notifications import notify_transition
from .snapshots import report_snapshot

Status = UnitReport.Status
Action = ReportTransition.Action

# The allowed moves: action → (states it may start from, state it leads to).
TRANSITIONS = {
    Action.SUBMIT: ((Status.DRAFT, Status.RETURNED), Status.SUBMITTED),
    Action.WITHDRAW: ((Status.SUBMITTED,), Status.DRAFT),
    Action.RETURN: ((Status.SUBMITTED,), Status.RETURNED),
    Action.ACCEPT: ((Status.SUBMITTED,), Status.ACCEPTED),
}

REQUIRED_SECTIONS = (
    ReportSection.Key.HIGHLIGHTS,
    ReportSection.Key.SHORTCOMINGS,
    ReportSection.Key.NEXT_STEPS,
    ReportSection.Key.PHASE_ASSESSMENT,
    ReportSection.Key.LESSONS,
)

WRONG_STATE = {
    Action.SUBMIT: "Báo cáo đã được nộp hoặc đã được tiếp nhận; không nộp lại được.",
    Action.WITHDRAW: "Chỉ rút lại được báo cáo đã nộp mà Văn phòng chưa mở rà soát.",
    Action.RETURN: "Báo cáo không ở trạng thái chờ rà soát (có thể người khác vừa xử lý).",
    Action.ACCEPT: "Báo cáo không ở trạng thái chờ rà soát (có thể người khác vừa xử lý).",
}


def _lock(report):
    # Lock the report row only: a plain FOR UPDATE over the join would also lock the period row and
    # make every unit's submission of that period wait for the others.
    return UnitReport.objects.select_for_update(of=("self",)).select_related("unit", "period").get(pk=report.pk)


def _move(report, *, action, actor, comment="", now=None):
    sources, target = TRANSITIONS[action]
    if report.status not in sources:
        raise InvalidTransition(WRONG_STATE[action])
    previous = report.status
    report.status = target
    report.save()
    transition = ReportTransition.objects.create(
        report=report,
        action=action,
        from_status=previous,
        to_status=target,
        actor=actor,
        at=now or timezone.now(),
        comment=comment,
        snapshot=report_snapshot(report),
        submission_number=report.submission_count,
    )
    notify_transition(transition)
    return transition


def validate_for_submission(report, *, confirm_over_plan=False):
    """{part_key: {field: message}} of everything that stops the report being submitted."""
    errors = {}
    for key, part in part_objects(report).items():
        if isinstance(part, ReportSection):
            if part.key in REQUIRED_SECTIONS and not part.text.strip():
                errors[key] = {"text": "Vui lòng nhập nội dung mục này."}
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
            value = _decimal(raw)
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
        elif indicator.direction == indicator.Direction.HIGHER_IS_BETTER and top > bottom and not confirm_over_plan:
            problems[f"q-{indicator.numerator_key}"] = (
                "Số đã giải ngân lớn hơn kế hoạch được giao. Nếu đúng, hãy đánh dấu ô xác nhận rồi nộp lại."
            )
    return problems


def _decimal(raw):
    """The stored quantity as a finite Decimal, or None when it is not a number."""
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value.is_finite() else None


def report_submit(*, report, actor, edits=None, confirm_over_plan=False):
    """Save the last edits and submit, or change nothing at all and say what is missing."""
    with transaction.atomic():
        locked = _lock(report)
        if locked.status not in TRANSITIONS[Action.SUBMIT][0]:
            raise InvalidTransition(WRONG_STATE[Action.SUBMIT])
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
        locked.review_opened_at = None
        locked.review_opened_by = None
        if locked.status != Status.RETURNED:
            # A revision the office asked for keeps the lateness of the submission it revises;
            # a unit that withdrew its report and sends it again after the due date is late.
            locked.is_late = timezone.localdate(now) > locked.period.unit_due_date
        return _move(locked, action=Action.SUBMIT, actor=actor, now=now)


def report_withdraw(*, report, actor):
    with transaction.atomic():
        locked = _lock(report)
        if locked.status != Status.SUBMITTED or locked.review_opened_at is not None:
            raise InvalidTransition(WRONG_STATE[Action.WITHDRAW])
        if not permissions.can_withdraw(actor, locked):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị mới được rút lại báo cáo.")
        return _move(locked, action=Action.WITHDRAW, actor=actor, comment="Đơn vị rút lại để chỉnh sửa.")


def report_open_review(*, report, actor):
    """The first reviewer to open a submitted report ends the unit's right to withdraw it."""
    if not permissions.can_review(actor, report) or report.status != Status.SUBMITTED:
        return None
    with transaction.atomic():
        now = timezone.now()
        opened = UnitReport.objects.filter(pk=report.pk, status=Status.SUBMITTED, review_opened_at__isnull=True).update(
            review_opened_at=now, review_opened_by=actor
        )
        if not opened:
            return None
        report.refresh_from_db()
        return ReportTransition.objects.create(
            report=report,
            action=Action.OPEN_REVIEW,
            from_status=Status.SUBMITTED,
            to_status=Status.SUBMITTED,
            actor=actor,
            at=now,
            snapshot={},
            submission_number=report.submission_count,
        )


def _review(report, actor, action, comment=""):
    with transaction.atomic():
        locked = _lock(report)
        if not permissions.can_review(actor, locked):
            raise NotAllowed("Bạn không được rà soát báo cáo này (không ai rà soát báo cáo của chính đơn vị mình).")
        if locked.status not in TRANSITIONS[action][0]:
            raise InvalidTransition(WRONG_STATE[action])
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
    if report.status != Status.SUBMITTED:
        raise InvalidTransition("Chỉ nhận xét được báo cáo đang chờ rà soát.")
    if result is not None and result.report_id != report.pk:
        raise NotAllowed("Tiêu chí không thuộc báo cáo này.")
    return ReviewComment.objects.create(
        report=report, result=result, author=actor, text=text, submission_number=report.submission_count
    )
