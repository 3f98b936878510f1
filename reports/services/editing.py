"""Starting a report and saving its parts (autosave and explicit save), with per-part conflict checks."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from campaign.models import AssessmentLevel, Criterion

from .. import permissions
from ..errors import EditConflict, NotAllowed, ReportError
from ..models import CriterionResult, ReportSection, ReportTransition, UnitReport
from ..parts import criterion_part_key, digest, normalise_text, result_values, section_part_key, section_values
from .snapshots import report_snapshot

OVERALL_SECTIONS = (
    ReportSection.Key.HIGHLIGHTS,
    ReportSection.Key.SHORTCOMINGS,
    ReportSection.Key.NEXT_STEPS,
    ReportSection.Key.RECOMMENDATIONS,
)
PHASE_SECTIONS = (ReportSection.Key.PHASE_ASSESSMENT, ReportSection.Key.LESSONS)


def section_keys_for(period):
    return OVERALL_SECTIONS + (PHASE_SECTIONS if period.is_phase_review else ())


def previous_report(unit, period):
    """The unit's latest report on an earlier period, preferring the same kind of period."""
    earlier = UnitReport.objects.filter(unit=unit, period__end__lt=period.end).order_by("-period__end")
    return earlier.filter(period__kind=period.kind).first() or earlier.first()


def report_start(*, unit, period, actor):
    """The unit's report for the period, created (pre-filled from its previous report) if it does not exist."""
    if not permissions.can_draft_for(actor, unit):
        raise NotAllowed("Chỉ cán bộ của đơn vị mới được lập báo cáo của đơn vị.")
    existing = UnitReport.objects.filter(unit=unit, period=period).first()
    if existing is not None:
        return existing
    if period.is_history():
        raise ReportError("Kỳ báo cáo này trước ngày bắt đầu thu báo cáo trên cổng; không phải nộp.")
    if period.start > timezone.localdate():
        raise ReportError("Kỳ báo cáo này chưa bắt đầu.")
    try:
        with transaction.atomic():
            return _create_report(unit=unit, period=period, actor=actor)
    except IntegrityError:
        # Two people pressed "start" at once: the other request created it.
        return UnitReport.objects.get(unit=unit, period=period)


def _create_report(*, unit, period, actor):
    source = previous_report(unit, period)
    report = UnitReport.objects.create(
        unit=unit, period=period, unit_name=unit.name, prefilled_from=source, created_by=actor
    )
    previous_results = {}
    previous_sections = {}
    if source is not None:
        previous_results = {result.criterion_id: result for result in source.results.all()}
        previous_sections = {section.key: section for section in source.sections.all()}
    criteria = Criterion.objects.applicable_to(unit).select_related("group").order_by("group__sort_order", "number")
    results = []
    for order, criterion in enumerate(criteria, start=1):
        earlier = previous_results.get(criterion.pk)
        results.append(
            CriterionResult(
                report=report,
                criterion=criterion,
                criterion_code=criterion.code,
                criterion_text=criterion.text,
                sort_order=order,
                activities=earlier.activities if earlier else "",
                assessment_id=earlier.assessment_id if earlier else None,
                not_applicable_reason=earlier.not_applicable_reason if earlier else "",
            )
        )
    CriterionResult.objects.bulk_create(results)
    ReportSection.objects.bulk_create(
        ReportSection(
            report=report,
            key=key,
            text=previous_sections[key].text if key in previous_sections else "",
            items=list(previous_sections[key].items or []) if key in previous_sections else [],
        )
        for key in section_keys_for(period)
    )
    ReportTransition.objects.create(
        report=report,
        action=ReportTransition.Action.CREATE,
        to_status=report.status,
        actor=actor,
        comment=f"Lấy nội dung từ báo cáo {source.period.label}." if source else "",
        snapshot=report_snapshot(report),
    )
    return report


def part_objects(report):
    """{part_key: CriterionResult | ReportSection} for every editable part of the report."""
    parts = {}
    for result in report.results.select_related("criterion", "assessment").prefetch_related("criterion__indicators"):
        parts[criterion_part_key(result)] = result
    for section in report.sections.all():
        parts[section_part_key(section)] = section
    return parts


def _parts_by_key(report, keys, *, for_form):
    """{part_key: part} for the given keys only: one query for criterion results (and one for their indicators
    when a form is to read them), one for sections; none for a kind no key names. Unknown keys are left out."""
    criterion_ids, section_keys = set(), set()
    for key in keys:
        kind, _, rest = str(key).partition("-")
        if kind == "criterion" and rest.isdigit():
            criterion_ids.add(int(rest))
        elif kind == "section" and rest:
            section_keys.add(rest)
    parts = {}
    if criterion_ids:
        # Who saved it last comes along: a conflict names them.
        results = report.results.filter(criterion_id__in=criterion_ids).select_related("updated_by")
        if for_form:
            results = results.select_related("criterion").prefetch_related("criterion__indicators")
        for result in results:
            parts[criterion_part_key(result)] = result
    if section_keys:
        for section in report.sections.filter(key__in=section_keys).select_related("updated_by"):
            parts[section_part_key(section)] = section
    return parts


def part_object(report, key):
    """One part of the report by its key, with what the editor's form reads (a criterion's indicators); None
    when the report has no such part. Two queries for a criterion, one for a section."""
    return _parts_by_key(report, [key], for_form=True).get(key)


