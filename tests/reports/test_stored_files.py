"""Documents rendered once by the background job and stored (documents/stored.py), on the unit report.

A state change queues the render after commit; the job stores each file with its sha256; a download serves
the stored file and renders nothing; a draft whose content changed is made again while its previous files
are served; an accepted report's files never change.
"""

import hashlib

import pytest
from django.urls import reverse

from documents import stored
from documents.models import StoredFiles
from reports import services
from reports.parts import digest
from reports.services.editing import part_objects, values_of
from tests.reports.conftest import complete

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stored_rendering")]
HIGHLIGHTS = "section-highlights"


@pytest.fixture
def rendered(draft, staff, head, levels, django_capture_on_commit_callbacks):
    """A submitted report whose files the job made (the on-commit task run, as Celery would)."""
    complete(draft, staff, levels)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=draft, actor=head)
    draft.refresh_from_db()
    return draft


def _bytes(field):
    with field.open("rb") as handle:
        return handle.read()


@pytest.fixture
def no_rendering(monkeypatch):
    """Any call of a renderer fails the test."""

    def refuse(document):
        raise AssertionError("a download rendered a document")

    for extension in stored.RENDERERS:
        monkeypatch.setitem(stored.RENDERERS, extension, refuse)


def test_submitting_makes_the_files_once_each_with_its_sha256(rendered):
    row = stored.stored_files(rendered)
    assert row.render_status == StoredFiles.RenderStatus.READY
    assert row.is_current
    assert not row.final
    assert [name for name, _, _ in row.files()] == ["pdf", "docx"]  # a unit report has no tables to export
    for _, field, sha256 in row.files():
        assert hashlib.sha256(_bytes(field)).hexdigest() == sha256
    assert _bytes(row.pdf).startswith(b"%PDF")


def test_a_download_serves_the_stored_file_and_renders_nothing(client, head, rendered, no_rendering):
    row = stored.stored_files(rendered)
    client.force_login(head)
    for extension in ("pdf", "docx"):
        response = client.get(reverse(f"reports:unit_{extension}", args=[rendered.pk]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == _bytes(getattr(row, extension))
    page = client.get(rendered.get_absolute_url()).content.decode()
    assert row.pdf_sha256 in page


def test_before_any_file_the_download_says_so_and_offers_to_make_it(client, staff, draft, no_rendering):
    client.force_login(staff)
    response = client.get(reverse("reports:unit_pdf", args=[draft.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Tệp PDF chưa sẵn sàng" in text
    assert reverse("documents:stored_request", args=["bao-cao-don-vi", draft.pk]) in text
    assert not StoredFiles.objects.exists()  # a GET writes nothing


def test_a_changed_draft_is_made_again_while_its_previous_files_are_served(
    client, head, staff, rendered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_withdraw(report=rendered, actor=head)  # a draft again: its files made again (DỰ THẢO)
    old = stored.stored_files(rendered)
    assert old.is_current
    old_pdf = _bytes(old.pdf)
    result = rendered.results.first()
    result.activities = "Nội dung mới: đã rà soát thêm 3 dự án."
    result.save(update_fields=["activities"])

    client.force_login(staff)
    assert "stored-files-stale" in client.get(rendered.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("documents:stored_request", args=["bao-cao-don-vi", rendered.pk]))
    assert response.status_code == 302
    queued = stored.stored_files(rendered)
    assert queued.render_status == StoredFiles.RenderStatus.QUEUED
    assert queued.wanted_digest != queued.content_digest
    # Meanwhile the previous files are what downloads.
    download = client.get(reverse("reports:unit_pdf", args=[rendered.pk]))
    assert b"".join(download.streaming_content) == old_pdf

    stored.render(stored_id=queued.pk)
    fresh = stored.stored_files(rendered)
    assert fresh.is_current
    assert fresh.pdf_sha256 != old.pdf_sha256
    assert hashlib.sha256(_bytes(fresh.pdf)).hexdigest() == fresh.pdf_sha256


def test_an_accepted_reports_files_are_final_and_never_change(rendered, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_open_review(report=rendered, actor=reviewer)
        services.report_accept(report=rendered, actor=reviewer)
    row = stored.stored_files(rendered)
    assert row.final
    digests = (row.pdf_sha256, row.docx_sha256, row.pdf.name)

    result = rendered.results.first()
    result.activities = "Sửa sau khi đã tiếp nhận."
    result.save(update_fields=["activities"])
    again = stored.request_current(rendered)
    assert again.render_status == StoredFiles.RenderStatus.READY  # nothing queued
    # Even a run forced on it keeps the files it has.
    stored.RENDER_JOB.restart(row.pk)
    stored.render(stored_id=row.pk)
    row.refresh_from_db()
    assert (row.pdf_sha256, row.docx_sha256, row.pdf.name) == digests


def test_saving_a_draft_asks_for_its_files_again_but_autosaving_does_not(
    client, staff, rendered, head, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.report_withdraw(report=rendered, actor=head)
    made = stored.stored_files(rendered)
    assert made.is_current
    key = HIGHLIGHTS
    part = part_objects(rendered)[key]
    typed = {
        "part": key,
        f"rev-{key}": part.revision,
        f"orig-{key}": digest(values_of(part)),
        f"{key}-text": "Đã rà soát thêm 3 dự án.",
    }
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("reports:autosave", args=[rendered.pk]), typed)
    assert response.status_code == 200
    assert part_objects(rendered)[key].text == "Đã rà soát thêm 3 dự án."
    assert stored.stored_files(rendered).wanted_digest == made.wanted_digest  # autosave asked for nothing
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:edit", args=[rendered.pk]), {"action": "save"})
    assert stored.stored_files(rendered).wanted_digest != made.wanted_digest
