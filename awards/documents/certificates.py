"""Printable certificates of an issued decision: one A4 landscape page per recipient, rendered by WeasyPrint.

Same fonts and the same static-only URL fetcher as the Nghị định 30 renderer (documents/render.py).
"""

from django.template.loader import render_to_string

from documents.model import Document
from documents.render import STATIC_DIR, static_only_fetcher

from .decision import header_fields


def _title(form):
    if form["is_title"]:
        return "GIẤY CHỨNG NHẬN"
    if form["name"].lower().startswith("giấy khen"):
        return "GIẤY KHEN"
    return "GIẤY CHỨNG NHẬN"


def certificates(document):
    """One dict per recipient, in the annex's order."""
    content = document.content
    campaign = content["campaign"]
    fields = header_fields(document)
    dated = Document(type_name="", sections=[], **fields)
    reference = f"Theo Quyết định {dated.reference} của Giám đốc {campaign['department']}"
    pages = []
    for form in content["forms"]:
        in_campaign = f" trong Phong trào thi đua “{campaign['name']}” {content['round']['period']}"
        if "group" not in content:
            # Frozen before annual titles and campaign awards were decided apart: as it was printed.
            achievement = (f"Đạt danh hiệu “{form['name']}”" if form["is_title"] else "Đã có thành tích") + in_campaign
        elif form["is_title"]:
            # An annual title is no achievement of the thematic campaign (Nghị định 152/2025/NĐ-CP, Điều 4).
            achievement = f"Đạt danh hiệu “{form['name']}” năm {content['round']['year']}"
        else:
            achievement = "Đã có thành tích xuất sắc" + in_campaign
        rows = [(row, False) for row in form["collectives"]] + [(row, True) for row in form["individuals"]]
        for row, individual in rows:
            pages.append(
                {
                    "title": _title(form),
                    "form": form["name"],
                    "name": row["name"],
                    "position": row.get("position", "") if individual else "",
                    "unit": row["unit"] if individual else "",
                    "achievement": achievement,
                    "reference": reference,
                }
            )
    return {
        "campaign": campaign,
        "authority": f"GIÁM ĐỐC {campaign['issuing_body']}",
        "date_line": dated.date_line,
        "signature": fields["signature"],
        "pages": pages,
    }


def render_html(document):
    return render_to_string("awards/outcomes/certificates_pdf.html", certificates(document))


def render_certificates(document):
    # Imported here: WeasyPrint (about 15 MiB) loads only in the processes that render, never in a web worker.
    from weasyprint import HTML

    html = HTML(string=render_html(document), base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher())
    return html.write_pdf()
