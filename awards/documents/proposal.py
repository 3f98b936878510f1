"""The proposal upward (Tờ trình đề nghị khen thưởng, Nghị định 30 model 1.4) with its annex of nominees.

Built only from the document's frozen content and its own fields; the dossiers go in a zip beside it.
"""

from documents.model import Annex, Document, Section

from .decision import counts_text, form_label, header_fields, recipient_tables


def plan_citation(campaign):
    """The plan as the content cites it; content frozen before plans were cited documents kept their fields."""
    if campaign.get("plan"):
        return campaign["plan"]["citation"]
    date = f" ngày {campaign['plan_date']}" if campaign.get("plan_date") else ""
    return (
        f"Kế hoạch số {campaign['plan_reference']}{date} của {campaign['department']} về tổ chức thực hiện "
        f"Phong trào thi đua “{campaign['name']}”"
    )


def _meeting_line(meetings):
    if not meetings:
        return ""
    parts = [
        f"ngày {meeting['date']} ({meeting['present']}/{meeting['member_count']} thành viên dự họp)"
        for meeting in meetings
    ]
    return (
        f"Căn cứ kết quả họp, bỏ phiếu kín của Hội đồng Thi đua - Khen thưởng Sở {'; '.join(parts)}, "
        "các tập thể, cá nhân dưới đây đạt số phiếu đồng ý theo quy định;"
    )


def build(document):
    content = document.content
    campaign = content["campaign"]
    period = content["round"]["period"]
    forms = content["forms"]
    paragraphs = [f"Thực hiện {plan_citation(campaign)};"]
    meeting_line = _meeting_line(content.get("meetings", []))
    if meeting_line:
        paragraphs.append(meeting_line)
    paragraphs.append(
        f"{campaign['department']} kính đề nghị {content['recipient']} xem xét, khen thưởng (hoặc trình cấp có "
        f"thẩm quyền khen thưởng) cho các tập thể, cá nhân đã có thành tích trong Phong trào thi đua {period}, cụ thể:"
    )
    for form in forms:
        label = form_label(form)
        paragraphs.append(f"- {label[:1].upper()}{label[1:]} ({form['authority']}): {counts_text(form)};")
    paragraphs.append("(Có danh sách và hồ sơ kèm theo.)")
    paragraphs.append(f"{campaign['department']} kính trình {content['recipient']} xem xét, quyết định./.")
    result = Document(
        type_name="TỜ TRÌNH",
        addressee=content["recipient"],
        sections=[Section(paragraphs=paragraphs)],
        **header_fields(document),
    )
    result.annexes = [
        Annex(
            label="DANH SÁCH",
            title=f"TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG {period.upper()}",
            reference=f"(Kèm theo Tờ trình {result.reference} của {campaign['department']})",
            tables=recipient_tables(
                forms, extra_header=("Số phiếu đồng ý/tổng số thành viên Hội đồng",), extra_key="votes"
            ),
            landscape=True,
        )
    ]
    return result
