"""Notification e-mails through Celery: each notification e-mailed once; a broker outage never fails a submit."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from kombu.exceptions import OperationalError

from notifications.emails import SWEEP_GRACE, SWEEP_WINDOW
from notifications.models import Notification
from notifications.tasks import send_emails, sweep_emails
from reports import services
from reports.models import UnitReport
from tests.celery_worker import celery_eager  # noqa: F401 — autouse: tasks run inline whatever REDIS_URL says
from tests.factories import Capability, UnitFactory, UserFactory
from tests.reports.conftest import complete


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@skhcn.test"
        user.save(update_fields=["email"])


@pytest.fixture
def second_reviewer(db):
    return UserFactory(
        username="vanphong2",
        full_name="Trần Thị Rà Soát",
        unit=UnitFactory(code="TGV", name="Tổ giúp việc Hội đồng"),
        capabilities=[Capability.OFFICE_REVIEWER],
    )


@pytest.fixture
def ready(draft, staff, head, reviewer, second_reviewer, levels):
    """A complete draft, with e-mail addresses for everyone involved."""
    with_email(staff, head, reviewer, second_reviewer)
    return complete(draft, staff, levels)


@pytest.fixture
def submit(head, django_capture_on_commit_callbacks):
    def submit(report):
        with django_capture_on_commit_callbacks(execute=True):
            services.report_submit(report=report, actor=head)
        report.refresh_from_db()

    return submit


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_submit_emails_every_office_reviewer(ready, submit, reviewer, second_reviewer):
    submit(ready)
    assert recipients() == sorted([reviewer.email, second_reviewer.email])
    message = mail.outbox[0]
    assert message.subject == "Phòng Quản lý khoa học — Năm 2026: đơn vị đã nộp báo cáo."
    assert f"Xem trên Cổng thi đua: /reports/{ready.pk}/" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_each_notification_is_emailed_once(ready, head, reviewer, second_reviewer):
    services.report_submit(report=ready, actor=head)  # on-commit callbacks not run: no task yet
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert send_emails.apply(args=[ids]).get() == 2
    assert send_emails.apply(args=[ids]).get() == 0
    assert recipients() == sorted([reviewer.email, second_reviewer.email])


def test_a_broker_outage_does_not_fail_the_submit(ready, submit, monkeypatch, caplog):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(type(send_emails._get_current_object()), "delay", broker_down)
    submit(ready)
    assert ready.status == UnitReport.Status.SUBMITTED
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    assert mail.outbox == []
    assert "could not enqueue notifications.send_emails" in caplog.text


def test_the_sweep_emails_notifications_whose_task_was_lost(ready, head, reviewer, second_reviewer):
    services.report_submit(report=ready, actor=head)  # as if the enqueue had been lost
    assert sweep_emails.apply().get() == 0  # too recent: their own task may still come
    Notification.objects.update(created_at=Notification.objects.first().created_at - SWEEP_GRACE * 2)
    assert sweep_emails.apply().get() == 2
    assert sweep_emails.apply().get() == 0
    assert recipients() == sorted([reviewer.email, second_reviewer.email])


def test_the_sweep_leaves_old_notifications_alone(ready, head):
    services.report_submit(report=ready, actor=head)
    Notification.objects.update(created_at=Notification.objects.first().created_at - SWEEP_WINDOW * 2)
    assert sweep_emails.apply().get() == 0
    assert mail.outbox == []


def test_people_without_an_address_or_inactive_get_no_e_mail(ready, submit, reviewer, second_reviewer):
    second_reviewer.email = ""
    second_reviewer.save()
    reviewer.is_active = False
    reviewer.save()
    submit(ready)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=second_reviewer).exists()


def test_returning_a_report_emails_the_head_and_the_staff_who_drafted(ready, submit, reviewer, staff, head):
    submit(ready)
    mail.outbox.clear()
    with_email(reviewer)
    services.report_return(report=ready, actor=reviewer, reason="Bổ sung số liệu giải ngân.")
    ids = list(Notification.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True))
    send_emails.apply(args=[ids])
    assert recipients() == sorted([staff.email, head.email])
    assert "Lý do: Bổ sung số liệu giải ngân." in mail.outbox[0].body


class RefusingBackend(EmailBackend):
    """The locmem backend, refusing one address as a mail server would."""

    def send_messages(self, messages):
        for message in messages:
            if "vanphong2@" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


def test_a_refused_address_does_not_stop_the_others(ready, head, reviewer, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    services.report_submit(report=ready, actor=head)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_emails.apply(args=[ids]).get() == 1
    assert recipients() == [reviewer.email]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1


def test_a_mail_server_outage_leaves_the_notifications_for_the_sweep(ready, head, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    services.report_submit(report=ready, actor=head)
    ids = list(Notification.objects.values_list("pk", flat=True))
    with pytest.raises(ConnectionRefusedError):
        send_emails.apply(args=[ids]).get()
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_tasks_are_registered_under_their_names():
    from portal.celery import app

    app.loader.import_default_modules()
    for name in (
        "notifications.send_emails",
        "notifications.sweep_emails",
        "reports.send_deadline_reminders",
    ):
        assert name in app.tasks


def test_tasks_run_inline_in_the_fast_tests_even_with_redis_configured():
    from portal.celery import app

    assert app.conf.task_always_eager
    assert app.conf.task_eager_propagates
