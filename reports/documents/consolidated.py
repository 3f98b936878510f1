"""The consolidated report as an official document, built only from the row's snapshot and sections.

Re-rendering an approved report later gives the same document even if unit reports changed,
because nothing here reads the unit reports themselves. A snapshot taken before the self-assessment
table existed (no "assessment_matrix") renders as it did then, with its one annex. The sections the apps built
on reports register (reports.extensions.register_consolidated_section) are built from their frozen values in
the snapshot too: their body at the end of section II, their annexes after the report's own.
"""

import re
import unicodedata

from django.utils import timezone

from documents.model import Amount, Annex, Document, Rate, Section, Signature, Table

from ..extensions import consolidated_parts
from .unit_report import lower_first

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
NUMBERED_HEADING = re.compile(r"^(\d+)\.\s")


def amount_cell(raw):
    """An amount for a table: printed 1.250.000 (dots between thousands, a comma before decimals), a number in
    the XLSX; "" when the unit gave none."""
    return "" if raw in (None, "") else Amount(raw)


def rate_cell(raw, unit):
    """A rate for a table: printed with two decimals and its unit (87,50%), a number in the XLSX; "" if none."""
    return "" if raw in (None, "") else Rate(raw, unit)


def vnd_text(raw):
    """An amount as Vietnamese write it: 1.250.000 (dots between thousands, a comma before decimals)."""
    return str(amount_cell(raw))


def rate_text(raw, unit):
    """A rate with two decimals and its unit: 87,50%."""
    return str(rate_cell(raw, unit))


def indicator_tables(snapshot, *, per_unit, sheet_prefix):
    """One table per indicator: each unit's quantities and rate (per_unit) and the Department's, in the
    indicator's own words; its XLSX sheet is `sheet_prefix` and the criterion's short label."""
    tables = []
    for indicator in snapshot["indicators"]:
        labels = [quantity["label"] + f" ({quantity['unit']})" for quantity in indicator["quantities"]]
        keys = [quantity["key"] for quantity in indicator["quantities"]]
        header = ["STT", "Đơn vị", *labels, f"{indicator['name']}"]
        rows = []
        if per_unit:
            for index, row in enumerate(indicator["rows"], start=1):
                rows.append(
                    [
                        index,
                        row["unit"],
                        *[amount_cell(row["values"].get(key)) for key in keys],
                        rate_cell(row["value"], indicator["result_unit"]),
                    ]
                )
        department = indicator["department"]
        rows.append(
            [
                "",
                "Toàn Sở",
                *[amount_cell(department["values"].get(key)) for key in keys],
                rate_cell(department["value"], indicator["result_unit"]),
            ]
        )
        first_numeric = 2
        if not per_unit:
            # The body's table holds the Department's row alone: no STT column left empty.
            header, rows, first_numeric = header[1:], [row[1:] for row in rows], 1
        target = indicator.get("target")
        # Named by its short label since snapshot format 2; a code before that.
        criterion = f"“{indicator['criterion_label']}”" if indicator.get("criterion_label") else indicator["criterion"]
        title = f"Chỉ số: {indicator['name']} (tiêu chí {criterion})"
        if target is not None:
            kind = "chỉ tiêu cả năm" if indicator.get("half_year") else "chỉ tiêu"
            title += f"; {kind} {rate_text(target, indicator['result_unit'])}"
        tables.append(
            Table(
                header,
                rows,
                title=title,
                numeric_columns=tuple(range(first_numeric, len(header))),
                sheet_name=f"{sheet_prefix}. {indicator.get('criterion_label') or indicator['name']}",
            )
        )
    return tables


