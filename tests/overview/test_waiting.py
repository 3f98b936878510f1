"""Việc chờ tôi: each thing waits for the right person until it is handled; the list's queries are pinned; the menu's
counts read the same list, computed once per request. On the demo (loaded once for the module), as `make run` shows.
"""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.models import AgendaItem, BallotTally, CouncilMeeting, Nomination, PublicComment
from awards.services import council, outcomes, register
from awards.services import documents as award_documents
from campaign.home import campaign_panel
from campaign.models import AssessmentLevel, ReportingPeriod
from demo.data import load_demo
from demo.emulation import load_emulation
from emulation.models import Registration
from emulation.services import registration
from overview import waiting
from overview.waiting_selectors import GROUP_ABOVE
from portal import navigation
from reports.models import UnitReport
from reports.services import consolidation
from reports.services import workflow as report_workflow
from tests.conftest import renders_left_queued
from tests.reports.conftest import complete
from tests.shared_data import built_once
from units.models import User


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    def build():
        with renders_left_queued(), mock.patch.object(award_documents.RENDER_JOB, "enqueue", return_value=False):
            load_demo(awards=True)
            load_emulation()

    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("waiting-files")):
        yield


@pytest.fixture
def world(demo_world, db):
    with mock.patch.object(award_documents.RENDER_JOB, "enqueue", return_value=False):
        yield


def user(username):
    """A fresh instance: its capabilities are read again, as on a new request."""
    return User.objects.select_related("unit").get(username=username)


def kinds(username):
    return [item.kind for item in waiting.waiting_items(user(username))]


def items_of(username, kind):
    return [item for item in waiting.waiting_items(user(username)) if item.kind == kind]


# --- Leadership ---------------------------------------------------------------------------------------------------


def compiled(code="2026-H1"):
    period = ReportingPeriod.objects.get(code=code)
    report = consolidation.consolidation_request(period=period, actor=user("vanphong"))
    return consolidation.consolidation_compile(report_id=report.pk)


def test_a_consolidated_report_waits_for_the_office_then_leadership_then_the_office_again(world):
    report = compiled()
    assert [item.text for item in items_of("vanphong", "consolidated_ready")] == [
        "Trình lãnh đạo duyệt báo cáo tổng hợp 6 tháng đầu năm 2026 (đã tổng hợp xong)"
    ]
    assert "consolidated_pending_approval" not in kinds("giamdoc")

    consolidation.consolidation_send_for_approval(report=report, actor=user("vanphong"))
    for leader in ("giamdoc", "phogiamdoc"):
        (item,) = items_of(leader, "consolidated_pending_approval")
        assert (item.text, item.url, item.due) == (
            "Duyệt báo cáo tổng hợp 6 tháng đầu năm 2026",
            f"/reports/consolidated/{report.pk}/",
            datetime.date(2026, 6, 25),  # the Department's due date of the period
        )
        assert timezone.localdate(item.since) == timezone.localdate()
    assert "consolidated_ready" not in kinds("vanphong")
    assert "consolidated_pending_approval" not in kinds("vanphong")
    assert "consolidated_pending_approval" not in kinds("truongphong.qlkh")

    consolidation.consolidation_approve(report=report, actor=user("giamdoc"))
    assert "consolidated_pending_approval" not in kinds("giamdoc") + kinds("phogiamdoc")
    assert [item.text for item in items_of("truongphong.hcth", "consolidated_approved")] == [
        "Vào số, ban hành báo cáo tổng hợp 6 tháng đầu năm 2026 (lãnh đạo đã duyệt)"
    ]


def test_leadership_decides_what_the_council_recommended_until_it_is_decided(world):
    (item,) = items_of("giamdoc", "nomination_decide")
    assert (item.count, item.url, item.menu) == (1, "/awards/approvals/", "awards:approvals")
    assert "nomination_decide" not in kinds("vanphong") + kinds("truongphong.ttud")

    recommended = Nomination.objects.get(status=Nomination.Status.RECOMMENDED)
    outcomes.nominations_decide(ids=[recommended.pk], actor=user("phogiamdoc"), approve=True)
    assert "nomination_decide" not in kinds("giamdoc")


