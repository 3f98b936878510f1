"""A real Celery worker on Redis: a submit's e-mails go through the broker, not inline."""

import pytest
from django.core import mail

from notifications.models import Notification
from portal.celery import app
from reports import services
from reports.models import UnitReport
from tests.celery_worker import celery_eager, celery_worker, wait_until  # noqa: F401 — fixtures
from tests.reports.conftest import complete

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_emails_the_office_after_a_submit(celery_worker, draft, staff, head, reviewer, levels):  # noqa: F811
    assert not app.conf.task_always_eager
    reviewer.email = "vanphong@skhcn.test"
    reviewer.save()
    complete(draft, staff, levels)
    # No test transaction around it: the submit commits and its on-commit callback publishes to Redis.
    services.report_submit(report=draft, actor=head)
    assert UnitReport.objects.get(pk=draft.pk).status == UnitReport.Status.SUBMITTED
    notification = Notification.objects.get(recipient=reviewer)

    wait_until(lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists())
    assert [message.to for message in mail.outbox] == [[reviewer.email]]
    assert mail.outbox[0].subject == "Phòng Quản lý khoa học — Năm 2026: đơn vị đã nộp báo cáo."


def test_the_worker_does_not_outlive_its_test():
    """Runs after the worker test (same module, transactional tests last): tasks are inline again."""
    assert app.conf.task_always_eager
