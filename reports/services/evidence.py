"""Evidence files: added and removed only while the report is a draft (or returned), through the upload validator."""

from django.db import transaction

from portal.uploads import delete_stored_file, store_upload, upload_sha256, validate_upload

from .. import permissions
from ..errors import NotAllowed
from ..models import Evidence
from .editing import locked_report


def evidence_add(*, result, actor, upload):
    """Store a checked file under a random name and record it with its original name; ValidationError if refused."""
    checked = validate_upload(upload)
    sha256 = upload_sha256(upload)
    with transaction.atomic():
        report = locked_report(result.report_id)
        if not permissions.can_edit(actor, report):
            raise NotAllowed("Báo cáo đã nộp nên không thêm được minh chứng.")
        evidence = Evidence(
            result=result,
            original_name=upload.name[:255],
            size=checked.size,
            content_type=checked.content_type,
            sha256=sha256,
            uploaded_by=actor,
        )
        return store_upload(evidence, upload)


def evidence_remove(*, evidence, actor):
    with transaction.atomic():
        report = locked_report(evidence.result.report_id)
        if not permissions.can_edit(actor, report):
            raise NotAllowed("Báo cáo đã nộp nên không xóa được minh chứng.")
        delete_stored_file(evidence)
