"""The council's minutes: a JSON snapshot of the closed meeting, built into the Nghị định 30 renderer's document."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.documents.minutes import build, minutes_content, minutes_summary, round_phrase
from awards.errors import InvalidTransition, NotAllowed
from awards.models import AwardDocument, CouncilMeeting
from awards.services import council as services
from documents.render import render_pdf
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from tests.pdf_text import pdf_text


def at(year, month, day, hour, minute):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


@pytest.fixture
def closed(annual_round, council, reviewer, forms, own_unit, other_unit, person):
    """Four of five present, from 08:00 to 10:30 on 15 December; Chiến sĩ thi đua cơ sở 4–0 passes (80% of 5),
    a collective 1–2 fails (no simple majority)."""
    absent = council[4].user
    meeting = make_meeting(
        annual_round, council, created_by=reviewer, attended=[seat.user for seat in council if seat.user != absent]
    )
    meeting.scheduled_at = at(annual_round.year, 12, 15, 8, 0)
    meeting.save(update_fields=["scheduled_at"])
    csts = put_on_agenda(
        meeting, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    )
    team = put_on_agenda(meeting, make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=other_unit))
    services.tally_enter(
        meeting=meeting,
        counts={csts.pk: {"agree": 4, "disagree": 0}, team.pk: {"agree": 1, "disagree": 2}},
        actor=reviewer,
    )
    services.meeting_close(
        meeting=meeting,
        actor=reviewer,
        notes="Đề nghị đơn vị bổ sung số liệu năm sau.",
        ended_at=at(annual_round.year, 12, 15, 10, 30),
    )
    meeting.refresh_from_db()
    return meeting


def _document(meeting):
    return AwardDocument(
        kind=AwardDocument.Kind.MINUTES,
        round=meeting.round,
        summary=minutes_summary(meeting),
        content=json.loads(json.dumps(minutes_content(meeting))),
    )


def test_content_is_a_json_snapshot_of_the_meeting(closed, council):
    content = minutes_content(closed)
    assert json.loads(json.dumps(content)) == content
    assert content["member_count"] == 5
    assert content["quorum"] == {"percent": "66.67", "needed": 4, "attended": 4, "met": True}
    assert content["chair"] == council[0].user.full_name
    assert content["secretary"] == council[1].user.full_name
    assert [(m["name"], m["attended"]) for m in content["members"] if not m["attended"]] == [
        (council[4].user.full_name, False)
    ]
    assert [(i["agree"], i["disagree"], i["outcome"]) for i in content["items"]] == [(4, 0, "passed"), (1, 2, "failed")]
    assert content["meeting"]["notes"] == "Đề nghị đơn vị bổ sung số liệu năm sau."


def test_pdf_holds_the_header_members_and_counts_exactly(closed, council, person, annual_round):
    pdf = render_pdf(build(_document(closed)))
    flat = pdf_text(pdf)
    assert "UBND TỈNH QUẢNG NGÃI" in flat
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "/BB-SKHCN" in flat
    assert "BIÊN BẢN" in flat
    assert f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {annual_round.year}" in flat
    for seat in council:
        assert seat.user.full_name in flat
    assert "Tổng số thành viên Hội đồng: 5; có mặt: 4; vắng mặt: 1." in flat
    assert f"Thời gian: bắt đầu lúc 08 giờ 00, kết thúc lúc 10 giờ 30 ngày 15/12/{annual_round.year}." in flat
    assert (
        f"{person.full_name} (Chiến sĩ thi đua cơ sở): 4/5 phiếu đồng ý, bằng 80% tổng số thành viên Hội đồng "
        "(0 phiếu không đồng ý); điều kiện đạt: từ 80% tổng số thành viên (4/5 phiếu) trở lên: đạt." in flat
    )
    assert "1/3 phiếu đồng ý, bằng 33,33% số phiếu biểu quyết (2 phiếu không đồng ý)" in flat
    assert "CHỦ TỌA" in flat
    assert "THƯ KÝ" in flat
    assert "Đề nghị đơn vị bổ sung số liệu năm sau." in flat


def test_build_uses_the_register_number_once_issued(closed):
    document = build(_document(closed))
    assert document.type_code == "BB"
    assert document.type_name == "BIÊN BẢN"
    assert document.summary.startswith("Họp Hội đồng Thi đua - Khen thưởng xét")
    assert document.signature.name == closed.members.get(role="chair").name
    assert document.draft
    assert document.number is None


def test_minutes_are_requested_after_closing_and_linked(closed, reviewer, django_capture_on_commit_callbacks):
    document = services.minutes_request(meeting=closed, actor=reviewer)
    closed.refresh_from_db()
    assert closed.minutes == document
    assert document.kind == AwardDocument.Kind.MINUTES
    assert document.content["items"][0]["agree"] == 4
    with pytest.raises(InvalidTransition):
        services.minutes_request(meeting=closed, actor=reviewer)
    assert AwardDocument.objects.count() == 1


def test_no_minutes_before_the_meeting_closes(annual_round, council, reviewer):
    meeting = make_meeting(annual_round, council, created_by=reviewer)
    with pytest.raises(InvalidTransition):
        services.minutes_request(meeting=meeting, actor=reviewer)
    assert not AwardDocument.objects.exists()


def test_a_plain_member_does_not_request_the_minutes(closed, council_member):
    with pytest.raises(NotAllowed):
        services.minutes_request(meeting=closed, actor=council_member)
    assert not AwardDocument.objects.exists()


def test_minutes_button_posts_and_the_page_links_the_document(client, closed, reviewer, monkeypatch):
    from awards.services import documents

    monkeypatch.setattr(documents.RENDER_JOB, "enqueue", lambda document_id: True)
    client.force_login(reviewer)
    response = client.post(reverse("awards:meeting_minutes", args=[closed.pk]))
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.minutes is not None
    page = client.get(reverse("awards:meeting_detail", args=[closed.pk]))
    assert page.context["minutes_link"] in ("", reverse("awards:document_detail", args=[closed.minutes_id]))
    assert CouncilMeeting.objects.get(pk=closed.pk).status == CouncilMeeting.Status.CLOSED


def _paragraphs(document):
    return [paragraph for section in document.sections for paragraph in section.paragraphs]


def test_minutes_state_each_figure_on_the_base_its_rule_counts_on(closed, other_unit, annual_round):
    paragraphs = _paragraphs(build(_document(closed)))
    assert (
        "Có mặt 4/5 thành viên (80%), đạt tỷ lệ tối thiểu hai phần ba tổng số thành viên (4/5) theo quy định; "
        "cuộc họp đủ điều kiện tiến hành." in paragraphs
    )
    assert (
        f"2. {other_unit.name} (Tập thể lao động tiên tiến): 1/3 phiếu đồng ý, bằng 33,33% số phiếu biểu quyết "
        "(2 phiếu không đồng ý); điều kiện đạt: quá nửa số phiếu biểu quyết (2/3 phiếu) trở lên; khi số phiếu "
        "ngang nhau, theo ý kiến của Chủ tịch Hội đồng: không đạt." in paragraphs
    )


def test_minutes_name_the_round_in_running_words(closed, annual_round):
    paragraphs = _paragraphs(build(_document(closed)))
    assert (
        f"Hội đồng xét 2 hồ sơ đề nghị khen thưởng của đợt xét khen thưởng năm {annual_round.year} "
        "và biểu quyết bằng hình thức bỏ phiếu kín bằng giấy." in paragraphs
    )
    assert not [paragraph for paragraph in paragraphs if "thuộc Xét" in paragraph]


def test_round_phrase_lowers_the_first_word_only():
    assert round_phrase("Xét khen thưởng năm 2026") == "đợt xét khen thưởng năm 2026"
    assert round_phrase("Đợt xét khen thưởng tổng kết giai đoạn 1") == "đợt xét khen thưởng tổng kết giai đoạn 1"
    assert round_phrase("UBND tỉnh giao chỉ tiêu") == "đợt UBND tỉnh giao chỉ tiêu"


def test_conclusion_says_who_confers_without_hedging(closed, person, other_unit):
    paragraphs = _paragraphs(build(_document(closed)))
    assert f"Hội đồng thống nhất đề nghị Giám đốc Sở khen thưởng: {person.full_name} (Chiến sĩ thi đua cơ sở)." in (
        paragraphs
    )
    assert f"Hội đồng không đề nghị khen thưởng: {other_unit.name} (Tập thể lao động tiên tiến)." in paragraphs
    assert not [paragraph for paragraph in paragraphs if "hoặc trình" in paragraph]


def test_minutes_frozen_before_the_end_time_still_render(closed, person):
    document = _document(closed)
    for key in ("end_date", "end_time"):
        del document.content["meeting"][key]
    for item in document.content["items"]:
        del item["threshold"], item["upward"]
    paragraphs = _paragraphs(build(document))
    assert f"Thời gian: bắt đầu lúc 08 giờ 00 ngày 15/12/{closed.round.year}." in paragraphs
    assert any(
        paragraph.startswith(f"1. {person.full_name} (Chiến sĩ thi đua cơ sở): 4 phiếu đồng ý")
        for paragraph in paragraphs
    )
    assert f"Hội đồng thống nhất đề nghị khen thưởng: {person.full_name} (Chiến sĩ thi đua cơ sở)." in paragraphs
    assert render_pdf(build(document)).startswith(b"%PDF")


def test_an_end_on_another_day_names_both_days(closed):
    document = _document(closed)
    document.content["meeting"]["end_date"] = f"16/12/{closed.round.year}"
    paragraphs = _paragraphs(build(document))
    year = closed.round.year
    assert (
        f"Thời gian: bắt đầu lúc 08 giờ 00 ngày 15/12/{year}, kết thúc lúc 10 giờ 30 ngày 16/12/{year}." in paragraphs
    )