def level_marks(labels):
    """A short mark per self-assessment level, from its words' initials: Hoàn thành tốt → HTT, Không áp dụng → KAD.

    Numbers 1, 2, … instead when two levels would get the same mark.
    """

    def initials(label):
        plain = unicodedata.normalize("NFD", label.replace("đ", "d").replace("Đ", "D"))
        plain = "".join(character for character in plain if not unicodedata.combining(character))
        return "".join(word[0] for word in plain.split() if word[:1].isalnum()).upper()

    marks = {label: initials(label) for label in labels}
    if len(set(marks.values())) < len(marks) or not all(marks.values()):
        marks = {label: str(index) for index, label in enumerate(labels, start=1)}
    return marks


def assessment_table(matrix, *, sheet_prefix="PL II"):
    """Phụ lục II: one row per unit, one narrow column per criterion holding the unit's self-assessment mark."""
    marks = level_marks(matrix["levels"])
    legend = "; ".join(f"{mark}: {label}" for label, mark in marks.items())
    rows = [
        [index, row["unit"], *["" if level is None else marks.get(level, level) for level in row["levels"]]]
        for index, row in enumerate(matrix["rows"], start=1)
    ]
    title = f"Ký hiệu: {legend}; ô để trống: tiêu chí không áp dụng đối với đơn vị." if legend else ""
    return Table(
        ["STT", "Đơn vị", *matrix["criteria"]],
        rows,
        title=title,
        layout="matrix",
        sheet_name=f"{sheet_prefix}. Tự đánh giá",
        legend=[
            *[(mark, label) for label, mark in marks.items()],
            ("(để trống)", "Tiêu chí không áp dụng đối với đơn vị"),
        ]
        if marks
        else [],
    )


def closed_body(sections):
    """The body ends with "./." (Nghị định 30): added to its last paragraph if the office's text lacks it."""
    last_section = _last_with_paragraphs(sections)
    if last_section is not None:
        last = last_section.paragraphs[-1].rstrip()
        if not last.endswith("./."):
            last_section.paragraphs[-1] = (last[:-1] if last.endswith((".", ";", ":")) else last) + "./."
    return sections


def _last_with_paragraphs(sections):
    for section in reversed(sections):
        found = _last_with_paragraphs(section.subsections)
        if found is not None:
            return found
        if section.paragraphs:
            return section
    return None


# A line of the office's text that is a numbered heading of its own ("1. Về phát triển kết cấu hạ tầng",
# "2. Đối với các bộ, ngành Trung ương"): short, numbered, without a sentence's closing mark.
TEXT_HEADING = re.compile(r"^\d+\.\s+\S[^.;:!?]{0,150}$")


def text_sections(heading, lines, tables):
    """One item as a heading with its paragraphs, the numbered headings of its text as subsections in the
    same weight as the items' own "1. Ưu điểm", and its tables after all of them."""
    section = Section(heading=heading)
    current = section
    for line in lines:
        if TEXT_HEADING.match(line.strip()):
            current = Section(heading=line.strip())
            section.subsections.append(current)
        else:
            current.paragraphs.append(line)
    if tables:
        if section.subsections:
            section.subsections.append(Section(tables=tables))
        else:
            section.tables = tables
    return section


def addressed_recipients(lines, *, office_code):
    """ "Nơi nhận" of a document with "Kính gửi": it starts "- Như trên;" and ends "- Lưu: VT, <office>."."""
    lines = [line for line in lines if line.strip()]
    if not lines or lines[0].strip().rstrip(";").lower() != "- như trên":
        lines = ["- Như trên;", *lines]
    if not lines[-1].strip().lower().startswith("- lưu:"):
        if len(lines) > 1 and lines[-1].endswith("."):
            lines[-1] = lines[-1][:-1] + ";"
        lines.append(f"- Lưu: VT, {office_code}.")
    return lines


