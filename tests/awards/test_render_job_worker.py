"""A real Celery worker on Redis renders a decision end to end: request → broker → worker → PDF with the names."""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811

import pytest

from awards.models import AwardDocument
from awards.services import outcomes
from portal.celery import app
from tests.awards.test_outcomes_support import approved, pdf_text, private_files, read  # noqa: F401 — fixtures
from tests.celery_worker import celery_eager, celery_worker, wait_until  # noqa: F401 — fixtures

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_real_worker_renders_a_decision(
    celery_worker, private_files, annual_round, forms, own_unit, person, leader, reviewer
):  # noqa: F811
    assert not app.conf.task_always_eager
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    # No test transaction around it: the request commits and its on-commit callback publishes to Redis.
    (document,) = outcomes.decisions_create(award_round=annual_round, actor=reviewer)

    wait_until(
        lambda: AwardDocument.objects.get(pk=document.pk).render_status == AwardDocument.RenderStatus.READY, timeout=60
    )
    document.refresh_from_db()
    assert document.attempts == 1
    text = pdf_text(read(document.pdf))
    assert "QUYẾT ĐỊNH" in text
    assert person.full_name in text
