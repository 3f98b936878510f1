"""Units' proposals whose addressee is not known (written before proposals had one): the office classifies them.

The office does it on the consolidated report's page, item by item; the item is identified by its report
section, its position and a digest of its text, so an item changed meanwhile is refused, not misfiled. Each
classification is an event in the unit report's history. The consolidated report shows it from its next
compile ("Tổng hợp lại").
"""

from django.db import transaction

from .. import permissions
from ..errors import NotAllowed, ReportError
from ..models import Addressee, ReportSection, ReportTransition, UnitReport
from ..parts import digest
from .snapshots import report_snapshot

WORKFLOW = UnitReport.WORKFLOW


def item_digest(text):
    return digest({"text": text})[:16]


def unclassified_proposals(period):
    """The accepted reports' proposals of the period without an addressee, in unit order. Two queries."""
    sections = (
        ReportSection.objects.filter(
            report__period=period, report__status=UnitReport.Status.ACCEPTED, key=ReportSection.Key.RECOMMENDATIONS
        )
        .select_related("report")
        .order_by("report__unit__sort_order", "report__unit_name")
    )
    found = []
    for section in sections:
        for index, item in enumerate(section.items or []):
            if (item.get("text") or "").strip() and not item.get("to"):
                found.append(
                    {
                        "section": section.pk,
                        "index": index,
                        "digest": item_digest(item["text"]),
                        "unit": section.report.unit_name,
                        "text": item["text"],
                    }
                )
    return found


def proposal_classify(*, section_id, index, text_digest, to, actor):
    """Give an accepted report's proposal its addressee; refused if the item is not the one the page showed."""
    if not permissions.can_compile(actor):
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp phân loại đề xuất, kiến nghị của các đơn vị.")
    if to not in Addressee.values or to == Addressee.UNCLASSIFIED:
        raise ReportError("Vui lòng chọn nơi nhận của đề xuất, kiến nghị.")
    with transaction.atomic():
        section = (
            ReportSection.objects.select_for_update()
            .select_related("report")
            .filter(pk=section_id, key=ReportSection.Key.RECOMMENDATIONS)
            .first()
        )
        items = list(section.items or []) if section is not None else []
        if not 0 <= index < len(items) or item_digest(items[index].get("text", "")) != text_digest:
            raise ReportError("Đề xuất, kiến nghị này đã thay đổi hoặc không còn; vui lòng tải lại trang.")
        report = section.report
        if report.status != UnitReport.Status.ACCEPTED:
            raise ReportError("Chỉ phân loại đề xuất, kiến nghị của báo cáo đã được tiếp nhận.")
        items[index] = {**items[index], "to": to}
        section.items = items
        section.save(update_fields=["items"])
        WORKFLOW.record(
            report,
            ReportTransition.Action.CLASSIFY,
            actor=actor,
            comment=f"“{items[index]['text']}”: {Addressee(to).label}.",
            snapshot=report_snapshot(report),
            submission_number=report.submission_count,
        )
    return items[index]
