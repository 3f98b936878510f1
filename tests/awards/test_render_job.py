"""The award documents' render job, run inline: the row is the truth, the lease is exclusive, the sweeper recovers.

The same rules as the consolidation job (DESIGN.md sections 3 and 8).
"""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from awards.models import AwardDocument, AwardDocumentTransition
from awards.services import documents
from awards.services.documents import RENDER_JOB, render, request_document
from awards.tasks import render_award_document, sweep_award_documents
from tests.awards.test_outcomes_support import private_files  # noqa: F401 — fixture

Render = AwardDocument.RenderStatus
pytestmark = pytest.mark.django_db


def content(award_round):
    from awards.services.outcomes import _campaign_content, _round_content

    return {
        "campaign": _campaign_content(award_round),
        "round": _round_content(award_round),
        "basis": ["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"],
        "forms": [
            {
                "id": 1,
                "code": "lao-dong-tien-tien",
                "name": "Lao động tiên tiến",
                "is_title": True,
                "authority": "Giám đốc Sở Khoa học và Công nghệ",
                "collectives": [],
                "individuals": [
                    {
                        "nomination": 1,
                        "name": "Phan Thị Kết Xuất",
                        "position": "Chuyên viên",
                        "unit": "Phòng Quản lý khoa học",
                    }
                ],
            }
        ],
        "recipients": ["- Lưu: VT, HCTH."],
    }


@pytest.fixture
def queued(annual_round, reviewer, private_files):
    """A queued decision whose task was never published (its on-commit callback is not run)."""
    return request_document(
        kind="decision",
        award_round=annual_round,
        actor=reviewer,
        content=content(annual_round),
        summary="Về việc khen thưởng",
    )


@pytest.fixture
def published(monkeypatch):
    ids = []
    task_type = type(render_award_document._get_current_object())
    monkeypatch.setattr(task_type, "delay", lambda self, document_id: ids.append(document_id))
    return ids


def row(document):
    return AwardDocument.objects.get(pk=document.pk)


def expire_lease(document):
    AwardDocument.objects.filter(pk=document.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


def test_request_writes_the_row_and_enqueues_after_commit(
    annual_round, reviewer, published, private_files, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = request_document(
            kind="decision", award_round=annual_round, actor=reviewer, content=content(annual_round), summary="Về việc"
        )
    assert row(document).render_status == Render.QUEUED
    assert row(document).content_sha256
    assert published == []  # nothing published inside the transaction
    for callback in callbacks:
        callback()
    assert published == [document.pk]
    assert row(document).enqueued_at is not None


def test_render_finishes_the_row_with_its_files(queued):
    result = render_award_document(queued.pk)
    assert result == Render.READY
    document = row(queued)
    assert document.pdf
    assert document.docx
    assert document.rendered_at
    assert document.attempt_token is None
    assert document.attempts == 1
    assert list(document.transitions.values_list("action", flat=True)) == ["request", "rendered"]


def test_claim_twice_only_one_wins(queued):
    first = RENDER_JOB.claim(queued.pk)
    second = RENDER_JOB.claim(queued.pk)
    assert first is not None
    assert second is None
    assert row(queued).attempt_token == first
    assert render(document_id=queued.pk) is None  # a duplicate delivery does nothing while the lease holds
    assert row(queued).render_status == Render.RENDERING


def test_expired_lease_is_claimed_again_and_the_old_holder_cannot_finish(queued):
    old = RENDER_JOB.claim(queued.pk)
    expire_lease(queued)
    assert render(document_id=queued.pk).render_status == Render.READY
    assert RENDER_JOB.heartbeat(queued.pk, old) == 0
    assert row(queued).attempts == 2


def test_attempts_are_bounded(queued, settings):
    settings.AWARD_DOCUMENT_MAX_ATTEMPTS = 2
    for _ in range(2):
        assert RENDER_JOB.claim(queued.pk) is not None
        expire_lease(queued)
    assert RENDER_JOB.claim(queued.pk) is None
    RENDER_JOB.sweep()
    document = row(queued)
    assert document.render_status == Render.FAILED
    assert "gián đoạn 2 lần" in document.error


def test_broker_down_on_request_leaves_the_row_queued_and_the_sweep_publishes_it(
    annual_round, reviewer, monkeypatch, private_files, django_capture_on_commit_callbacks
):
    task_type = type(render_award_document._get_current_object())

    def broker_down(self, document_id):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_type, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        document = request_document(
            kind="decision", award_round=annual_round, actor=reviewer, content=content(annual_round), summary="Về việc"
        )
    assert row(document).render_status == Render.QUEUED
    assert row(document).enqueued_at is None

    monkeypatch.undo()  # the broker is back; eager mode runs the task inline
    assert sweep_award_documents() == [document.pk]
    assert row(document).render_status == Render.READY


def test_sweep_leaves_a_recently_enqueued_row_and_a_live_lease_alone(queued, published):
    AwardDocument.objects.filter(pk=queued.pk).update(enqueued_at=timezone.now())
    assert RENDER_JOB.sweep() == []
    RENDER_JOB.claim(queued.pk)
    assert RENDER_JOB.sweep() == []
    expire_lease(queued)
    assert RENDER_JOB.sweep() == [queued.pk]
    assert published == [queued.pk]


def test_a_failure_records_the_reason(queued, monkeypatch):
    def broken(document):
        raise ValueError("mẫu văn bản hỏng")

    monkeypatch.setitem(documents.BUILDERS, "decision", broken)
    assert render_award_document(queued.pk) is None
    document = row(queued)
    assert document.render_status == Render.FAILED
    assert document.error == "ValueError: mẫu văn bản hỏng"
    assert document.attempt_token is None
    assert AwardDocumentTransition.objects.filter(document=document, action="render_failed").exists()


def test_retry_after_a_failure_renders_again(queued, reviewer, monkeypatch, django_capture_on_commit_callbacks):
    from awards.services.outcomes import document_retry

    AwardDocument.objects.filter(pk=queued.pk).update(render_status=Render.FAILED, error="x", attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        document_retry(document=queued, actor=reviewer)
    document = row(queued)
    assert document.render_status == Render.READY
    assert document.error == ""
    assert document.attempts == 1


def test_rendering_again_replaces_the_files(queued, reviewer, django_capture_on_commit_callbacks):
    render(document_id=queued.pk)
    first = row(queued).pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        documents.request_render(document=row(queued), actor=reviewer)
    document = row(queued)
    assert document.render_status == Render.READY
    assert document.pdf.name != first
    assert not document.pdf.storage.exists(first)
