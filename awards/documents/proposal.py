"""The proposal upward (Tờ trình đề nghị khen thưởng, Nghị định 30 model 1.4) with its annex of nominees.

Built only from the document's frozen content and its own fields; the dossiers go in a zip beside it. The
proposal asks plainly for what the addressee does: confer the form ("tặng …") or, where the form is conferred
further up, submit it ("trình Thủ tướng Chính phủ đề nghị Chủ tịch nước tặng …", the form's route). A proposal of
annual emulation titles (content "group" "titles") names no campaign.
"""

from documents.model import Annex, Document, Section

from .decision import TITLES, as_list, capitalised, counts_text, form_label, header_fields, recipient_tables


def plan_citation(campaign):
    """The plan as the content cites it; content frozen before plans were cited documents kept their fields."""
    if campaign.get("plan"):
        return campaign["plan"]["citation"]
    if not campaign.get("plan_reference"):
        return ""
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


def _ask(form):
    """What the addressee is asked to do for one form: "tặng …", or "trình … tặng …" when it goes further up."""
    route = (form.get("route") or "").strip()
    return f"trình {route} tặng {form_label(form)}" if route else f"tặng {form_label(form)}"


def _request(content):
    """The paragraphs that say what is asked, ending with a list that ends with "."."""
    department = content["campaign"]["department"]
    asked = content.get("asked") or content["recipient"]
    forms = content["forms"]
    titles = content.get("group") == TITLES
    year = content["round"]["year"]
    if titles:
        achievement = f"năm {year}"
    else:
        achievement = (
            f"đã có thành tích xuất sắc trong Phong trào thi đua “{content['campaign']['name']}” "
            f"{content['round']['period']}"
        )
    if len(forms) == 1:
        form = forms[0]
        if titles:
            return [f"{department} kính đề nghị {asked} xem xét, {_ask(form)} năm {year} cho {counts_text(form)}."]
        return [f"{department} kính đề nghị {asked} xem xét, {_ask(form)} cho {counts_text(form)} {achievement}."]
    if titles:
        lead = f"{department} kính đề nghị {asked} xem xét khen thưởng các tập thể, cá nhân có thành tích {achievement}"
    else:
        lead = f"{department} kính đề nghị {asked} xem xét khen thưởng các tập thể, cá nhân {achievement}"
    return [
        f"{lead}, cụ thể như sau:",
        *as_list([f"- {capitalised(_ask(form))} cho {counts_text(form)}" for form in forms]),
    ]


def build(document):
    content = document.content
    campaign = content["campaign"]
    period = content["round"]["period"]
    forms = content["forms"]
    paragraphs = []
    plan = plan_citation(campaign) if content.get("group") != TITLES else ""
    if plan:
        paragraphs.append(f"Thực hiện {plan};")
    meeting_line = _meeting_line(content.get("meetings", []))
    if meeting_line:
        paragraphs.append(meeting_line)
    paragraphs += _request(content)
    paragraphs.append("(Có danh sách và hồ sơ kèm theo.)")
    asked = content.get("asked") or content["recipient"]
    paragraphs.append(f"{campaign['department']} kính trình {asked} xem xét, quyết định./.")
    if content.get("group") == TITLES:
        title = f"TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ TẶNG DANH HIỆU THI ĐUA NĂM {content['round']['year']}"
    else:
        title = f"TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG {period.upper()}"
    result = Document(
        type_name="TỜ TRÌNH",
        addressee=content["recipient"],
        sections=[Section(paragraphs=paragraphs)],
        **header_fields(document),
    )
    result.annexes = [
        Annex(
            label="DANH SÁCH",
            title=title,
            reference=f"(Kèm theo Tờ trình {result.reference} của {campaign['department']})",
            tables=recipient_tables(
                forms, extra_header=("Số phiếu đồng ý/tổng số thành viên Hội đồng",), extra_key="votes"
            ),
            landscape=True,
        )
    ]
    return result
