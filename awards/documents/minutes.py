"""The council's minutes (biên bản họp Hội đồng Thi đua - Khen thưởng, Nghị định 30 model 1.9).

`minutes_content` freezes a closed meeting into a JSON snapshot, stored on the AwardDocument;
`build` makes the shared renderer's Document from that snapshot alone, so a re-render later gives
the same text even if members, units or nominations have changed since. Every figure is stated on
the base its rule counts on (awards/ballot_rules.py): attendance on all members against the quorum,
a ballot's votes on all members (or those present) against its threshold, a simple majority on the
votes cast. Snapshots frozen before the end time and the thresholds were kept still render.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from documents.model import Document, Section, Signature, Table

from ..ballot_rules import quorum_status, votes_needed
from ..models import AgendaItem, AwardForm, CouncilMeeting, CouncilRole

TYPE_CODE = "BB"
TYPE_NAME = "BIÊN BẢN"
ROLE_ORDER = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.MEMBER: 2, CouncilRole.SECRETARY: 3}
TWO_THIRDS = Decimal("66.67")
BALLOT = "ballot"
MAJORITY = "majority"


def _percent(value):
    return f"{Decimal(value).normalize():f}".replace(".", ",")


def _share(count, base):
    """ "77,78": `count` of `base` in percent, to the two decimals the rules compare at."""
    if not base:
        return "0"
    return _percent((Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _quorum_words(percent):
    """ "hai phần ba tổng số thành viên" for 66.67%, the percentage otherwise."""
    if Decimal(percent) == TWO_THIRDS:
        return "hai phần ba tổng số thành viên"
    return f"{_percent(percent)}% tổng số thành viên"


def round_phrase(title):
    """ "đợt xét khen thưởng năm 2026" for the round "Xét khen thưởng năm 2026" (an acronym keeps its capitals)."""
    title = title.strip()
    if title.lower().startswith("đợt "):
        title = title[4:].strip()
    first_word = title.split(" ", 1)[0]
    if not first_word[1:2].isupper():
        title = f"{title[:1].lower()}{title[1:]}"
    return f"đợt {title}"


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


def _threshold(form, member_count, attended):
    """The rule the item was decided by, with its base, as ballot_rules.decide applies it."""
    if form.requires_council_ballot:
        all_members = form.threshold_base == AwardForm.ThresholdBase.ALL_MEMBERS
        base = member_count if all_members else attended
        return {
            "kind": BALLOT,
            "percent": str(form.ballot_threshold_percent),
            "base": base,
            "all_members": all_members,
            "needed": votes_needed(form.ballot_threshold_percent, base),
        }
    return {"kind": MAJORITY, "chair_breaks_ties": form.chair_breaks_ties}


def minutes_content(meeting):
    """A JSON-serialisable snapshot of a closed meeting: what the minutes say, frozen."""
    campaign = meeting.round.campaign
    members = sorted(meeting.members.all(), key=lambda member: (ROLE_ORDER.get(member.role, 9), member.name))
    items = list(meeting.agenda.select_related("nomination__form", "nomination__person").order_by("position", "pk"))
    quorum = quorum_status(meeting, items=items, members=members)
    scheduled = timezone.localtime(meeting.began_at)  # the actual start when the meeting was opened early
    ended = timezone.localtime(meeting.ended_at) if meeting.ended_at else None
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
            "end_date": ended.strftime("%d/%m/%Y") if ended else None,
            "end_time": ended.strftime("%H:%M") if ended else None,
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
                "threshold": _threshold(item.nomination.form, meeting.member_count, quorum["attended"]),
                "upward": not item.nomination.form.conferred_by_department,
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
    count = content["member_count"]
    paragraphs.append(
        f"Có mặt {quorum['attended']}/{count} thành viên ({_share(quorum['attended'], count)}%), "
        f"{'đạt' if quorum['met'] else 'không đạt'} tỷ lệ tối thiểu {_quorum_words(quorum['percent'])} "
        f"({quorum['needed']}/{count}) theo quy định; cuộc họp {'đủ' if quorum['met'] else 'không đủ'} "
        "điều kiện tiến hành."
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
        f"Hội đồng xét {len(items)} hồ sơ đề nghị khen thưởng của {round_phrase(content['round']['title'])} "
        f"và biểu quyết bằng hình thức {content['meeting']['voting']}."
    ]
    for item in items:
        line = f"{item['position']}. {item['nominee']} ({item['form']}): " + _vote_text(item, content["member_count"])
        if item["chair_casting_vote"] is not None:
            side = "đồng ý" if item["chair_casting_vote"] else "không đồng ý"
            line += f" Số phiếu ngang nhau; Chủ tịch Hội đồng quyết định theo phía {side}."
        paragraphs.append(line)
    return Section(heading="III. NỘI DUNG VÀ KẾT QUẢ BIỂU QUYẾT", paragraphs=paragraphs, tables=[table])


def _vote_text(item, member_count):
    """The votes on the base the item's rule counts on, the rule, and the result."""
    agree, disagree, result = item["agree"], item["disagree"], item["outcome_label"].lower()
    threshold = item.get("threshold")
    if threshold is None:
        # Frozen before the thresholds were kept: the rule as it was written then.
        return (
            f"{agree} phiếu đồng ý, {disagree} phiếu không đồng ý trên tổng số {member_count} thành viên Hội đồng; "
            f"điều kiện đạt: {item['rule']}; kết quả: {result}."
        )
    if threshold["kind"] == BALLOT:
        base = threshold["base"]
        of_whom = "tổng số thành viên" if threshold["all_members"] else "số thành viên có mặt"
        return (
            f"{agree}/{base} phiếu đồng ý, bằng {_share(agree, base)}% {of_whom}"
            f"{' Hội đồng' if threshold['all_members'] else ''} ({disagree} phiếu không đồng ý); "
            f"điều kiện đạt: từ {_percent(threshold['percent'])}% {of_whom} ({threshold['needed']}/{base} phiếu) "
            f"trở lên: {result}."
        )
    cast = agree + disagree
    tie = "; khi số phiếu ngang nhau, theo ý kiến của Chủ tịch Hội đồng" if threshold["chair_breaks_ties"] else ""
    return (
        f"{agree}/{cast} phiếu đồng ý, bằng {_share(agree, cast)}% số phiếu biểu quyết "
        f"({disagree} phiếu không đồng ý); điều kiện đạt: quá nửa số phiếu biểu quyết "
        f"({cast // 2 + 1}/{cast} phiếu) trở lên{tie}: {result}."
    )


