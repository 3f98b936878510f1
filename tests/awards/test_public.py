"""The public pages: open without sign-in, showing only what is public, and refusing floods."""

import csv
import datetime
import io
from io import BytesIO

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.models import AwardRecord, DossierFile, Nomination, NominationTransition, PublicComment
from notifications.models import Notification
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from tests.factories import Capability, PersonFactory, UserFactory
from tests.query_budget import PAGE, WAITING_OFFICE

PUBLIC_PAGES = ["public:index", "public:notice", "public:awards", "public:export_notice", "public:export_awards"]
# Under notice: recommended by the council and not yet conferred, refused or turned down (spelled out
# here, not imported, so that widening the selector's states fails these tests).
NOTICE_STATES = {"recommended", "approved", "forwarded"}
SECRET_ACHIEVEMENT = "Thành tích bí mật chưa công bố số 4711"
SECRET_FILE = "bien-ban-binh-xet-noi-bo-4711.pdf"


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings):
    """Counters in a cache of this process, empty for each test (never clear a shared Redis)."""
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-public-rate-limit",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()


@pytest.fixture
def noticed_round(annual_round):
    today = timezone.localdate()
    annual_round.notice_starts_on = today - datetime.timedelta(days=2)
    annual_round.notice_ends_on = today + datetime.timedelta(days=5)
    annual_round.save()
    return annual_round