# --- The office ---------------------------------------------------------------------------------------------------


def test_the_office_reviews_other_units_reports_until_one_is_accepted(world):
    submitted = UnitReport.objects.get(status=UnitReport.Status.SUBMITTED, period__code="2026-FY")
    for reviewer in ("vanphong", "truongphong.hcth"):
        (item,) = items_of(reviewer, "report_review")
        assert (item.text, item.url, item.menu) == (
            "Rà soát báo cáo Năm 2026 của Phòng Quản lý khoa học",
            f"/reports/{submitted.pk}/review/",
            "reports:matrix",
        )
    assert "report_review" not in kinds("giamdoc") + kinds("truongphong.qlkh") + kinds("canbo.hcth")

    report_workflow.report_accept(report=submitted, actor=user("vanphong"))
    assert "report_review" not in kinds("vanphong") + kinds("truongphong.hcth")


def test_the_office_own_report_waits_for_leadership_not_for_the_office(world):
    report = UnitReport.objects.get(unit__code="HCTH", period__code="2026-FY")
    complete(report, user("canbo.hcth"), {level.code: level for level in AssessmentLevel.objects.all()})
    report_workflow.report_submit(report=report, actor=user("truongphong.hcth"))

    assert [item.text for item in items_of("giamdoc", "report_review")] == [
        "Rà soát báo cáo Năm 2026 của Phòng Hành chính - Tổng hợp"
    ]
    assert [item.text for item in items_of("vanphong", "report_review")] == [
        "Rà soát báo cáo Năm 2026 của Phòng Quản lý khoa học"
    ]


def test_the_office_checks_other_units_dossiers_and_answers_the_public(world):
    (item,) = items_of("vanphong", "nomination_check")
    # QLCN's and QLKH's sent dossiers; the office's own two go to nobody in the office.
    assert (item.count, item.text) == (2, "Kiểm tra 2 hồ sơ đề nghị khen thưởng — Xét khen thưởng năm 2026")
    assert "public_comment" not in kinds("vanphong")

    nomination = Nomination.objects.filter(status=Nomination.Status.SUBMITTED, unit__code="QLCN").get()
    comment = PublicComment.objects.create(
        nomination=nomination, sender_name="Nguyễn Văn Dân", sender_contact="0905000000", message="Góp ý."
    )
    (item,) = items_of("vanphong", "public_comment")
    assert (item.text, item.url) == ("Trả lời, xử lý 1 ý kiến góp ý của công chúng", "/awards/gop-y-cong-khai/")
    assert "public_comment" not in kinds("giamdoc") + kinds("truongphong.qlcn")

    register.public_comment_handle(comment=comment, actor=user("vanphong"))
    assert "public_comment" not in kinds("vanphong")


def test_the_office_compiled_department_registration_waits_to_be_sent_then_approved(world):
    assert [item.text for item in items_of("vanphong", "department_registration_draft")] == [
        "Trình lãnh đạo duyệt đăng ký thi đua năm 2027 của Sở (đã tổng hợp)"
    ]
    (row,) = [item for item in waiting.waiting_items(user("vanphong")) if item.kind.startswith("department")]
    assert row.url == "/thi-dua/2027/dang-ky-cua-so/"


# --- A unit's people ----------------------------------------------------------------------------------------------


def test_a_unit_sees_what_it_owes_with_due_dates(world):
    owed = {item.kind: item for item in waiting.waiting_items(user("truongphong.cds"))}
    assert sorted(owed) == ["assessment_draft", "nomination_draft", "nomination_returned", "report_returned"]
    assert (owed["report_returned"].text, owed["report_returned"].due) == (
        "Bổ sung và nộp lại báo cáo Năm 2026 (Văn phòng trả lại)",
        datetime.date(2026, 12, 20),
    )
    # The staff see their unit's list too: they draft what the head sends.
    assert kinds("canbo.cds") == kinds("truongphong.cds")
    assert "report_returned" not in kinds("truongphong.qlkh")


