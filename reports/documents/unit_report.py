"""A unit's own report as an official document, in the same layout as the consolidated report."""

from django.utils import timezone

from campaign.models import Indicator
from documents.model import Document, Section, Signature, Table
from units.models import User

from ..parts import section_text


def _paragraphs(text):
    return [line for line in (text or "").split("\n") if line.strip()]


def _indicator_lines(result, indicators):
    lines = []
    quantities = result.quantities or {}
    for indicator in indicators:
        if indicator.criterion_id != result.criterion_id:
            continue
        parts = [
            f"{quantity['label']}: {_vnd(quantities.get(quantity['key']))} {quantity['unit']}"
            for quantity in indicator.quantities
        ]
        value = indicator.compute(quantities)
        shown = f"{_decimal(value)}{indicator.result_unit}" if value is not None else "chưa tính được"
        lines.append(f"{'; '.join(parts)}; {indicator.name.lower()}: {shown}.")
    return lines


def _vnd(raw):
    if raw in (None, ""):
        return "—"
    whole, _, fraction = str(raw).partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{fraction}" if fraction else grouped


def lower_first(text):
    """ "Năm 2026" → "năm 2026", for a period label inside a sentence."""
    return text[:1].lower() + text[1:]


def _decimal(value):
    return f"{value:.2f}".replace(".", ",")


def unit_report_document(report):
    """The Document of one unit report, from what is stored (drafts marked DỰ THẢO)."""
    campaign = report.period.campaign
    indicators = list(Indicator.objects.filter(is_active=True))
    results = list(report.results.select_related("assessment", "criterion__group").order_by("sort_order"))
    groups = []
    for result in results:
        group = result.criterion.group
        if not groups or groups[-1][0] != group:
            groups.append((group, []))
        groups[-1][1].append(result)
    body = []
    criteria_sections = []
    for number, (group, items) in enumerate(groups, start=1):
        subsections = []
        for result in items:
            paragraphs = _paragraphs(result.activities) + _indicator_lines(result, indicators)
            assessment = result.assessment.label if result.assessment else "chưa tự đánh giá"
            if result.is_not_applicable:
                paragraphs = [f"Không áp dụng: {result.not_applicable_reason}"]
            paragraphs.append(f"Tự đánh giá: {assessment}.")
            subsections.append(Section(heading=f"- {result.criterion_text}", paragraphs=paragraphs))
        criteria_sections.append(Section(heading=f"{number}. {group.name}", subsections=subsections))
    body.append(Section(heading="I. KẾT QUẢ THỰC HIỆN CÁC TIÊU CHÍ THI ĐUA", subsections=criteria_sections))
    roman = ["II", "III", "IV", "V", "VI", "VII"]
    for index, section in enumerate(report.sections.order_by("pk")):
        body.append(
            Section(
                heading=f"{roman[index]}. {section.get_key_display().upper()}",
                paragraphs=_paragraphs(section_text(section)),
            )
        )
    # Criteria in their whole text: the plan numbers none of them, and a cut one reads as another.
    table_rows = [
        [number, result.criterion_text, result.assessment.label if result.assessment else ""]
        for number, result in enumerate(results, start=1)
    ]
    body.append(Section(tables=[Table(["STT", "Tiêu chí", "Tự đánh giá"], table_rows, title="Bảng tự đánh giá")]))
    department_name = campaign.issuing_unit.name if campaign.issuing_unit else campaign.issuing_body
    unit = report.unit
    signer = report.submitted_by or unit.members.filter(position=User.Position.HEAD, is_active=True).first()
    submitted = timezone.localdate(report.submitted_at) if report.submitted_at else None
    entry = report.register_entry
    return Document(
        governing_body=campaign.issuing_body,
        issuing_body=report.unit_name,
        type_code="BC",
        issuer_code=unit.issuer_code,
        type_name="BÁO CÁO",
        summary=f"Kết quả thực hiện Phong trào thi đua “{campaign.name}” {lower_first(report.period.label)}",
        place=campaign.place_name,
        addressee=f"Giám đốc {department_name} (qua {campaign.coordinating_unit_name})",
        sections=body,
        signature=Signature.for_signer(
            name=str(signer) if signer else "",
            is_deputy=bool(signer) and signer.position == User.Position.DEPUTY,
            is_acting=bool(signer) and signer.position_title.lower().startswith("quyền"),
            head_title=unit.head_title,
        ),
        numbered=unit.has_own_seal,
        recipients=[f"- {campaign.coordinating_unit_name};", "- Lưu: VT."],
        number=entry.number if entry else None,
        issued_on=entry.issued_on if entry else submitted,
        year=report.period.year,
        draft=report.status in ("draft", "returned"),
    )