@pytest.fixture
def every_state(noticed_round, forms, own_unit, council, reviewer):
    """One nomination of the round in each state, each of its own person, with private things attached."""
    meeting = make_meeting(noticed_round, council, created_by=reviewer)
    nominations = {}
    for status in Nomination.Status.values:
        person = PersonFactory(
            full_name=f"Người Trạng Thái {status}", unit=own_unit, position_title="Chuyên viên chính"
        )
        nomination = make_nomination(noticed_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
        nomination.achievement = {"achievements": SECRET_ACHIEVEMENT}
        nomination.save(update_fields=["achievement"])
        DossierFile.objects.create(
            nomination=nomination,
            part="bien_ban",
            file="dossiers/x.pdf",
            original_name=SECRET_FILE,
            size=10,
            content_type="application/pdf",
            sha256="0" * 64,
            uploaded_by=reviewer,
        )
        item = put_on_agenda(meeting, nomination)
        item.agree, item.disagree = 4, 1
        item.save()
        reason = "Chưa đủ thành tích." if status == Nomination.Status.REJECTED else ""
        Nomination.objects.filter(pk=nomination.pk).update(status=status, rejection_reason=reason)
        nominations[status] = nomination
    return nominations


def public_text(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    if response["Content-Type"].startswith("application/vnd.openxml"):
        sheet = load_workbook(BytesIO(response.content)).active
        return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    return response.content.decode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# What is public
# ---------------------------------------------------------------------------------------------


def test_notice_shows_only_recommended_and_later_nominees_and_nothing_private(client, every_state):
    pages = [public_text(client, "public:notice"), public_text(client, "public:export_notice")]
    pages.append(public_text(client, "public:export_notice", dinh_dang="csv"))

    for text in pages:
        for status, nomination in every_state.items():
            assert (nomination.nominee_name in text) == (status in NOTICE_STATES), (status, text[:200])
        assert SECRET_ACHIEVEMENT not in text
        assert SECRET_FILE not in text
        assert "phiếu" not in text.lower()
        assert "Chuyên viên chính" in text  # the position, which is public
        assert "Đang soạn" not in text
        assert "Hội đồng không đề nghị" not in text


def test_notice_shows_name_position_unit_and_form(client, every_state, own_unit):
    response = client.get(reverse("public:notice"))

    rows = response.context["rounds"][0]["nominees"]
    assert len(rows) == len(NOTICE_STATES)
    # What the selector gives, and the row's number and comment link the page adds: nothing private.
    assert set(rows[0]) == {"pk", "name", "position", "unit", "kind", "form", "number", "comment"}
    assert rows[0]["unit"] == own_unit.name
    assert rows[0]["form"] == "Lao động tiên tiến"


def test_comment_page_shows_nothing_private(client, every_state):
    nomination = every_state[Nomination.Status.RECOMMENDED]

    text = public_text_of(client, reverse("public:comment", args=[nomination.pk]))

    assert nomination.nominee_name in text
    assert SECRET_ACHIEVEMENT not in text
    assert SECRET_FILE not in text
    assert "phiếu" not in text.lower()


def public_text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_notice_is_empty_outside_the_notice_window(client, every_state, noticed_round):
    noticed_round.notice_ends_on = timezone.localdate() - datetime.timedelta(days=1)
    noticed_round.notice_starts_on = noticed_round.notice_ends_on - datetime.timedelta(days=7)
    noticed_round.save()

    text = public_text(client, "public:notice")

    assert "Hiện không có danh sách nào đang trong thời gian công khai." in text
    assert every_state[Nomination.Status.RECOMMENDED].nominee_name not in text


def test_comment_form_refused_with_404_for_a_nomination_not_under_notice(client, every_state):
    for status, nomination in every_state.items():
        url = reverse("public:comment", args=[nomination.pk])
        expected = 200 if status in NOTICE_STATES else 404
        assert client.get(url).status_code == expected, status
    draft = every_state[Nomination.Status.DRAFT]
    response = client.post(reverse("public:comment", args=[draft.pk]), comment_data())
    assert response.status_code == 404
    assert not PublicComment.objects.exists()


def test_awards_by_year_with_decision_numbers(client, plan):
    for year, name in ((2024, "Nguyễn Văn Năm Trước"), (2025, "Trần Thị Năm Nay")):
        AwardRecord.objects.create(
            year=year,
            form_name="Lao động tiên tiến",
            recipient_kind="individual",
            recipient_name=name,
            unit_name="Phòng Quản lý khoa học",
            decision_number=f"0{year - 2020}/QĐ-SKHCN",
            decision_date=datetime.date(year, 12, 20),
            source=AwardRecord.Source.IMPORTED,
        )

    latest = public_text(client, "public:awards")
    chosen = public_text(client, "public:awards", nam=2024)
    export = public_text(client, "public:export_awards", nam=2024)

    assert "Trần Thị Năm Nay" in latest
    assert "05/QĐ-SKHCN" in latest
    assert "20/12/2025" in latest
    assert "Nguyễn Văn Năm Trước" not in latest
    assert "Nguyễn Văn Năm Trước" in chosen
    assert "04/QĐ-SKHCN" in chosen
    assert "Trần Thị Năm Nay" not in chosen
    assert "Nguyễn Văn Năm Trước" in export
    assert "Trần Thị Năm Nay" not in export


def test_csv_export_is_utf8_with_bom_and_never_a_formula(client, noticed_round, forms, own_unit):
    person = PersonFactory(full_name="=cmd|' /C calc'!A0", unit=own_unit)
    make_nomination(noticed_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, status="recommended")

    response = client.get(reverse("public:export_notice"), {"dinh_dang": "csv"})

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2] == "Họ và tên / Tên tập thể"
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


# ---------------------------------------------------------------------------------------------
# Open to all, signed in or not
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_anonymous_visitor_reads_public_pages_without_signing_in(client, plan, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_still_work_when_signed_in(client, plan, staff, name):
    client.force_login(staff)

    assert client.get(reverse(name)).status_code == 200


def test_public_pages_have_no_signed_in_navigation(client, plan, staff):
    client.force_login(staff)

    text = public_text(client, "public:index")

    assert "Đăng xuất" not in text
    assert staff.full_name not in text


def test_login_page_links_to_the_public_pages(client, plan):
    response = client.get(reverse("login"))

    assert f'href="{reverse("public:index")}"' in response.content.decode()


def test_public_pages_refuse_other_methods(client, plan):
    assert client.post(reverse("public:notice")).status_code == 405
    assert client.delete(reverse("public:awards")).status_code == 405


# ---------------------------------------------------------------------------------------------
# Comments
# ---------------------------------------------------------------------------------------------


def comment_data(**overrides):
    return {
        "sender_name": "Trương Văn Góp Ý",
        "sender_contact": "0905 123 456",
        "message": "Đề nghị xem xét lại thành tích năm nay của người này.",
        **overrides,
    }


def test_comment_is_saved_logged_and_the_office_notified(client, every_state, reviewer, staff):
    nomination = every_state[Nomination.Status.APPROVED]

    response = client.post(reverse("public:comment", args=[nomination.pk]), comment_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("public:notice")
    comment = PublicComment.objects.get()
    assert (comment.nomination, comment.sender_name, comment.sender_contact) == (
        nomination,
        "Trương Văn Góp Ý",
        "0905 123 456",
    )
    notice = Notification.objects.get(recipient=reviewer)
    assert nomination.nominee_name in notice.message
    assert notice.url == reverse("awards:public_comments")
    assert not Notification.objects.filter(recipient=staff).exists()
    transition = NominationTransition.objects.get(nomination=nomination, action="public_comment")
    assert transition.actor is None
    assert transition.from_status == transition.to_status == "approved"


def test_invalid_comment_shows_vietnamese_messages_keeps_the_text_and_saves_nothing(client, every_state):
    nomination = every_state[Nomination.Status.RECOMMENDED]

    response = client.post(
        reverse("public:comment", args=[nomination.pk]),
        comment_data(sender_name="", sender_contact="không có", message="Ngắn"),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Vui lòng nhập họ và tên." in content
    assert "Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử hợp lệ." in content
    assert "Nội dung góp ý quá ngắn (ít nhất 10 ký tự)." in content
    assert "không có" in content
    assert "Ngắn" in content
    assert not PublicComment.objects.exists()
    assert not Notification.objects.exists()


def test_honeypot_filled_by_a_bot_saves_nothing(client, every_state):
    nomination = every_state[Nomination.Status.RECOMMENDED]

    response = client.post(reverse("public:comment", args=[nomination.pk]), comment_data(website="http://spam"))

    assert response.status_code == 302
    assert not PublicComment.objects.exists()
    assert not Notification.objects.exists()


def test_comment_without_csrf_token_is_refused(every_state):
    nomination = every_state[Nomination.Status.RECOMMENDED]
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("public:comment", args=[nomination.pk]), comment_data())

    assert response.status_code == 403
    assert not PublicComment.objects.exists()


def test_comment_with_the_forms_csrf_token_is_accepted(every_state):
    nomination = every_state[Nomination.Status.RECOMMENDED]
    client = Client(enforce_csrf_checks=True)
    url = reverse("public:comment", args=[nomination.pk])
    token = client.get(url).context["csrf_token"]

    response = client.post(url, comment_data(csrfmiddlewaretoken=str(token)))

    assert response.status_code == 302
    assert PublicComment.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Rate limits
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def small_limits(settings):
    settings.PUBLIC_RATE_LIMIT_PAGES = 3
    settings.PUBLIC_RATE_LIMIT_COMMENTS = 2


def test_page_views_over_the_limit_get_429_in_vietnamese(client, plan, small_limits):
    statuses = [client.get(reverse("public:awards")).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = client.get(reverse("public:notice"))
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu" in response.content.decode()
    assert response["Retry-After"] == "60"


def test_the_limit_is_per_client_address(plan, small_limits):
    for _ in range(3):
        Client(REMOTE_ADDR="10.0.0.1").get(reverse("public:index"))

    assert Client(REMOTE_ADDR="10.0.0.1").get(reverse("public:index")).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.2").get(reverse("public:index")).status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(plan, small_limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.254"}
    for _ in range(3):
        Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").get(reverse("public:index"))

    assert Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").get(reverse("public:index")).status_code == 429
    assert Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.6").get(reverse("public:index")).status_code == 200


def test_comments_over_the_limit_get_429_and_are_not_saved(client, every_state, small_limits):
    url = reverse("public:comment", args=[every_state[Nomination.Status.RECOMMENDED].pk])

    statuses = [
        client.post(url, comment_data(message=f"Ý kiến thứ {number} về đề nghị.")).status_code for number in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert PublicComment.objects.count() == 2


def test_a_zero_limit_turns_the_limit_off(client, plan, small_limits, settings):
    settings.PUBLIC_RATE_LIMIT_PAGES = 0

    assert {client.get(reverse("public:index")).status_code for _ in range(5)} == {200}


# ---------------------------------------------------------------------------------------------
# The office reads the comments
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def comment(client, every_state):
    nomination = every_state[Nomination.Status.RECOMMENDED]
    client.post(reverse("public:comment", args=[nomination.pk]), comment_data())
    return PublicComment.objects.get()


def test_office_reads_comments_and_marks_one_handled(client, comment, reviewer):
    client.force_login(reviewer)

    page = client.get(reverse("awards:public_comments"))
    response = client.post(reverse("awards:public_comment_handle", args=[comment.pk]), follow=True)

    assert "Đề nghị xem xét lại thành tích năm nay" in page.content.decode()
    assert "Đã đánh dấu đã xử lý ý kiến của Trương Văn Góp Ý." in response.content.decode()
    comment.refresh_from_db()
    assert comment.handled_by == reviewer
    assert comment.handled_at is not None
    assert NominationTransition.objects.filter(action="public_comment_handled", actor=reviewer).count() == 1


def test_marking_handled_twice_changes_nothing(client, comment, reviewer):
    client.force_login(reviewer)
    client.post(reverse("awards:public_comment_handle", args=[comment.pk]))
    comment.refresh_from_db()
    first = comment.handled_at

    response = client.post(reverse("awards:public_comment_handle", args=[comment.pk]), follow=True)

    assert "Ý kiến này đã được đánh dấu đã xử lý." in response.content.decode()
    comment.refresh_from_db()
    assert comment.handled_at == first
    assert NominationTransition.objects.filter(action="public_comment_handled").count() == 1


def test_handled_comments_leave_the_default_list(client, comment, reviewer):
    client.force_login(reviewer)
    client.post(reverse("awards:public_comment_handle", args=[comment.pk]))

    assert list(client.get(reverse("awards:public_comments")).context["page"].object_list) == []
    assert list(client.get(reverse("awards:public_comments"), {"state": "all"}).context["page"].object_list) == [
        comment
    ]


@pytest.mark.parametrize("persona", ["staff", "head", "leader", "council_member", "administrator"])
def test_only_the_office_sees_the_comments(client, comment, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("awards:public_comments")).status_code == 404
    assert client.post(reverse("awards:public_comment_handle", args=[comment.pk])).status_code == 404
    comment.refresh_from_db()
    assert comment.handled_at is None


def test_handling_by_get_is_refused(client, comment, reviewer):
    client.force_login(reviewer)

    assert client.get(reverse("awards:public_comment_handle", args=[comment.pk])).status_code == 405
    comment.refresh_from_db()
    assert comment.handled_at is None


def test_anonymous_cannot_read_the_comments(client, comment):
    response = client.get(reverse("awards:public_comments"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------------------------


def _notice_with(count, noticed_round, forms, own_unit):
    Nomination.objects.all().delete()
    for number in range(count):
        person = PersonFactory(full_name=f"Người Công Khai {number}", unit=own_unit)
        make_nomination(noticed_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, status="recommended")


# An anonymous visitor: no session, no user — the page's own queries only.
NOTICE_QUERIES = 2  # the count, the page of nominees with their round and form
AWARDS_QUERIES = 3  # the years, the year's count, the page of its records
# The signed-in page's 7; +15: the waiting list behind the menu's counts (overview/waiting.py); the count and the page
# of comments.
COMMENTS_QUERIES = PAGE + WAITING_OFFICE + 2


@pytest.mark.parametrize("count", [2, 10])
def test_notice_queries_are_fixed(client, noticed_round, forms, own_unit, count, django_assert_num_queries):
    _notice_with(count, noticed_round, forms, own_unit)

    with django_assert_num_queries(NOTICE_QUERIES):
        response = client.get(reverse("public:notice"))

    assert len(response.context["rounds"][0]["nominees"]) == count


@pytest.mark.parametrize("count", [2, 10])
def test_awards_queries_are_fixed(client, plan, count, django_assert_num_queries):
    for number in range(count):
        AwardRecord.objects.create(
            year=2025,
            form_name="Lao động tiên tiến",
            recipient_kind="individual",
            recipient_name=f"Người Số {number}",
            decision_number="05/QĐ-SKHCN",
            source=AwardRecord.Source.IMPORTED,
        )

    with django_assert_num_queries(AWARDS_QUERIES):
        response = client.get(reverse("public:awards"))

    assert len(response.context["records"]) == count


@pytest.mark.parametrize("count", [2, 10])
def test_comments_queries_are_fixed(client, noticed_round, forms, own_unit, reviewer, count, django_assert_num_queries):
    _notice_with(count, noticed_round, forms, own_unit)
    for nomination in Nomination.objects.all():
        PublicComment.objects.create(nomination=nomination, sender_name="A", sender_contact="0905", message="Góp ý.")
    other_office = UserFactory(username="vp2", capabilities=[Capability.OFFICE_REVIEWER])
    client.force_login(other_office)

    with django_assert_num_queries(COMMENTS_QUERIES):
        response = client.get(reverse("awards:public_comments"))

    assert len(response.context["page"].object_list) == count