def test_a_returned_registration_waits_for_the_unit_until_it_is_sent_again(world):
    returned = Registration.objects.get(year__year=2027, unit__code="QLKH", status=Registration.Status.RETURNED)
    (item,) = items_of("truongphong.qlkh", "registration_returned")
    assert (item.text, item.due, item.url) == (
        "Bổ sung và gửi lại đăng ký thi đua năm 2027 (Văn phòng trả lại)",
        returned.year.registration_due_on,
        f"/thi-dua/dang-ky/{returned.pk}/",
    )
    assert len(items_of("vanphong", "registration_review")) == 2

    registration.registration_submit(registration=returned, actor=user("truongphong.qlkh"))
    assert "registration_returned" not in kinds("truongphong.qlkh")
    assert len(items_of("vanphong", "registration_review")) == 3


# --- The council --------------------------------------------------------------------------------------------------


def test_council_members_vote_in_an_open_electronic_ballot_until_they_have_voted(world):
    meeting = CouncilMeeting.objects.get(status=CouncilMeeting.Status.PLANNED)
    (item,) = items_of("giamdoc", "council_meeting")
    assert item.due == timezone.localdate(meeting.scheduled_at)
    assert "council_meeting" not in kinds("truongphong.cds")

    CouncilMeeting.objects.filter(pk=meeting.pk).update(voting=CouncilMeeting.Voting.ELECTRONIC)
    members = list(meeting.members.values_list("user_id", flat=True))
    council.meeting_record_attendance(meeting=meeting, present_user_ids=members, actor=user("vanphong"))
    (item,) = items_of("giamdoc", "council_vote")
    assert (item.count, item.url) == (3, f"/awards/council/meetings/{meeting.pk}/ballot/")

    for agenda_item in AgendaItem.objects.filter(meeting=meeting):
        council.ballot_cast(item=agenda_item, choice=BallotTally.Choice.AGREE, actor=user("giamdoc"))
    assert "council_vote" not in kinds("giamdoc")
    assert [item.count for item in items_of("phogiamdoc", "council_vote")] == [3]


# --- Queries, the menu, the pages ---------------------------------------------------------------------------------


# The person's capabilities (1). Leadership (9): the submissions to review — reports, registrations, assessments (3) —,
# the consolidated reports, the Department's registration, the schemes, the nominations, the council's meetings.
# The office (17, a council member too): the same, plus the award documents and the public's comments, plus what its
# own unit owes: the reports (the campaign, its periods, the unit's reports), the registration, the
# assessments, the nominations (6). A unit's head (7): its capabilities and what its unit owes.
QUERIES = {"giamdoc": 12, "vanphong": 20, "truongphong.cds": 7, "quantri": 1}


def queries_of(username):
    person = user(username)
    with CaptureQueriesContext(connection) as queries:
        waiting.waiting_items(person)
    return len(queries)


def test_the_list_takes_a_fixed_number_of_queries_whatever_waits(world):
    assert {username: queries_of(username) for username in QUERIES} == QUERIES
    # More of everything waiting: the same queries.
    UnitReport.objects.filter(status=UnitReport.Status.ACCEPTED, period__code="2026-H1").update(
        status=UnitReport.Status.SUBMITTED
    )
    Registration.objects.filter(status=Registration.Status.ACCEPTED).update(status=Registration.Status.SUBMITTED)
    Nomination.objects.filter(status=Nomination.Status.CONFERRED).update(status=Nomination.Status.RECOMMENDED)
    Nomination.objects.filter(status=Nomination.Status.DRAFT).update(status=Nomination.Status.RETURNED)
    # More than GROUP_ABOVE of one period: one item counting them, linking to the matrix filtered to them.
    (grouped,) = [item for item in items_of("vanphong", "report_review") if item.count > 1]
    submitted = UnitReport.objects.filter(status=UnitReport.Status.SUBMITTED, period__code="2026-H1")
    waiting = submitted.exclude(unit__code="HCTH").count()  # the office's own report goes to leadership
    assert waiting > GROUP_ABOVE
    assert (grouped.text, grouped.count, grouped.url) == (
        f"Rà soát {waiting} báo cáo 6 tháng đầu năm 2026 đã nộp",
        waiting,
        "/reports/matrix/?period=2026-H1&status=submitted",
    )
    assert {username: queries_of(username) for username in QUERIES} == QUERIES