def _names(items):
    return "; ".join(f"{item['nominee']} ({item['form']})" for item in items)


def _conclusion_section(content):
    passed = [item for item in content["items"] if item["outcome"] == AgendaItem.Outcome.PASSED]
    failed = [item for item in content["items"] if item["outcome"] != AgendaItem.Outcome.PASSED]
    paragraphs = []
    if passed and any("upward" not in item for item in passed):
        # Frozen before the conclusion said who confers.
        paragraphs.append(f"Hội đồng thống nhất đề nghị khen thưởng: {_names(passed)}.")
    elif passed:
        here = [item for item in passed if not item["upward"]]
        above = [item for item in passed if item["upward"]]
        if here:
            paragraphs.append(f"Hội đồng thống nhất đề nghị Giám đốc Sở khen thưởng: {_names(here)}.")
        if above:
            paragraphs.append(f"Hội đồng thống nhất đề nghị cấp trên khen thưởng: {_names(above)}.")
    if failed:
        paragraphs.append(f"Hội đồng không đề nghị khen thưởng: {_names(failed)}.")
    paragraphs.append("Biên bản được lập và thông qua tại cuộc họp.")
    return Section(heading="V. KẾT LUẬN", paragraphs=paragraphs)


def _time_line(meeting):
    """ "Thời gian: bắt đầu lúc 08 giờ 00, kết thúc lúc 10 giờ 30 ngày 15/12/2026." """
    start = "lúc {} giờ {}".format(*meeting["time"].split(":"))
    if not meeting.get("end_time"):
        return f"Thời gian: bắt đầu {start} ngày {meeting['date']}."
    end = "lúc {} giờ {}".format(*meeting["end_time"].split(":"))
    if meeting["end_date"] == meeting["date"]:
        return f"Thời gian: bắt đầu {start}, kết thúc {end} ngày {meeting['date']}."
    return f"Thời gian: bắt đầu {start} ngày {meeting['date']}, kết thúc {end} ngày {meeting['end_date']}."


def build(document):
    """The minutes as the shared renderer's Document, from `document.content` and the document's own fields."""
    content = document.content
    campaign = content["campaign"]
    meeting = content["meeting"]
    opening = Section(
        heading="I. THỜI GIAN, ĐỊA ĐIỂM",
        paragraphs=[
            _time_line(meeting),
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
        # Mẫu 1.9: the secretary signs on the left, the chair on the right, "Nơi nhận" below them.
        signature=Signature(title="CHỦ TỌA", name=content["chair"]),
        co_signature=Signature(title="THƯ KÝ", name=content["secretary"]),
        recipients=["- Lãnh đạo Sở;", "- Thành viên Hội đồng;", "- Lưu: VT, HCTH."],
        number=entry.number if entry else None,
        issued_on=entry.issued_on if entry else None,
        year=int(meeting["date"][-4:]),
        draft=document.status == document.Status.DRAFT,
    )
