"""The council's pages: who sees what (404 for meetings one does not belong to), the forms, and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.models import AgendaItem, CouncilMeeting, CouncilMember, MeetingMember, Nomination
from awards.permissions import visible_nominations_filter
from awards.services import council as services
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from tests.factories import UserFactory
from tests.query_budget import PAGE, WAITING_COUNCIL_MEMBER, WAITING_OFFICE
from units.capabilities import Capability


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


@pytest.fixture
def held(annual_round, council, reviewer):
    return make_meeting(annual_round, council, created_by=reviewer)


@pytest.fixture
def item(held, annual_round, forms, own_unit, person):
    return put_on_agenda(
        held, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    )


@pytest.fixture
def outsider_member(db, other_unit):
    """A council member who does not sit on the meeting."""
    return UserFactory(
        username="hoidongkhac", unit=other_unit, position="staff", capabilities=[Capability.COUNCIL_MEMBER]
    )


@pytest.fixture
def planned(annual_round, council, reviewer):
    return services.meeting_create(
        award_round=annual_round,
        title="Phiên họp tháng 12",
        scheduled_at=timezone.now(),
        place="Phòng họp số 1",
        voting="paper",
        actor=reviewer,
    )


# --- who sees what ---------------------------------------------------------------------------------------


def test_council_member_sees_their_meeting_and_its_dossiers(client, held, item, council_member):
    client.force_login(council_member)
    home = client.get(url("council_home"))
    assert home.status_code == 200
    assert [meeting.pk for meeting in home.context["meetings"]] == [held.pk]
    assert home.context["composition"] is None
    assert client.get(url("meeting_detail", held.pk)).status_code == 200


def test_council_member_gets_404_for_a_meeting_they_do_not_belong_to(client, held, item, outsider_member):
    client.force_login(outsider_member)
    assert client.get(url("meeting_detail", held.pk)).status_code == 404
    assert client.get(url("council_home")).context["meetings"] == []
    for name in ("meeting_attendance", "meeting_tally", "ballot", "agenda_add"):
        assert client.get(url(name, held.pk)).status_code == 404, name
    assert client.post(url("meeting_close", held.pk)).status_code == 404


def test_council_member_reads_only_the_dossiers_on_their_meetings(
    held, item, annual_round, forms, other_unit, council_member, outsider_member
):
    elsewhere = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=other_unit)
    visible = set(Nomination.objects.filter(visible_nominations_filter(council_member)).values_list("pk", flat=True))
    assert item.nomination_id in visible
    assert elsewhere.pk not in visible
    assert not Nomination.objects.filter(visible_nominations_filter(outsider_member), pk=item.nomination_id).exists()


def test_council_member_cannot_open_a_dossier_not_on_their_meetings(
    client, held, item, annual_round, forms, other_unit, council_member
):
    elsewhere = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=other_unit)
    client.force_login(council_member)
    assert client.get(url("nomination_detail", elsewhere.pk)).status_code == 404
    assert client.get(url("nomination_detail", item.nomination_id)).status_code == 200


def test_staff_without_a_council_role_gets_404(client, held, other_staff):
    client.force_login(other_staff)
    assert client.get(url("council_home")).status_code == 404
    assert client.get(url("meeting_detail", held.pk)).status_code == 404
    assert client.get(url("council_members")).status_code == 404
    assert client.get(url("meeting_create")).status_code == 404


def test_office_and_leadership_see_every_meeting_and_the_council(client, held, reviewer, leader, council):
    for user in (reviewer, leader):
        client.force_login(user)
        home = client.get(url("council_home"))
        assert [meeting.pk for meeting in home.context["meetings"]] == [held.pk]
        assert len(home.context["composition"]) == len(council)
        assert client.get(url("meeting_detail", held.pk)).status_code == 200


def test_leadership_may_not_act_for_the_office(client, held, item, planned, leader, council, other_staff):
    client.force_login(leader)
    assert client.post(url("council_members"), {"user": other_staff.pk, "role": "member"}).status_code == 403
    assert client.get(url("meeting_create")).status_code == 403
    assert client.get(url("agenda_add", planned.pk)).status_code == 403
    assert (
        client.post(url("meeting_tally", held.pk), {f"agree-{item.pk}": 5, f"disagree-{item.pk}": 0}).status_code == 403
    )
    assert client.post(url("meeting_close", held.pk)).status_code == 403
    assert not CouncilMember.objects.filter(user=other_staff).exists()
    item.refresh_from_db()
    assert item.agree is None


def test_actions_refuse_get(client, held, reviewer):
    client.force_login(reviewer)
    for name in ("meeting_close", "meeting_minutes", "ballot_count"):
        assert client.get(url(name, held.pk)).status_code == 405, name


# --- members ---------------------------------------------------------------------------------------------


def test_office_adds_a_member_through_the_page(client, reviewer, council, other_staff):
    client.force_login(reviewer)
    response = client.post(url("council_members"), {"user": other_staff.pk, "role": "vice_chair"})
    assert response.status_code == 302
    assert CouncilMember.objects.get(user=other_staff, is_active=True).role == "vice_chair"


def test_second_chair_through_the_page_shows_the_message(client, reviewer, council, other_staff):
    client.force_login(reviewer)
    response = client.post(
        url("council_members"), {"user": other_staff.pk, "role": "chair", "title_in_council": "Giám đốc"}
    )
    assert response.status_code == 200
    assert "Hội đồng đã có Chủ tịch" in response.content.decode()
    assert 'value="Giám đốc"' in response.content.decode()
    assert not CouncilMember.objects.filter(user=other_staff).exists()


def test_office_ends_a_seat(client, reviewer, council):
    client.force_login(reviewer)
    seat = council[3]
    assert client.post(url("council_member_end", seat.pk)).status_code == 302
    seat.refresh_from_db()
    assert not seat.is_active
    assert seat.until == timezone.localdate()


# --- meetings and agenda ---------------------------------------------------------------------------------


def test_office_convenes_a_meeting_with_a_vietnamese_date(client, annual_round, council, reviewer):
    client.force_login(reviewer)
    year = timezone.localdate().year + 1  # a meeting is convened for a time to come
    response = client.post(
        url("meeting_create"),
        {
            "round": annual_round.pk,
            "title": "Phiên họp",
            "scheduled_at": f"05/06/{year} 14:30",
            "place": "P.1",
            "voting": "paper",
        },
    )
    meeting = CouncilMeeting.objects.get()
    assert response.url == url("meeting_detail", meeting.pk)
    assert timezone.localtime(meeting.scheduled_at).replace(tzinfo=None) == datetime.datetime(year, 6, 5, 14, 30)
    assert meeting.members.count() == len(council)


def test_a_bad_date_keeps_what_was_typed(client, annual_round, council, reviewer):
    client.force_login(reviewer)
    response = client.post(
        url("meeting_create"),
        {
            "round": annual_round.pk,
            "title": "Phiên họp cuối năm",
            "scheduled_at": "31/02/2026 14:00",
            "voting": "paper",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thời gian không hợp lệ" in body
    assert 'value="Phiên họp cuối năm"' in body
    assert not CouncilMeeting.objects.exists()


def test_office_puts_nominations_on_the_agenda_and_takes_one_off(
    client, planned, annual_round, forms, own_unit, person, reviewer
):
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
    client.force_login(reviewer)
    page = client.get(url("agenda_add", planned.pk))
    assert nomination in page.context["form"].fields["nominations"].queryset
    client.post(url("agenda_add", planned.pk), {"nominations": [nomination.pk]})
    item = AgendaItem.objects.get(meeting=planned)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ON_AGENDA
    client.post(url("agenda_remove", planned.pk, item.pk))
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


# --- attendance, tally and closing -----------------------------------------------------------------------


def test_attendance_below_quorum_says_so(client, planned, council, reviewer):
    client.force_login(reviewer)
    members = list(planned.members.all()[:3])
    response = client.post(url("meeting_attendance", planned.pk), {"present": [m.pk for m in members]}, follow=True)
    assert "Chưa đủ số thành viên dự họp: có mặt 3/5, cần ít nhất 4" in response.content.decode()
    assert MeetingMember.objects.filter(meeting=planned, attended=True).count() == 3
    tally = client.get(url("meeting_tally", planned.pk))
    assert "Chưa nhập được kết quả kiểm phiếu" in tally.content.decode()


def test_tally_mistake_keeps_the_numbers_typed_and_saves_nothing(client, held, item, reviewer):
    client.force_login(reviewer)
    response = client.post(url("meeting_tally", held.pk), {f"agree-{item.pk}": "6", f"disagree-{item.pk}": "1"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "vượt quá số thành viên được bỏ phiếu có mặt: 5" in body
    assert 'value="6"' in body
    item.refresh_from_db()
    assert item.agree is None


def test_tally_refuses_words_and_negative_numbers(client, held, item, reviewer):
    client.force_login(reviewer)
    response = client.post(url("meeting_tally", held.pk), {f"agree-{item.pk}": "bốn", f"disagree-{item.pk}": "-1"})
    body = response.content.decode()
    assert "Số phiếu phải là số nguyên." in body
    assert "Số phiếu không được âm." in body
    assert 'value="bốn"' in body


def _typed(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_secretary_enters_the_tally_and_closes(client, held, item, reviewer):
    client.force_login(reviewer)
    client.post(url("meeting_tally", held.pk), {f"agree-{item.pk}": "4", f"disagree-{item.pk}": "1"})
    ended = held.scheduled_at + datetime.timedelta(hours=2)
    response = client.post(
        url("meeting_close", held.pk), {"notes": "Nhất trí.", "ended_at": _typed(ended)}, follow=True
    )
    assert "Cuộc họp đã kết thúc" in response.content.decode()
    item.refresh_from_db()
    assert item.nomination.status == Nomination.Status.RECOMMENDED
    assert "Hội đồng đề nghị khen thưởng" in response.content.decode()
    held.refresh_from_db()
    assert held.ended_at == ended.replace(second=0, microsecond=0)


def test_close_form_offers_now_as_the_end_time(client, held, item, reviewer):
    client.force_login(reviewer)
    page = client.get(url("meeting_detail", held.pk)).content.decode()
    assert 'name="ended_at"' in page
    assert f'value="{_typed(timezone.now())}"' in page


def test_close_refused_without_the_tally_shows_why(client, held, item, reviewer):
    client.force_login(reviewer)
    response = client.post(
        url("meeting_close", held.pk), {"notes": "Ý kiến đã gõ.", "ended_at": _typed(timezone.now())}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa nhập kết quả kiểm phiếu" in page
    assert "Ý kiến đã gõ." in page
    held.refresh_from_db()
    assert held.status == CouncilMeeting.Status.HELD


def test_an_end_before_the_start_is_refused_keeping_what_was_typed(client, held, item, reviewer):
    client.force_login(reviewer)
    client.post(url("meeting_tally", held.pk), {f"agree-{item.pk}": "4", f"disagree-{item.pk}": "1"})
    typed = _typed(held.scheduled_at - datetime.timedelta(hours=1))
    response = client.post(url("meeting_close", held.pk), {"notes": "Ý kiến đã gõ.", "ended_at": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "không được trước thời gian bắt đầu cuộc họp" in page
    assert f'value="{typed}"' in page
    assert "Ý kiến đã gõ." in page
    held.refresh_from_db()
    item.refresh_from_db()
    assert (held.status, held.ended_at, held.notes) == (CouncilMeeting.Status.HELD, None, "")
    assert item.nomination.status == Nomination.Status.ON_AGENDA


def test_an_end_time_typed_wrong_is_refused_in_vietnamese(client, held, item, reviewer):
    client.force_login(reviewer)
    response = client.post(url("meeting_close", held.pk), {"notes": "Ý kiến đã gõ.", "ended_at": "25/13/2026 10:30"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Thời gian kết thúc không hợp lệ" in page
    assert 'value="25/13/2026 10:30"' in page
    held.refresh_from_db()
    assert held.status == CouncilMeeting.Status.HELD


# --- query counts ----------------------------------------------------------------------------------------


def _meetings(count, award_round, council, reviewer, forms, other_unit):
    for number in range(count):
        meeting = make_meeting(award_round, council, created_by=reviewer)
        unit = UserFactory(position="head").unit if number else other_unit
        put_on_agenda(meeting, make_nomination(award_round, forms["tap-the-lao-dong-tien-tien"], unit=unit))


@pytest.mark.parametrize("count", [2, 10])
def test_council_home_query_count_does_not_grow(
    client, count, annual_round, council, reviewer, forms, other_unit, council_member, django_assert_num_queries
):
    _meetings(count, annual_round, council, reviewer, forms, other_unit)
    client.force_login(council_member)
    # +7: the waiting list behind the menu's counts (overview/waiting.py).
    with django_assert_num_queries(PAGE + 2 + WAITING_COUNCIL_MEMBER):
        response = client.get(url("council_home"))
    assert len(response.context["meetings"]) == count


@pytest.mark.parametrize("count", [2, 10])
def test_meeting_detail_query_count_does_not_grow(
    client, count, held, annual_round, forms, reviewer, django_assert_num_queries
):
    for _ in range(count):
        put_on_agenda(
            held,
            make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=UserFactory(position="head").unit),
        )
    client.force_login(reviewer)
    # 10, and the award rules of the whole agenda evaluated once (9, whatever the agenda's length);
    # +15: the waiting list behind the menu's counts (overview/waiting.py).
    with django_assert_num_queries(PAGE + 12 + WAITING_OFFICE):
        response = client.get(url("meeting_detail", held.pk))
    assert len(response.context["items"]) == count


@pytest.mark.parametrize("count", [2, 10])
def test_electronic_meeting_detail_query_count_does_not_grow(
    client, count, annual_round, council, forms, reviewer, django_assert_num_queries
):
    meeting = make_meeting(annual_round, council, created_by=reviewer, voting="electronic")
    for _ in range(count):
        item = put_on_agenda(
            meeting,
            make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=UserFactory(position="head").unit),
        )
        services.ballot_cast(item=item, choice="agree", actor=council[0].user)
    client.force_login(reviewer)
    # 11, and the agenda's award rules (9); +15: the waiting list behind the menu's counts (overview/waiting.py).
    with django_assert_num_queries(PAGE + 13 + WAITING_OFFICE):
        response = client.get(url("meeting_detail", meeting.pk))
    assert all(item.voters == [council[0].user.full_name] for item in response.context["items"])


def test_tally_page_of_an_electronic_meeting_without_a_tie_saves_nothing_and_says_so(
    client, reviewer, annual_round, council, forms, own_unit, person
):
    meeting = make_meeting(annual_round, council, created_by=reviewer, voting=CouncilMeeting.Voting.ELECTRONIC)
    item = put_on_agenda(
        meeting, make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
    )
    client.force_login(reviewer)
    response = client.post(url("meeting_tally", meeting.pk), {f"agree-{item.pk}": "5"}, follow=True)
    assert "không có gì để lưu" in response.content.decode()
    assert "Đã lưu kết quả kiểm phiếu" not in response.content.decode()
    item.refresh_from_db()
    assert item.agree is None
    assert item.tally_entered_at is None


def test_meeting_form_posted_empty_shows_its_errors(client, reviewer, annual_round, council):
    client.force_login(reviewer)
    response = client.post(url("meeting_create"), {})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() or "invalid-feedback" in response.content.decode()
    assert not CouncilMeeting.objects.exists()
