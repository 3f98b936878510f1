"""The award decision (Quyết định khen thưởng, Nghị định 30 model 1.2) with its annex listing the recipients.

Built only from the document's frozen content and its own fields (number, date, signer), so a
decision re-rendered later reads the same whatever happened to the nominations since.
"""

from django.utils import timezone

from documents.model import Annex, Document, Section, Signature, Table

INDIVIDUAL_HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị"]
COLLECTIVE_HEADER = ["STT", "Tên tập thể"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def form_label(form):
    """ "danh hiệu “Lao động tiên tiến”" for a title; the form's own name (e.g. "Giấy khen của …") otherwise."""
    return f"danh hiệu “{form['name']}”" if form["is_title"] else form["name"]


def counts_text(form):
    parts = []
    if form["collectives"]:
        parts.append(f"{len(form['collectives']):02d} tập thể")
    if form["individuals"]:
        parts.append(f"{len(form['individuals']):02d} cá nhân")
    return " và ".join(parts)


def recipient_tables(forms, *, extra_header=(), extra_key=None):
    """One table of collectives and one of individuals per form, numbered I, II, … by form."""
    tables = []
    for index, form in enumerate(forms):
        heading = (
            f"{ROMAN[index] if index < len(ROMAN) else index + 1}. {form_label(form)[:1].upper()}{form_label(form)[1:]}"
        )
        for key, label, header in (
            ("collectives", "Tập thể", COLLECTIVE_HEADER),
            ("individuals", "Cá nhân", INDIVIDUAL_HEADER),
        ):
            rows = form[key]
            if not rows:
                continue
            table_rows = []
            for number, row in enumerate(rows, start=1):
                cells = [number, row["name"]]
                if key == "individuals":
                    cells += [row["position"], row["unit"]]
                if extra_key:
                    cells.append(row.get(extra_key, ""))
                table_rows.append(cells)
            tables.append(Table([*header, *extra_header], table_rows, title=f"{heading} — {label} ({len(rows):02d})"))
    return tables


def header_fields(document):
    """The fields every award document shares: bodies, codes, number and date, signer, draft mark."""
    campaign = document.content["campaign"]
    entry = document.register_entry
    return {
        "governing_body": campaign["governing_body"],
        "issuing_body": campaign["issuing_body"],
        "type_code": document.type_code,
        "issuer_code": campaign["issuer_code"],
        "place": campaign["place"],
        "summary": document.summary,
        "signature": Signature.for_signer(name=document.signer_name, is_deputy=document.signer_is_deputy),
        "recipients": document.content.get("recipients", []),
        "number": entry.number if entry else None,
        "issued_on": entry.issued_on if entry else None,
        "year": document.content.get("round", {}).get("year") or timezone.localdate().year,
        "draft": document.status == "draft",
    }


def build(document):
    content = document.content
    campaign = content["campaign"]
    period = content["round"]["period"]
    forms = content["forms"]
    clauses = "; ".join(f"{form_label(form)} cho {counts_text(form)}" for form in forms)
    articles = [
        f"Điều 1. Tặng {clauses} (có danh sách kèm theo) đã có thành tích trong Phong trào thi đua "
        f"“{campaign['name']}” {period}.",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        f"Điều 3. Trưởng {campaign['coordinating_unit']}, Thủ trưởng các phòng, đơn vị thuộc Sở và các tập thể, "
        "cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
    ]
    result = Document(
        type_name="QUYẾT ĐỊNH",
        authority=f"GIÁM ĐỐC {campaign['issuing_body']}",
        basis=content.get("basis", []),
        sections=[Section(heading="QUYẾT ĐỊNH:", paragraphs=articles)],
        **header_fields(document),
    )
    result.annexes = [
        Annex(
            label="DANH SÁCH",
            title=f"TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG {period.upper()}",
            reference=f"(Kèm theo Quyết định {result.reference} của Giám đốc {campaign['department']})",
            tables=recipient_tables(forms),
            landscape=False,
        )
    ]
    return result
