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


def report_save_parts(*, report, actor, edits):
    """Save edited parts of a draft. `edits` maps part keys to {"values", "revision", "original"}.

    A part is written only if the editor changed it (its values differ from `original`, the digest
    of what the editor loaded). It is refused as a conflict if someone else saved it since
    (`revision` is no longer current) and the two versions differ. Parts without conflict are saved.
    Returns {part_key: new revision}; raises EditConflict listing the refused parts.
    """
    now = timezone.now()
    saved = {}
    conflicts = {}
    with transaction.atomic():
        locked = UnitReport.objects.select_for_update().get(pk=report.pk)
        if not permissions.can_edit(actor, locked):
            raise NotAllowed(_not_editable_message(locked))
        parts = part_objects(locked)
        for key, edit in edits.items():
            part = parts.get(key)
            if part is None:
                continue
            current = values_of(part)
            wanted = _known_fields(edit["values"], current)
            if edit.get("original") is not None and digest(wanted) == edit["original"]:
                continue  # The editor did not touch this part.
            if current == wanted:
                saved[key] = part.revision
                continue
            if int(edit["revision"]) != part.revision:
                conflicts[key] = {
                    "theirs": current,
                    "yours": wanted,
                    "revision": part.revision,
                    "by": str(part.updated_by) if part.updated_by_id else "",
                    "at": part.updated_at,
                }
                continue
            if _write_part(part, wanted, actor, now):
                saved[key] = part.revision + 1
            else:  # Saved by someone else between our read and our write.
                part.refresh_from_db()
                conflicts[key] = {
                    "theirs": values_of(part),
                    "yours": wanted,
                    "revision": part.revision,
                    "by": str(part.updated_by or ""),
                    "at": part.updated_at,
                }
        if saved:
            UnitReport.objects.filter(pk=locked.pk).update(updated_at=now)
    if conflicts:
        error = EditConflict(conflicts)
        error.saved = saved
        raise error
    return saved


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
