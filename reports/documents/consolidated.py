"""The consolidated report as an official document, built only from the row's snapshot and sections.

Re-rendering an approved report later gives the same document even if unit reports changed,
because nothing here reads the unit reports themselves.
"""

from decimal import Decimal

from django.utils import timezone

from .model import Annex, Document, Section, Signature, Table
from .unit_report import lower_first


def _vnd(raw):
    if raw in (None, ""):
        return ""
    value = Decimal(str(raw))
    whole = int(value)
    text = f"{whole:,}".replace(",", ".")
    fraction = value - whole
    if fraction:
        text += "," + f"{fraction:.2f}"[2:]
    return text


def _rate(raw, unit):
    if raw in (None, ""):
        return ""
    return f"{Decimal(str(raw)):.2f}".replace(".", ",") + unit


def indicator_tables(snapshot, *, per_unit):
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
                        *[_vnd(row["values"].get(key)) for key in keys],
                        _rate(row["value"], indicator["result_unit"]),
                    ]
                )
        department = indicator["department"]
        rows.append(
            [
                "",
                "Toàn Sở",
                *[_vnd(department["values"].get(key)) for key in keys],
                _rate(department["value"], indicator["result_unit"]),
            ]
        )
        target = indicator.get("target")
        title = f"Chỉ số: {indicator['name']} (tiêu chí {indicator['criterion']})"
        if target is not None:
            title += f"; chỉ tiêu {_rate(target, indicator['result_unit'])}"
        tables.append(Table(header, rows, title=title, numeric_columns=tuple(range(2, len(header)))))
    return tables


def consolidated_document(report):
    snapshot = report.snapshot
    campaign = snapshot["campaign"]
    period = snapshot["period"]
    issued = report.register_entry
    number = issued.number if issued else None
    issued_on = issued.issued_on if issued else None
    items = report.sections.get("items", [])
    sections = []
    for item in items:
        paragraphs = [line for line in item["text"].split("\n") if line.strip()]
        tables = indicator_tables(snapshot, per_unit=False) if item.get("source") == "results" else []
        if not paragraphs and not tables:
            continue
        headings = item["heading"].split("\n")
        for heading in headings[:-1]:
            sections.append(Section(heading=heading))
        sections.append(Section(heading=headings[-1], paragraphs=paragraphs, tables=tables))
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
        recipients=report.sections.get("recipients", []),
        number=number,
        issued_on=issued_on,
        year=timezone.localdate().year,
        draft=report.status not in ("approved", "issued"),
    )
    document.annexes = [
        Annex(
            label="Phụ lục",
            title="SỐ LIỆU CÁC CHỈ SỐ THI ĐUA CỦA CÁC PHÒNG, ĐƠN VỊ",
            reference=f"(Kèm theo Báo cáo {document.reference})",
            tables=indicator_tables(snapshot, per_unit=True),
        )
    ]
    return document
