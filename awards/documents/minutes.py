"""The council's minutes (biên bản họp Hội đồng Thi đua - Khen thưởng, Nghị định 30 model 1.9).

`minutes_content` freezes a closed meeting into a JSON snapshot, stored on the AwardDocument;
`build` makes the shared renderer's Document from that snapshot alone, so a re-render later gives
the same text even if members, units or nominations have changed since.
"""

from decimal import Decimal

from django.utils import timezone

from documents.model import Document, Section, Signature, Table

from ..ballot_rules import quorum_status, votes_needed
from ..models import AgendaItem, AwardForm, CouncilMeeting, CouncilRole

TYPE_CODE = "BB"
TYPE_NAME = "BIÊN BẢN"
ROLE_ORDER = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.MEMBER: 2, CouncilRole.SECRETARY: 3}


def _percent(value):
    return f"{Decimal(value).normalize():f}".replace(".", ",")


VOTING_WORDS = {
    CouncilMeeting.Voting.PAPER: "bỏ phiếu kín bằng giấy",
    CouncilMeeting.Voting.ELECTRONIC: "bỏ phiếu kín điện tử",
}


def minutes_summary(meeting):
    """ "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2026" from the round "Xét khen thưởng năm 2026"."""
    title = meeting.round.title.strip()
    if title.lower().startswith("xét "):
        title = title[4:]
    return f"Họp Hội đồng Thi đua - Khen thưởng xét {title[:1].lower()}{title[1:]}"


def _rule(form, member_count, attended):
    if form.requires_council_ballot:
        base = member_count if form.threshold_base == AwardForm.ThresholdBase.ALL_MEMBERS else attended
        label = "tổng số thành viên" if form.threshold_base == AwardForm.ThresholdBase.ALL_MEMBERS else "số có mặt"
        needed = votes_needed(form.ballot_threshold_percent, base)
        return f"từ {_percent(form.ballot_threshold_percent)}% {label} ({needed}/{base} phiếu) trở lên"
    return "quá nửa số phiếu của thành viên có mặt"


def minutes_content(meeting):
    """A JSON-serialisable snapshot of a closed meeting: what the minutes say, frozen."""
    campaign = meeting.round.campaign
    members = sorted(meeting.members.all(), key=lambda member: (ROLE_ORDER.get(member.role, 9), member.name))
    items = list(meeting.agenda.select_related("nomination__form", "nomination__person").order_by("position", "pk"))
    quorum = quorum_status(meeting, items=items, members=members)
    scheduled = timezone.localtime(meeting.scheduled_at)
    chair = next((member.name for member in members if member.role == CouncilRole.CHAIR), "")
    secretary = next((member.name for member in members if member.role == CouncilRole.SECRETARY), "")
    return {
        "campaign": {
            "governing_body": campaign.governing_body,
            "issuing_body": campaign.issuing_body,
            "issuer_code": campaign.issuing_body_abbreviation,
            "place": campaign.place_name,
        },
        "round": {"title": meeting.round.title, "year": meeting.round.year},
        "meeting": {
            "title": meeting.title,
            "date": scheduled.strftime("%d/%m/%Y"),
            "time": scheduled.strftime("%H:%M"),
            "place": meeting.place,
            "voting": VOTING_WORDS.get(meeting.voting, meeting.get_voting_display()),
            "notes": meeting.notes,
        },
        "member_count": meeting.member_count,
        "members": [
            {
                "name": member.name,
                "role": member.role,
                "role_label": member.get_role_display(),
                "attended": member.attended,
            }
            for member in members
        ],
        "quorum": {
            "percent": str(quorum["percent"]),
            "needed": quorum["needed"],
            "attended": quorum["attended"],
            "met": quorum["met"],
        },
        "chair": chair,
        "secretary": secretary,
        "items": [
            {
                "position": number,
                "nominee": item.nomination.nominee_name,
                "nominee_position": item.nomination.nominee_position,
                "unit": item.nomination.nominee_unit_name,
                "form": str(item.nomination.form),
                "rule": _rule(item.nomination.form, meeting.member_count, quorum["attended"]),
                "agree": item.agree,
                "disagree": item.disagree,
                "chair_casting_vote": item.chair_casting_vote,
                "outcome": item.outcome,
                "outcome_label": AgendaItem.Outcome(item.outcome).label,
            }
            for number, item in enumerate(items, start=1)
        ],
    }


def _attendance_sections(content):
    members = content["members"]
    present = [member for member in members if member["attended"]]
    absent = [member for member in members if not member["attended"]]
    quorum = content["quorum"]
    paragraphs = [
        f"Tổng số thành viên Hội đồng: {content['member_count']}; có mặt: {len(present)}; vắng mặt: {len(absent)}.",
        "Thành viên có mặt: " + "; ".join(f"{m['name']} ({m['role_label']})" for m in present) + "."
        if present
        else "Thành viên có mặt: không có.",
    ]
    if absent:
        paragraphs.append("Thành viên vắng mặt: " + "; ".join(f"{m['name']} ({m['role_label']})" for m in absent) + ".")
    paragraphs.append(
        f"Số thành viên có mặt {quorum['attended']}/{content['member_count']}, "
        f"{'đạt' if quorum['met'] else 'không đạt'} tỷ lệ tối thiểu {_percent(quorum['percent'])}% "
        f"({quorum['needed']} thành viên) theo quy định; cuộc họp "
        f"{'đủ' if quorum['met'] else 'không đủ'} điều kiện tiến hành."
    )
    paragraphs.append(f"Chủ trì (chủ tọa): {content['chair']}.")
    paragraphs.append(f"Thư ký (người ghi biên bản): {content['secretary']}.")
    table = Table(
        header=["STT", "Họ và tên", "Vai trò trong Hội đồng", "Có mặt"],
        rows=[
            [str(number), m["name"], m["role_label"], "Có mặt" if m["attended"] else "Vắng mặt"]
            for number, m in enumerate(members, start=1)
        ],
        title="Danh sách thành viên Hội đồng",
    )
    return Section(heading="II. THÀNH PHẦN THAM DỰ", paragraphs=paragraphs, tables=[table])


