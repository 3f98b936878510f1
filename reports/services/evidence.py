"""Evidence files: added and removed only while the report is a draft (or returned), through the upload validator."""

import hashlib

from django.db import transaction

from portal.uploads import validate_upload

from .. import permissions
from ..errors import NotAllowed
from ..models import Evidence, UnitReport


def _sha256(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def evidence_add(*, result, actor, upload):
    """Store a checked file under a random name and record it with its original name; ValidationError if refused."""
    checked = validate_upload(upload)
    sha256 = _sha256(upload)
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=result.report_id)
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
        evidence.file.save(upload.name, upload, save=False)
        stored_name, storage = evidence.file.name, evidence.file.storage
        try:
            evidence.save()
        except BaseException:
            storage.delete(stored_name)
            raise
    return evidence


def evidence_remove(*, evidence, actor):
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=evidence.result.report_id)
        if not permissions.can_edit(actor, report):
            raise NotAllowed("Báo cáo đã nộp nên không xóa được minh chứng.")
        stored_name = evidence.file.name
        storage = evidence.file.storage
        evidence.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: storage.delete(stored_name))
