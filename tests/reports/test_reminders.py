"""Deadline reminders: only units that have not submitted, at the right stages, never twice; a digest to the office."""

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail

from campaign.models import ReportingPeriod
from notifications.models import Dispatch, Notification
from reports import services
from reports.services.reminders import reminder_stage, send_deadline_reminders
from tests.reports.conftest import complete
from units.models import Unit

DAY = datetime.timedelta(days=1)


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@skhcn.test"
        user.save(update_fields=["email"])


@pytest.fixture
def people(staff, head, other_staff, reviewer):
    with_email(staff, head, other_staff, reviewer)
    return {"staff": staff, "head": head, "other_staff": other_staff, "reviewer": reviewer}


@pytest.fixture
def period(open_period):
    """The open period alone: the plan's other periods would bring their own reminders on some days."""
    ReportingPeriod.objects.exclude(pk=open_period.pk).delete()
    return open_period


def inbox(user):
    return [message for message in mail.outbox if user.email in message.to]


def run(period, days_from_due):
    return send_deadline_reminders(today=period.unit_due_date + days_from_due * DAY)


@pytest.mark.parametrize(
    ("days_from_due", "stage"),
    [
        (-4, None),
        (-3, "before"),
        (-1, "before"),
        (0, "due"),
        (1, "overdue-1"),
        (2, None),
        (7, None),
        (8, "overdue-8"),
        (15, "overdue-15"),
        (22, "overdue-22"),
    ],
)
def test_reminder_stages(period, days_from_due, stage):
    assert reminder_stage(period, period.unit_due_date + days_from_due * DAY) == stage


def test_units_without_a_submitted_report_are_reminded_before_the_due_date(period, people, draft):
    result = run(period, -2)
    assert f"reminder:{period.code}:PQLKH:before" in result.sent  # a draft
    assert f"reminder:{period.code}:PKT:before" in result.sent  # no report at all
    [message] = inbox(people["staff"])
    assert message.subject.startswith(f"Nhắc việc: báo cáo {period.label} của đơn vị cần nộp trước hạn")
    assert "còn 2 ngày" in message.body
    assert "/reports/" in message.body
    assert len(inbox(people["head"])) == 1
    assert len(inbox(people["other_staff"])) == 1


def test_reminders_on_the_due_date_and_when_overdue(period, people):
    run(period, 0)
    assert inbox(people["other_staff"])[-1].subject == (
        f"Nhắc việc: hôm nay ({period.unit_due_date:%d/%m/%Y}) là hạn nộp báo cáo {period.label} của đơn vị."
    )
    run(period, 8)
    assert inbox(people["other_staff"])[-1].subject.startswith(f"Báo cáo {period.label} của đơn vị đã quá hạn 8 ngày")
    assert len(inbox(people["other_staff"])) == 2


def test_nothing_between_overdue_stages(period, people):
    assert run(period, 5).sent == []
    assert mail.outbox == []


def test_a_second_run_the_same_day_sends_nothing(period, people):
    first = run(period, 1)
    sent = len(mail.outbox)
    notifications = Notification.objects.count()
    second = run(period, 1)
    assert sent > 0
    assert second.sent == []
    assert sorted(second.skipped) == sorted(first.sent)
    assert len(mail.outbox) == sent
    assert Notification.objects.count() == notifications


def test_the_before_window_reminds_once(period, people):
    run(period, -3)
    run(period, -2)
    run(period, -1)
    assert len(inbox(people["other_staff"])) == 1


@pytest.mark.parametrize("accept", [False, True])
def test_a_submitted_or_accepted_unit_gets_nothing(period, people, draft, levels, accept):
    complete(draft, people["staff"], levels)
    services.report_submit(report=draft, actor=people["head"])
    if accept:
        services.report_accept(report=draft, actor=people["reviewer"])
    mail.outbox.clear()
    result = run(period, 1)
    assert not [key for key in result.sent if ":PQLKH:" in key]
    assert inbox(people["staff"]) == []
    assert inbox(people["head"]) == []
    assert inbox(people["other_staff"]) != []


def test_a_returned_report_is_reminded(period, people, draft, levels):
    complete(draft, people["staff"], levels)
    services.report_submit(report=draft, actor=people["head"])
    services.report_return(report=draft, actor=people["reviewer"], reason="Thiếu số liệu giải ngân.")
    mail.outbox.clear()
    run(period, 1)
    assert len(inbox(people["staff"])) == 1


def test_the_office_gets_one_digest_of_the_missing_units(period, people, draft, levels):
    run(period, 1)
    digests = [message for message in inbox(people["reviewer"]) if "đơn vị chưa nộp báo cáo" in message.subject]
    [digest] = digests
    units = list(Unit.objects.reporting())
    assert f"{period.label}: {len(units)} đơn vị chưa nộp báo cáo" in digest.body
    for unit in units:
        assert unit.name in digest.body
    assert f"/reports/matrix/?period={period.code}" in digest.body
    assert Dispatch.objects.filter(key=f"digest:{period.code}:overdue-1").exists()


def test_no_digest_when_every_unit_has_submitted(period, staff, head, reviewer, levels, draft):
    with_email(reviewer)
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    # Every other unit (the office's own included) closed before the period: only the own unit reports.
    Unit.objects.reporting().exclude(pk=draft.unit_id).update(valid_to=period.start)
    result = run(period, 1)
    assert result.sent == []
    assert mail.outbox == []


def test_reminders_are_also_portal_notifications(period, people):
    run(period, 0)
    notification = Notification.objects.get(recipient=people["other_staff"])
    assert notification.message.startswith("Nhắc việc: hôm nay")
    assert notification.url == "/reports/"
    assert notification.emailed_at is not None


def test_a_user_without_an_e_mail_address_still_gets_the_portal_notification(period, staff):
    run(period, 0)
    assert Notification.objects.filter(recipient=staff).count() == 1
    assert mail.outbox == []


def test_inactive_people_are_not_reminded(period, people):
    people["other_staff"].is_active = False
    people["other_staff"].save()
    run(period, 0)
    assert inbox(people["other_staff"]) == []
    assert not Notification.objects.filter(recipient=people["other_staff"]).exists()


@pytest.mark.parametrize(("portal_start_offset", "reminded"), [(1, False), (-1, True)])
def test_history_periods_are_never_reminded(plan, earlier_period, other_staff, portal_start_offset, reminded):
    """2025-FY is history once the portal starts after it ended; the control case shows it would be reminded."""
    ReportingPeriod.objects.exclude(pk=earlier_period.pk).delete()
    with_email(other_staff)
    plan.portal_start_date = earlier_period.end + portal_start_offset * DAY
    plan.save()
    result = run(earlier_period, 1)
    assert bool(result.sent) == reminded
    assert bool(inbox(other_staff)) == reminded


def test_periods_not_yet_started_are_not_reminded(period, people):
    period.start = period.unit_due_date + DAY
    period.save()
    assert run(period, 0).sent == []


def test_the_beat_runs_the_reminders_every_morning_at_half_past_seven_local_time():
    entry = settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    assert entry["task"] == "reports.send_deadline_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=30)
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


def test_the_beat_task_runs_the_reminders(period, people, monkeypatch):
    from reports import tasks

    monkeypatch.setattr("reports.services.reminders.timezone.localdate", lambda: period.unit_due_date)
    result = tasks.send_deadline_reminders.apply().get()
    assert f"reminder:{period.code}:PKT:due" in result["sent"]
    assert inbox(people["other_staff"])
