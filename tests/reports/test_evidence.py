"""Evidence files: uploaded to a draft, kept private under a random name, served only by the access-checking view."""

from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services
from reports.models import Evidence
from tests.reports.conftest import complete

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
NAME = "Biên bản nghiệm thu công trình.pdf"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def result(draft):
    return draft.results.first()


@pytest.fixture
def evidence(result, staff):
    return services.evidence_add(result=result, actor=staff, upload=SimpleUploadedFile(NAME, PDF))


def upload(client, report, result, name=NAME, content=PDF):
    url = reverse("reports:evidence_upload", args=[report.pk, result.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def stored_files(root):
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def submit(report, staff, head, levels):
    complete(report, staff, levels)
    services.report_submit(report=report, actor=head)
    report.refresh_from_db()


def download(client, evidence):
    return client.get(reverse("reports:evidence_download", args=[evidence.pk]))


def test_unit_staff_uploads_evidence_to_a_draft_under_a_random_name(client, staff, draft, result, private_root):
    client.force_login(staff)
    response = upload(client, draft, result)
    assert response.status_code == 302
    assert messages_of(response) == [f"Đã tải lên “{NAME}”."]
    evidence = Evidence.objects.get()
    assert evidence.original_name == NAME
    assert evidence.content_type == "application/pdf"
    assert evidence.uploaded_by == staff
    [path] = stored_files(private_root)
    assert path.read_bytes() == PDF
    assert path.name == evidence.file.name.rsplit("/", 1)[-1]
    assert "nghiệm" not in path.name
    assert not path.name.endswith(".pdf")


def test_download_answers_the_bytes_with_the_vietnamese_name(client, staff, evidence):
    client.force_login(staff)
    response = download(client, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(NAME)}"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_units_staff_cannot_download(client, other_staff, evidence):
    client.force_login(other_staff)
    assert download(client, evidence).status_code == 404


def test_reviewer_cannot_download_while_the_report_is_a_draft(client, reviewer, evidence):
    client.force_login(reviewer)
    assert download(client, evidence).status_code == 404


def test_reviewer_downloads_once_the_report_is_submitted(client, reviewer, evidence, draft, staff, head, levels):
    submit(draft, staff, head, levels)
    client.force_login(reviewer)
    response = download(client, evidence)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_cannot_download(client, evidence):
    response = download(client, evidence)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_refused_file_is_not_stored(client, staff, draft, result, private_root):
    client.force_login(staff)
    response = upload(client, draft, result, name="Báo cáo.docx", content=PDF)
    assert messages_of(response) == [
        "Không tải lên được “Báo cáo.docx”: Nội dung tệp không khớp với phần mở rộng .docx."
    ]
    assert not Evidence.objects.exists()
    assert stored_files(private_root) == []


def test_unit_cannot_add_evidence_once_submitted(client, staff, head, draft, result, levels, private_root):
    submit(draft, staff, head, levels)
    client.force_login(staff)
    response = upload(client, draft, result)
    assert messages_of(response) == ["Báo cáo đã nộp nên không thêm được minh chứng."]
    assert not Evidence.objects.exists()
    assert stored_files(private_root) == []


def test_unit_cannot_delete_evidence_once_submitted(client, staff, head, draft, evidence, levels, private_root):
    submit(draft, staff, head, levels)
    client.force_login(head)
    response = client.post(reverse("reports:evidence_delete", args=[evidence.pk]))
    assert messages_of(response) == ["Báo cáo đã nộp nên không xóa được minh chứng."]
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert len(stored_files(private_root)) == 1


def test_unit_deletes_evidence_from_a_draft(client, staff, evidence, private_root, django_capture_on_commit_callbacks):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:evidence_delete", args=[evidence.pk]))
    assert messages_of(response) == [f"Đã xóa “{NAME}”."]
    assert not Evidence.objects.exists()
    assert stored_files(private_root) == []


def test_a_returned_report_takes_evidence_again(client, staff, head, reviewer, draft, result, levels):
    submit(draft, staff, head, levels)
    services.report_return(report=draft, actor=reviewer, reason="Bổ sung minh chứng giải ngân.")
    client.force_login(staff)
    upload(client, draft, result)
    assert Evidence.objects.count() == 1


def test_evidence_download_needs_post_for_delete(client, staff, evidence):
    client.force_login(staff)
    assert client.get(reverse("reports:evidence_delete", args=[evidence.pk])).status_code == 405
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_no_url_serves_the_private_folder(client, staff, evidence, settings):
    client.force_login(staff)
    name = evidence.file.name
    for url in (f"/media/{name}", f"/static/{name}", f"/{name}", f"/private/{name}"):
        assert client.get(url).status_code == 404, url
    with pytest.raises(NotImplementedError):
        evidence.file.url  # noqa: B018 — private files have no URL