def _results_section(content):
    items = content["items"]
    rows = [
        [
            str(item["position"]),
            item["nominee"] + (f", {item['nominee_position']}" if item["nominee_position"] else ""),
            item["unit"],
            item["form"],
            str(item["agree"]),
            str(item["disagree"]),
            item["outcome_label"],
        ]
        for item in items
    ]
    table = Table(
        header=["STT", "Tập thể, cá nhân", "Đơn vị", "Hình thức khen thưởng", "Đồng ý", "Không đồng ý", "Kết quả"],
        rows=rows,
        title="Kết quả bỏ phiếu",
        numeric_columns=(4, 5),
    )
    paragraphs = [
        f"Hội đồng xem xét {len(items)} hồ sơ đề nghị khen thưởng thuộc {content['round']['title']} "
        f"và biểu quyết bằng hình thức {content['meeting']['voting']}."
    ]
    for item in items:
        line = (
            f"{item['position']}. {item['nominee']} ({item['form']}): {item['agree']} phiếu đồng ý, "
            f"{item['disagree']} phiếu không đồng ý trên tổng số {content['member_count']} thành viên Hội đồng; "
            f"điều kiện đạt: {item['rule']}; kết quả: {item['outcome_label'].lower()}."
        )
        if item["chair_casting_vote"] is not None:
            side = "đồng ý" if item["chair_casting_vote"] else "không đồng ý"
            line += f" Số phiếu ngang nhau; Chủ tịch Hội đồng quyết định theo phía {side}."
        paragraphs.append(line)
    return Section(heading="III. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT", paragraphs=paragraphs, tables=[table])


def _conclusion_section(content):
    passed = [item for item in content["items"] if item["outcome"] == AgendaItem.Outcome.PASSED]
    failed = [item for item in content["items"] if item["outcome"] != AgendaItem.Outcome.PASSED]
    paragraphs = []
    if passed:
        paragraphs.append(
            "Hội đồng thống nhất đề nghị Giám đốc Sở xem xét khen thưởng (hoặc trình cấp có thẩm quyền khen thưởng): "
            + "; ".join(f"{item['nominee']} ({item['form']})" for item in passed)
            + "."
        )
    if failed:
        paragraphs.append(
            "Không đề nghị khen thưởng: " + "; ".join(f"{item['nominee']} ({item['form']})" for item in failed) + "."
        )
    paragraphs.append("Biên bản được lập và thông qua tại cuộc họp.")
    return Section(heading="V. KẾT LUẬN", paragraphs=paragraphs)


def build(document):
    """The minutes as the shared renderer's Document, from `document.content` and the document's own fields."""
    content = document.content
    campaign = content["campaign"]
    meeting = content["meeting"]
    hour, minute = meeting["time"].split(":")
    opening = Section(
        heading="I. THỜI GIAN, ĐỊA ĐIỂM",
        paragraphs=[
            f"Thời gian bắt đầu: {hour} giờ {minute}, ngày {meeting['date']}.",
            f"Địa điểm: {meeting['place'] or '…'}.",
            f"Cuộc họp: {meeting['title']}.",
        ],
    )
    notes = [line for line in (meeting.get("notes") or "").split("\n") if line.strip()]
    sections = [
        opening,
        _attendance_sections(content),
        _results_section(content),
        Section(heading="IV. Ý KIẾN TẠI CUỘC HỌP", paragraphs=notes or ["Không có ý kiến khác."]),
        _conclusion_section(content),
        # The shared signature block holds one signer: the chair signs there, the secretary here.
        Section(heading="THƯ KÝ", paragraphs=[f"(Ký, ghi rõ họ tên) {content['secretary']}"]),
    ]
    entry = document.register_entry
    return Document(
        governing_body=campaign["governing_body"],
        issuing_body=campaign["issuing_body"],
        type_code=TYPE_CODE,
        issuer_code=campaign["issuer_code"],
        type_name=TYPE_NAME,
        summary=document.summary,
        place=campaign["place"],
        sections=sections,
        signature=Signature(title="CHỦ TỌA", name=content["chair"]),
        recipients=["- Lãnh đạo Sở;", "- Thành viên Hội đồng;", "- Lưu: VT, HCTH."],
        number=entry.number if entry else None,
        issued_on=entry.issued_on if entry else None,
        year=int(meeting["date"][-4:]),
        draft=document.status == document.Status.DRAFT,
    )