def consolidated_document(report):
    snapshot = report.snapshot
    campaign = snapshot["campaign"]
    period = snapshot["period"]
    issued = report.register_entry
    number = issued.number if issued else None
    issued_on = issued.issued_on if issued else None
    items = report.sections.get("items", [])
    sections = []
    results_section = None
    for item in items:
        paragraphs = [line for line in item["text"].split("\n") if line.strip()]
        tables = (
            indicator_tables(snapshot, per_unit=False, sheet_prefix="BC") if item.get("source") == "results" else []
        )
        if not paragraphs and not tables:
            continue
        headings = item["heading"].split("\n")
        for heading in headings[:-1]:
            sections.append(Section(heading=heading))
        sections.append(text_sections(headings[-1], paragraphs, tables))
        if item.get("source") == "results":
            results_section = sections[-1]
    # What the apps built on reports add (reports.extensions), from the snapshot alone.
    added = consolidated_parts(snapshot.get("added_sections", {}), period)
    matrix = snapshot.get("assessment_matrix")
    annex_count = 2 if matrix else 1
    numbered_annexes = bool(matrix) or any(part.annex_tables for part in added)
    added_annexes = []
    for part in added:
        if part.annex_tables:
            annex_count += 1
            added_annexes.append((annex_count, part))
            if part.body:
                part.body[-1].paragraphs.append(f"Chi tiết tại Phụ lục {ROMAN[annex_count - 1]} kèm theo Báo cáo này.")
        _place_in_body(sections, results_section, part.body)
    recipients = report.sections.get("recipients", [])
    if snapshot.get("format", 1) >= 2:
        # A report compiled before renders as it did then.
        sections = closed_body(sections)
        recipients = addressed_recipients(recipients, office_code=campaign.get("office_code", "HCTH"))
    document = Document(
        governing_body=campaign["governing_body"],
        issuing_body=campaign["issuing_body"],
        type_code="BC",
        issuer_code=campaign["issuer_code"],
        type_name="BÁO CÁO",
        summary=f"Kết quả thực hiện Phong trào thi đua “{campaign['name']}” {lower_first(period['label'])}",
        place=campaign["place"],
        addressee=campaign["recipient"],
        sections=sections,
        signature=Signature.for_signer(name=report.signer_name, is_deputy=report.signer_is_deputy),
        recipients=recipients,
        number=number,
        issued_on=issued_on,
        year=timezone.localdate().year,
        draft=report.status not in ("approved", "issued"),
        period=period["label"],
    )
    reference = f"(Kèm theo Báo cáo {document.reference})"
    document.annexes = [
        Annex(
            label="Phụ lục I" if numbered_annexes else "Phụ lục",
            title="SỐ LIỆU CÁC CHỈ SỐ THI ĐUA CỦA CÁC PHÒNG, ĐƠN VỊ",
            reference=reference,
            tables=indicator_tables(snapshot, per_unit=True, sheet_prefix="PL I" if numbered_annexes else "PL"),
        )
    ]
    if matrix:
        document.annexes.append(
            Annex(
                label="Phụ lục II",
                title="KẾT QUẢ TỰ ĐÁNH GIÁ THEO TIÊU CHÍ CỦA CÁC PHÒNG, ĐƠN VỊ",
                reference=reference,
                tables=[assessment_table(matrix)],
            )
        )
    for number, part in added_annexes:
        numeral = ROMAN[number - 1]
        for table in part.annex_tables:
            if table.sheet_name:
                table.sheet_name = f"PL {numeral}. {table.sheet_name}"
        document.annexes.append(
            Annex(label=f"Phụ lục {numeral}", title=part.annex_title, reference=reference, tables=part.annex_tables)
        )
    return document


def _place_in_body(sections, results_section, added):
    """A registered section's body at the end of section II, numbered after its own numbered headings; at the end
    of the body when the office's outline has no section II."""
    if not added:
        return
    if results_section is None:
        sections.extend(added)
        return
    numbers = [
        int(match.group(1))
        for match in (NUMBERED_HEADING.match(subsection.heading) for subsection in results_section.subsections)
        if match
    ]
    for section in added:
        if numbers and section.heading and not NUMBERED_HEADING.match(section.heading):
            numbers.append(max(numbers) + 1)
            section.heading = f"{numbers[-1]}. {section.heading}"
        results_section.subsections.append(section)
