"""A unit's registration for the year (đăng ký thi đua): its lifecycle with history, the window's rules, bad input
refused with nothing changed, the reminders, and the office's list in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from emulation import tasks
from emulation.models import Registration, RegistrationTransition
from emulation.services import registration as services
from emulation.services import year as year_services
from notifications.models import Notification
from tests.emulation.conftest import open_year
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.query_budget import PAGE, WAITING_OFFICE
from workflow.errors import InvalidTransition, NotAllowed

LDTT = "tap-the-lao-dong-tien-tien"
LDXS = "tap-the-lao-dong-xuat-sac"
CSTDCS = "chien-si-thi-dua-co-so"
Status = Registration.Status
Content = services.RegistrationContent
# Every page: the session, the user with their unit, their groups, the unread count of the menu, the session saved
# again (savepoint, update, release) — 7 queries; +15: the waiting list behind the menu's counts (overview/waiting.py);
# then the year, the units, the registrations.
LIST_QUERIES = PAGE + WAITING_OFFICE + 3


def first_indicator(unit):
    return next(
        indicator for criterion in services.applicable_criteria(unit) for indicator in criterion.indicators.all()
    )


@pytest.fixture
def person(own_unit):
    return PersonFactory(unit=own_unit, full_name="Nguyễn Thị Đăng Ký")


@pytest.fixture
def draft(emulation_year, own_unit, staff):
    return services.registration_start(year=emulation_year, unit=own_unit, actor=staff)


def content(unit, person=None, *, target=Decimal("100")):
    indicator = first_indicator(unit)
    return Content(
        collective=[LDTT],
        individuals=[(person.pk, CSTDCS)] if person else [],
        targets={indicator.pk: target},
        texts={indicator.criterion_id: "Hoàn thành đúng tiến độ."},
    )


def actions(registration):
    return list(registration.transitions.order_by("at", "pk").values_list("action", "from_status", "to_status"))


def test_lifecycle_draft_submitted_returned_submitted_again_accepted_keeps_history(
    draft, own_unit, staff, head, reviewer, person
):
    services.registration_save(registration=draft, actor=staff, content=content(own_unit, person))
    services.registration_submit(registration=draft, actor=head)
    services.registration_return(registration=draft, actor=reviewer, reason="Bổ sung chỉ tiêu giải ngân.")
    services.registration_submit(registration=draft, actor=head, content=content(own_unit, person, target=Decimal(95)))
    services.registration_accept(registration=draft, actor=reviewer)

    draft.refresh_from_db()
    assert (draft.status, draft.submission_count, draft.is_late) == (Status.ACCEPTED, 2, False)
    assert draft.accepted_at is not None
    assert actions(draft) == [
        ("create", "draft", "draft"),
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("submit", "returned", "submitted"),
        ("accept", "submitted", "accepted"),
    ]
    submits = draft.transitions.filter(action="submit").order_by("pk")
    assert [row.snapshot["commitments"][0]["target"] for row in submits] == ["100.00", "95.00"]
    assert submits[0].snapshot["individuals"] == [
        {"person_id": person.pk, "person": "Nguyễn Thị Đăng Ký", "code": CSTDCS, "name": "Chiến sĩ thi đua cơ sở"}
    ]
    assert draft.transitions.get(action="return").comment == "Bổ sung chỉ tiêu giải ngân."


def test_submit_tells_the_office_and_the_answer_tells_the_unit(draft, own_unit, staff, head, reviewer):
    services.registration_submit(registration=draft, actor=head, content=content(own_unit))
    assert Notification.objects.filter(recipient=reviewer, message__contains="đã gửi đăng ký").exists()
    services.registration_return(registration=draft, actor=reviewer, reason="Thiếu cam kết.")
    assert Notification.objects.filter(recipient=staff, message__contains="Lý do: Thiếu cam kết.").exists()


def test_start_is_idempotent(emulation_year, own_unit, staff, head, draft):
    again = services.registration_start(year=emulation_year, unit=own_unit, actor=head)
    assert again.pk == draft.pk
    assert RegistrationTransition.objects.filter(registration=draft).count() == 1


def test_late_submission_needs_a_reason_and_is_accepted_with_one(plan, reviewer, own_unit, staff, head):
    today = timezone.localdate()
    year = open_year(
        plan, reviewer, opens_on=today - datetime.timedelta(days=30), due_on=today - datetime.timedelta(days=1)
    )
    registration = services.registration_start(year=year, unit=own_unit, actor=staff)

    with pytest.raises(services.RegistrationInvalid) as refused:
        services.registration_submit(registration=registration, actor=head, content=content(own_unit))
    assert "lý do đăng ký muộn" in refused.value.errors["late_reason"]
    registration.refresh_from_db()
    assert (registration.status, registration.is_late, registration.commitments.count()) == (Status.DRAFT, False, 0)

    services.registration_submit(
        registration=registration, actor=head, content=content(own_unit), late_reason="Chờ giao chỉ tiêu ngân sách."
    )
    services.registration_accept(registration=registration, actor=reviewer)
    registration.refresh_from_db()
    assert (registration.status, registration.is_late, registration.late_reason) == (
        Status.ACCEPTED,
        True,
        "Chờ giao chỉ tiêu ngân sách.",
    )


def test_a_closed_window_refuses_every_submission(emulation_year, draft, own_unit, head, reviewer):
    year_services.registration_close(year=emulation_year, actor=reviewer)
    draft.refresh_from_db()
    with pytest.raises(InvalidTransition, match="đã đóng đăng ký"):
        services.registration_submit(registration=draft, actor=head, content=content(own_unit), late_reason="Muộn.")
    draft.refresh_from_db()
    assert (draft.status, draft.titles.count()) == (Status.DRAFT, 0)


def test_before_the_window_opens_nothing_is_started_or_sent(plan, reviewer, own_unit, staff):
    year = year_services.year_create(campaign=plan, year=2031, actor=reviewer)
    with pytest.raises(InvalidTransition, match="chưa mở đăng ký"):
        services.registration_start(year=year, unit=own_unit, actor=staff)
    assert not Registration.objects.filter(year=year).exists()


def test_staff_cannot_submit(draft, own_unit, staff):
    with pytest.raises(NotAllowed):
        services.registration_submit(registration=draft, actor=staff, content=content(own_unit))
    draft.refresh_from_db()
    assert (draft.status, draft.titles.count()) == (Status.DRAFT, 0)


def test_nobody_reviews_their_own_units_registration_leadership_reviews_the_offices(
    emulation_year, office_unit, reviewer, leader
):
    office_head = UserFactory(unit=office_unit, position="head")
    registration = services.registration_start(year=emulation_year, unit=office_unit, actor=office_head)
    services.registration_submit(registration=registration, actor=office_head, content=Content(collective=[LDTT]))
    assert Notification.objects.filter(recipient=leader).exists()
    with pytest.raises(NotAllowed):
        services.registration_accept(registration=registration, actor=reviewer)
    services.registration_accept(registration=registration, actor=leader)
    registration.refresh_from_db()
    assert registration.status == Status.ACCEPTED


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ("negative target", "target"),
        ("person of another unit", "person"),
        ("title not in the catalogue", "collective"),
        ("individual title as the unit's", "collective"),
        ("collective title for a person", "person"),
    ],
)
def test_bad_content_is_refused_and_nothing_changes(draft, own_unit, other_unit, staff, person, bad, field):
    services.registration_save(registration=draft, actor=staff, content=content(own_unit, person))
    typed = content(own_unit, person)
    if bad == "negative target":
        typed.targets = {key: Decimal(-5) for key in typed.targets}
    elif bad == "person of another unit":
        typed.individuals = [(PersonFactory(unit=other_unit).pk, CSTDCS)]
    elif bad == "title not in the catalogue":
        typed.collective = ["huan-chuong-tu-che"]
    elif bad == "individual title as the unit's":
        typed.collective = [CSTDCS]
    else:
        typed.individuals = [(person.pk, LDXS)]
    with pytest.raises(services.RegistrationInvalid) as refused:
        services.registration_save(registration=draft, actor=staff, content=typed)
    assert [name.split("-")[0] for name in refused.value.errors] == [field]
    assert services.content_of(draft) == content(own_unit, person)


def test_reminders_reach_only_units_not_registered_once_a_day(
    emulation_year, own_unit, other_unit, head, other_staff, reviewer
):
    registration = services.registration_start(year=emulation_year, unit=own_unit, actor=head)
    services.registration_submit(registration=registration, actor=head, content=Content(collective=[LDTT]))
    first = services.registration_remind(year=emulation_year, actor=reviewer)
    again = services.registration_remind(year=emulation_year, actor=reviewer)
    assert other_unit.code in first.sent
    assert own_unit.code not in first.sent + first.skipped
    assert (again.sent, other_unit.code in again.skipped) == ([], True)
    assert Notification.objects.filter(recipient=other_staff, message__contains="chưa gửi đăng ký").count() == 1
    assert not Notification.objects.filter(recipient=head, message__contains="chưa gửi đăng ký").exists()


def test_the_beat_runs_the_registration_reminders_every_day(settings):
    assert settings.CELERY_BEAT_SCHEDULE["registration-reminders"]["task"] == "emulation.send_registration_reminders"


def test_daily_reminders_three_days_before_the_due_date(plan, reviewer, other_unit, other_staff):
    today = timezone.localdate()
    year = open_year(plan, reviewer, due_on=today + datetime.timedelta(days=3))
    assert other_unit.code in tasks.send_registration_reminders.delay().get()["sent"]
    assert services.send_registration_reminders(today=today).sent == []
    assert Notification.objects.filter(recipient=other_staff, message__contains=f"năm {year.year}").count() == 1
    assert services.reminder_stage(year, today + datetime.timedelta(days=1)) == "before"
    assert services.reminder_stage(year, today - datetime.timedelta(days=5)) is None


# --- Pages ---------------------------------------------------------------------------------------------------


def add_units(count, year, reviewer):
    """`count` more units: not registered, draft, submitted, accepted in turn."""
    for number in range(count):
        unit = UnitFactory()
        head = UserFactory(unit=unit, position="head")
        state = number % 4
        if state == 0:
            continue
        registration = services.registration_start(year=year, unit=unit, actor=head)
        if state == 1:
            continue
        services.registration_submit(registration=registration, actor=head, content=Content(collective=[LDTT]))
        if state == 3:
            services.registration_accept(registration=registration, actor=reviewer)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_office_list_runs_the_same_queries_for_3_and_6_units(client, emulation_year, reviewer):
    add_units(3, emulation_year, reviewer)
    client.force_login(reviewer)
    url = reverse("emulation:registrations", args=[emulation_year.year])
    client.get(url)
    small = queries_of(client, url)
    add_units(3, emulation_year, reviewer)
    assert (small, queries_of(client, url)) == (LIST_QUERIES, LIST_QUERIES)


def test_the_office_list_shows_every_unit_with_not_registered_counted(
    client, emulation_year, reviewer, own_unit, staff
):
    services.registration_start(year=emulation_year, unit=own_unit, actor=staff)
    client.force_login(reviewer)
    response = client.get(reverse("emulation:registrations", args=[emulation_year.year]))
    rows = {row["code"]: row["label"] for row in response.context["rows"]}
    assert rows[own_unit.code] == "Đang soạn"
    assert rows["HCTH"] == "Chưa đăng ký"
    assert {key: count for key, _, count in response.context["counts"]}["draft"] == 1


def test_the_editor_keeps_everything_typed_on_bad_input(client, draft, own_unit, staff, person):
    indicator = first_indicator(own_unit)
    client.force_login(staff)
    response = client.post(
        reverse("emulation:registration_edit", args=[draft.pk]),
        {
            "action": "save",
            "collective": LDXS,
            f"person-{person.pk}": CSTDCS,
            f"target-{indicator.pk}": "mười",
            f"text-{indicator.criterion_id}": "Cam kết đã gõ",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="mười"' in html
    assert "Cam kết đã gõ" in html
    assert f'value="{LDXS}" id="collective-{LDXS}" checked' in html
    assert f'<option value="{CSTDCS}" selected>' in html
    assert "Vui lòng nhập một số" in html
    assert draft.titles.count() == 0


def test_the_editor_reads_vietnamese_numbers(client, draft, own_unit, staff):
    indicator = first_indicator(own_unit)
    client.force_login(staff)
    response = client.post(
        reverse("emulation:registration_edit", args=[draft.pk]),
        {"action": "save", "collective": LDTT, f"target-{indicator.pk}": "1.250.000,5"},
    )
    assert response.status_code == 302
    assert draft.commitments.get().target == Decimal("1250000.50")


def test_a_late_submission_without_reason_shows_the_editor_again_on_the_reason(client, plan, reviewer, own_unit, head):
    today = timezone.localdate()
    year = open_year(
        plan, reviewer, opens_on=today - datetime.timedelta(days=9), due_on=today - datetime.timedelta(days=2)
    )
    registration = services.registration_start(year=year, unit=own_unit, actor=head)
    client.force_login(head)
    response = client.post(
        reverse("emulation:registration_edit", args=[registration.pk]),
        {"action": "submit", "collective": LDTT, "late_reason": ""},
    )
    assert response.status_code == 400
    assert 'data-testid="error-late_reason"' in response.content.decode()
    registration.refresh_from_db()
    assert (registration.status, registration.titles.count()) == (Status.DRAFT, 0)


def test_staff_pressing_submit_gets_403_and_another_units_registration_404(client, draft, staff, other_staff):
    client.force_login(staff)
    url = reverse("emulation:registration_edit", args=[draft.pk])
    assert client.post(url, {"action": "submit", "collective": LDTT}).status_code == 403
    client.force_login(other_staff)
    assert client.get(reverse("emulation:registration", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_return_without_reason_is_refused_on_the_page(client, draft, own_unit, head, reviewer):
    services.registration_submit(registration=draft, actor=head, content=content(own_unit))
    client.force_login(reviewer)
    response = client.post(reverse("emulation:registration_return", args=[draft.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert 'data-testid="error-reason"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_the_detail_page_shows_the_history_with_vietnamese_labels(client, draft, own_unit, head, reviewer):
    services.registration_submit(registration=draft, actor=head, content=content(own_unit))
    services.registration_return(registration=draft, actor=reviewer, reason="Bổ sung.")
    client.force_login(head)
    html = client.get(reverse("emulation:registration", args=[draft.pk])).content.decode()
    for label in ("Tạo đăng ký", "Gửi đăng ký", "Trả lại để bổ sung", "Lý do trả lại"):
        assert label in html