def request_of(username, path="/"):
    request = RequestFactory().get(path)
    request.user = user(username)
    return request


def menu_counts(request):
    """{url name: count} of the menu's items, inside their groups or not."""
    entries = navigation.menu_for(request)
    items = [item for entry in entries for item in (entry["items"] if entry.get("is_group") else [entry])]
    return {item["url_name"]: item["count"] for item in items}


def test_the_menu_counts_what_waits_behind_each_item_from_one_list_per_request(world):
    request = request_of("vanphong")
    counts = menu_counts(request)
    assert counts["reports:matrix"] == 1  # QLKH's report to review
    assert counts["awards:nomination_list"] == 2  # two dossiers to check
    assert counts["emulation:home"] == 5  # two registrations, two assessments, the Department's registration
    assert counts["reports:todo"] == 1  # the office's own report, still a draft
    with CaptureQueriesContext(connection) as panels:
        navigation.home_panels(request)
    with CaptureQueriesContext(connection) as campaign_only:
        campaign_panel(request)
    # The home page's panels query for the campaign's panel only: the waiting list was computed once for the request.
    assert (len(panels), len(campaign_only)) == (3, 3)

    counts = menu_counts(request_of("giamdoc"))
    assert (counts["awards:approvals"], counts["awards:council_home"]) == (1, 1)


def test_the_home_page_lists_what_waits_and_the_full_page_everything(world, client):
    client.force_login(user("giamdoc"))
    page = client.get("/").content.decode()
    assert "Việc chờ tôi" in page
    assert 'href="/awards/approvals/"' in page
    assert "Quyết định 1 đề nghị khen thưởng Hội đồng đã xét — Xét khen thưởng năm 2026" in page
    assert page.index("Việc chờ tôi") < page.index('data-card="leadership"')

    client.force_login(user("vanphong"))
    full = client.get("/tong-quan/viec-cho-toi/").content.decode()
    assert full.count('data-kind="') == len(waiting.waiting_items(user("vanphong")))
    assert "Rà soát báo cáo Năm 2026 của Phòng Quản lý khoa học" in full

    client.force_login(user("truongphong.cds"))
    page = client.get("/").content.decode()
    assert "Bổ sung và nộp lại báo cáo Năm 2026 (Văn phòng trả lại)" in page
    assert "Hạn 20/12/2026" in page

    client.force_login(user("quantri"))
    assert "Không có việc nào đang chờ bạn xử lý." in client.get("/").content.decode()


def test_the_full_waiting_page_lights_home_in_the_menu(world):
    for username in ("giamdoc", "vanphong", "truongphong.qlkh"):
        menu = navigation.menu_items(request_of(username, "/tong-quan/viec-cho-toi/"))
        assert [item["label"] for item in menu if item["active"]] == ["Trang chủ"], username
    # The overview itself still lights "Tổng quan".
    menu = navigation.menu_items(request_of("giamdoc", "/tong-quan/"))
    assert [item["label"] for item in menu if item["active"]] == ["Tổng quan"]


def test_the_overview_shows_what_waits_for_leadership_above_its_figures(world, client):
    report = consolidation.consolidation_send_for_approval(report=compiled(), actor=user("vanphong"))
    client.force_login(user("giamdoc"))
    page = client.get("/tong-quan/").content.decode()
    strip = page[
        page.index('data-panel="waiting-strip"') : page.index("</section>", page.index('data-panel="waiting-strip"'))
    ]
    assert (
        f'<a href="/reports/consolidated/{report.pk}/" class="me-auto">Duyệt báo cáo tổng hợp 6 tháng đầu năm 2026</a>'
        in strip
    )
    # The consolidated report, the council's meeting, the nomination to decide: the same three as on the home page.
    assert strip.count('data-kind="') == 3
    assert '<span class="badge text-bg-danger align-middle" data-testid="waiting-total">3</span>' in strip
    assert page.index('data-panel="waiting-strip"') < page.index('id="nop-bao-cao"')