def values_of(part):
    return section_values(part) if isinstance(part, ReportSection) else result_values(part)


def _write_part(part, values, actor, now):
    """Write the part's values if its revision is still the one we read; False when someone else saved first."""
    model = type(part)
    fields = dict(values)
    if model is CriterionResult:
        fields["assessment_id"] = fields.pop("assessment")
    updated = model.objects.filter(pk=part.pk, revision=part.revision).update(
        **fields, revision=F("revision") + 1, updated_by=actor, updated_at=now
    )
    return updated == 1


def _conflict(part, wanted):
    return {
        "theirs": values_of(part),
        "yours": wanted,
        "revision": part.revision,
        "by": str(part.updated_by) if part.updated_by_id else "",
        "at": part.updated_at,
    }


def _save_part(part, edit, actor, now):
    """Compare one edited part with its stored row and write it: ("saved" | "same" | "untouched", revision,
    values) or ("conflict", detail)."""
    current = values_of(part)
    wanted = _known_fields(edit["values"], current)
    if edit.get("original") is not None and digest(wanted) == edit["original"]:
        return "untouched", part.revision, current  # The editor did not touch this part.
    if current == wanted:
        return "same", part.revision, current
    if int(edit["revision"]) != part.revision:
        return "conflict", _conflict(part, wanted)
    if _write_part(part, wanted, actor, now):
        return "saved", part.revision + 1, wanted
    part.refresh_from_db()  # Saved by someone else between our read and our write.
    return "conflict", _conflict(part, wanted)


def locked_report(pk):
    """The report's row, locked until the transaction ends, with its unit (what can_edit reads)."""
    return UnitReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=pk)


def _save_locked(locked, actor, edits, parts, now):
    saved, answers, conflicts = {}, {}, {}
    for key, edit in edits.items():
        part = parts.get(key)
        if part is None:
            continue
        outcome = _save_part(part, edit, actor, now)
        if outcome[0] == "conflict":
            conflicts[key] = outcome[1]
            continue
        kind, revision, values = outcome
        answers[key] = {"revision": revision, "values": values}
        if kind != "untouched":
            saved[key] = revision
    if saved:
        UnitReport.objects.filter(pk=locked.pk).update(updated_at=now)
    return saved, answers, conflicts


def _raise_conflicts(conflicts, saved):
    if conflicts:
        error = EditConflict(conflicts)
        error.saved = saved
        raise error


def report_save_parts(*, report, actor, edits):
    """Save edited parts of a draft. `edits` maps part keys to {"values", "revision", "original"}.

    A part is written only if the editor changed it (its values differ from `original`, the digest
    of what the editor loaded). It is refused as a conflict if someone else saved it since
    (`revision` is no longer current) and the two versions differ. Parts without conflict are saved.
    Returns {part_key: new revision}; raises EditConflict listing the refused parts.

    Under the report's row lock it loads only the parts named in `edits` (one query per kind of part).
    """
    now = timezone.now()
    with transaction.atomic():
        locked = locked_report(report.pk)
        if not permissions.can_edit(actor, locked):
            raise NotAllowed(_not_editable_message(locked))
        parts = _parts_by_key(locked, edits, for_form=False)
        saved, _, conflicts = _save_locked(locked, actor, edits, parts, now)
    _raise_conflicts(conflicts, saved)
    return saved


NOT_A_DRAFT_ANY_MORE = "Báo cáo không còn ở trạng thái soạn thảo; nội dung chưa được lưu."
NOT_OF_THE_UNIT = "Chỉ cán bộ của đơn vị soạn báo cáo của đơn vị."


def report_save_part(*, report_pk, actor, key, read):
    """Autosave: save one part of a draft as the person types, in a fixed number of queries.

    One query takes the report's row lock together with its visibility check (Http404 for whoever may not see
    it), one loads the part (two for a criterion: its indicators, which the form reads), `read(report, part)`
    turns what was posted into the edit (it raises to refuse the input; `part` is None when the report has no
    such part), then the revision is compared and the part and the report's time written.
    Returns {"revision", "values"} as the part now stands; raises EditConflict or NotAllowed.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = permissions.get_visible_report(actor, report_pk, for_update=True)
        if not permissions.can_draft_for(actor, locked.unit):
            raise NotAllowed(NOT_OF_THE_UNIT)
        if not permissions.can_edit(actor, locked):
            raise NotAllowed(NOT_A_DRAFT_ANY_MORE)
        part = part_object(locked, key)
        edit = read(locked, part)
        saved, answers, conflicts = _save_locked(locked, actor, {key: edit}, {key: part}, now)
    _raise_conflicts(conflicts, saved)
    return answers[key]


def _known_fields(posted, current):
    """The part's own fields from what was posted; a field left out keeps its current value."""
    wanted = {}
    for field, value in current.items():
        value = posted.get(field, value)
        wanted[field] = normalise_text(value) if isinstance(value, str) else value
    return wanted


def _not_editable_message(report):
    if report.status == UnitReport.Status.SUBMITTED:
        return "Báo cáo đã nộp nên không sửa được. Trưởng đơn vị có thể rút lại nếu Văn phòng chưa mở rà soát."
    if report.status == UnitReport.Status.ACCEPTED:
        return "Báo cáo đã được tiếp nhận và khóa."
    return "Bạn không có quyền sửa báo cáo này."


def assessment_levels():
    return list(AssessmentLevel.objects.filter(is_active=True).order_by("sort_order"))
