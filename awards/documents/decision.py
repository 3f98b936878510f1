"""The award decision (Quyết định khen thưởng, Nghị định 30 model 1.2) with its annex listing the recipients.

Built only from the document's frozen content and its own fields (number, date, signer), so a
decision re-rendered later reads the same whatever happened to the nominations since. A decision
holds either the annual emulation titles (content "group" "titles": it names no campaign) or the
campaign's awards ("campaign"); content frozen before the two were apart has no "group" and keeps
its wording.
"""

from django.utils import timezone

from documents.model import Annex, Document, Section, Signature, Table

INDIVIDUAL_HEADER = ["STT", "Họ và tên", "Chức vụ", "Đơn vị"]
COLLECTIVE_HEADER = ["STT", "Tên tập thể"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
# The content's "group": the annual emulation titles, or the campaign's awards (Nghị định 152/2025/NĐ-CP, Điều 4).
TITLES = "titles"
CAMPAIGN = "campaign"


def form_label(form):
    """ "danh hiệu “Lao động tiên tiến”" for a title; the form's own name (e.g. "Giấy khen của …") otherwise."""
    return f"danh hiệu “{form['name']}”" if form["is_title"] else form["name"]


def capitalised(text):
    return f"{text[:1].upper()}{text[1:]}"


def counts_text(form):
    parts = []
    if form["collectives"]:
        parts.append(f"{len(form['collectives']):02d} tập thể")
    if form["individuals"]:
        parts.append(f"{len(form['individuals']):02d} cá nhân")
    return " và ".join(parts)


def as_list(items):
    """List items as printed: each ends with ";" and the last with "."."""
    return [f"{item};" for item in items[:-1]] + [f"{item}." for item in items[-1:]]


def money(amount):
    """ "2.340.000": whole đồng grouped by thousands with dots, as Vietnamese writes amounts."""
    return f"{int(amount):,}".replace(",", ".")


def bonus_clauses(forms):
    """ "mỗi cá nhân được tặng danh hiệu “Chiến sĩ thi đua cơ sở” được thưởng 2.340.000 đồng", per form and kind
    of recipient that carries a bonus in this decision."""
    clauses = []
    for form in forms:
        for rows, kind, amount in (
            ("collectives", "tập thể", form.get("bonus_collective")),
            ("individuals", "cá nhân", form.get("bonus_individual")),
        ):
            if form[rows] and amount:
                clauses.append(f"mỗi {kind} được tặng {form_label(form)} được thưởng {money(amount)} đồng")
    return clauses


def executing_article(forms):
    """The number of the last article (who carries the decision out): 4 with the bonus article, 3 without."""
    return 4 if bonus_clauses(forms) else 3


def recipient_tables(forms, *, extra_header=(), extra_key=None):
    """One table of collectives and one of individuals per form, numbered I, II, … by form."""
    tables = []
    for index, form in enumerate(forms):
        heading = f"{ROMAN[index] if index < len(ROMAN) else index + 1}. {capitalised(form_label(form))}"
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


def _first_article(content):
    """Điều 1: what is conferred on whom; a list, ending with ".", when the decision holds several forms."""
    forms = content["forms"]
    year = content["round"]["year"]
    if content["group"] == TITLES:
        if len(forms) == 1:
            form = forms[0]
            return [
                f"Điều 1. Công nhận {form_label(form)} năm {year} cho {counts_text(form)} có tên trong danh sách "
                "kèm theo Quyết định này."
            ]
        return [
            f"Điều 1. Công nhận danh hiệu thi đua năm {year} cho các tập thể, cá nhân có tên trong danh sách kèm theo "
            "Quyết định này, gồm:",
            *as_list([f"- {capitalised(form_label(form))}: {counts_text(form)}" for form in forms]),
        ]
    campaign, period = content["campaign"]["name"], content["round"]["period"]
    achievement = f"đã có thành tích xuất sắc trong Phong trào thi đua “{campaign}” {period}"
    if len(forms) == 1:
        form = forms[0]
        return [f"Điều 1. Tặng {form_label(form)} cho {counts_text(form)} {achievement} (có danh sách kèm theo)."]
    return [
        f"Điều 1. Khen thưởng các tập thể, cá nhân {achievement} (có danh sách kèm theo), gồm:",
        *as_list([f"- Tặng {form_label(form)} cho {counts_text(form)}" for form in forms]),
    ]


def articles(content):
    """Điều 1, the bonus article where a form carries one, then hiệu lực and who carries the decision out."""
    forms = content["forms"]
    campaign = content["campaign"]
    if "group" not in content:
        # Frozen before annual titles and campaign awards were decided apart: its wording as it was issued.
        clauses = "; ".join(f"{form_label(form)} cho {counts_text(form)}" for form in forms)
        paragraphs = [
            f"Điều 1. Tặng {clauses} (có danh sách kèm theo) đã có thành tích trong Phong trào thi đua "
            f"“{campaign['name']}” {content['round']['period']}."
        ]
    else:
        paragraphs = _first_article(content)
    number = 2
    bonus = bonus_clauses(forms)
    if bonus:
        paragraphs.append(
            f"Điều {number}. Tiền thưởng: {'; '.join(bonus)}. "
            "Kinh phí khen thưởng trích từ Quỹ thi đua, khen thưởng của Sở."
        )
        number += 1
    paragraphs += [
        f"Điều {number}. Quyết định này có hiệu lực kể từ ngày ký.",
        f"Điều {number + 1}. Trưởng {campaign['coordinating_unit']}, Thủ trưởng các phòng, đơn vị thuộc Sở và các "
        "tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
    ]
    return paragraphs


def build(document):
    content = document.content
    campaign = content["campaign"]
    period = content["round"]["period"]
    result = Document(
        type_name="QUYẾT ĐỊNH",
        authority=f"GIÁM ĐỐC {campaign['issuing_body']}",
        basis=content.get("basis", []),
        sections=[Section(heading="QUYẾT ĐỊNH:", paragraphs=articles(content), centered=True, articles=True)],
        **header_fields(document),
    )
    if content.get("group") == TITLES:
        title = f"TẬP THỂ, CÁ NHÂN ĐƯỢC CÔNG NHẬN DANH HIỆU THI ĐUA NĂM {content['round']['year']}"
    else:
        title = f"TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG {period.upper()}"
    result.annexes = [
        Annex(
            label="DANH SÁCH",
            title=title,
            reference=f"(Kèm theo Quyết định {result.reference} của Giám đốc {campaign['department']})",
            tables=recipient_tables(content["forms"]),
            landscape=False,
        )
    ]
    return result
