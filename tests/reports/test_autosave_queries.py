"""The editor's writes in a fixed number of queries, whatever the report's size (issue 17, item 2).

Counted over the whole request through the test client: the session, and the user loaded by the middleware with
their unit and group names (units/backends.py); the session is not written back (portal/sessions.py: at most once a
minute), and the savepoints of every atomic block count (the test runs inside a transaction, so the service's
transaction shows as SAVEPOINT / RELEASE).

Autosave of a text section: the session (1), the user (1); the service's savepoint, the report read with its
visibility check under its row lock (1), the one part (1), the part's write (1), the report's time (1), release — 8.
A criterion adds the plan's rows its form reads: its indicators (1) and the assessment levels (1).
Evidence attached or removed: the session, the user, the report (or the file) read with its visibility check, the
criterion (or the report), the savepoint, the report locked with its unit, the insert (or delete), release — 8.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign.models import Criterion, CriterionApplicability
from reports import services
from tests.reports.test_views import HIGHLIGHTS, autosave_url, edit_url, fields, recurrent_key, text_of

SECTION_AUTOSAVE = 8
CRITERION_AUTOSAVE = 10
SECTION_CONFLICT = 6
EXPLICIT_SAVE = 25
EVIDENCE_ATTACH = 8
EVIDENCE_REMOVE = 8


@pytest.fixture(params=["small", "large"])
def sized_draft(request, open_period, own_unit, staff):
    """The unit's draft with the criteria every unit reports on, or with every criterion of the plan."""
    if request.param == "large":
        CriterionApplicability.objects.bulk_create(
            CriterionApplicability(criterion=criterion, unit=own_unit, applies=True)
            for criterion in Criterion.objects.filter(applies_to_all_units=False)
        )
    report = services.report_start(unit=own_unit, period=open_period, actor=staff)
    report.size = request.param
    return report


def counted(client, url, data):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, [query["sql"] for query in queries.captured_queries]


def test_the_sizes_differ(open_period, own_unit, staff):
    # The large draft really holds more parts than the small one, or the tests below compare nothing.
    small = services.report_start(unit=own_unit, period=open_period, actor=staff).results.count()
    everything = Criterion.objects.filter(is_active=True).count()
    assert everything > small


def test_autosave_of_a_section_runs_a_fixed_number_of_queries(client, staff, sized_draft):
    client.force_login(staff)
    response, queries = counted(
        client, autosave_url(sized_draft), {"part": HIGHLIGHTS, **fields(sized_draft, HIGHLIGHTS, text="Đang gõ.")}
    )
    assert response.status_code == 200, response.content
    assert len(queries) == SECTION_AUTOSAVE, "\n".join(queries)
    assert text_of(sized_draft) == "Đang gõ."
    assert sum(sql.startswith("SELECT") and '"reports_reportsection"' in sql for sql in queries) == 1
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in sql and '"reports_unitreport"' in sql for sql in queries)


def test_autosave_of_a_criterion_runs_a_fixed_number_of_queries(client, staff, sized_draft, levels):
    key = recurrent_key()
    client.force_login(staff)
    posted = fields(sized_draft, key, activities="Đã chi 1 tỷ.", assessment=levels["hoan-thanh-tot"].pk)
    response, queries = counted(client, autosave_url(sized_draft), {"part": key, **posted})
    assert response.status_code == 200, response.content
    assert len(queries) == CRITERION_AUTOSAVE, "\n".join(queries)
    result = sized_draft.results.get(criterion__plan_key="criterion-III.1.2.3")
    assert (result.activities, result.assessment_id) == ("Đã chi 1 tỷ.", levels["hoan-thanh-tot"].pk)


def test_a_refused_negative_amount_is_answered_without_a_write(client, staff, sized_draft):
    key = recurrent_key()
    client.force_login(staff)
    response, queries = counted(
        client, autosave_url(sized_draft), {"part": key, **fields(sized_draft, key, q__total="-5")}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"q-total": "Số liệu không được âm."}
    assert not any(sql.startswith("UPDATE") and "reports_" in sql for sql in queries)


def test_a_conflict_runs_a_fixed_number_of_queries(client, staff, head, sized_draft):
    stale = fields(sized_draft, HIGHLIGHTS, text="Bản của cán bộ.")
    client.force_login(head)
    client.post(autosave_url(sized_draft), {"part": HIGHLIGHTS, **fields(sized_draft, HIGHLIGHTS, text="Bản khác.")})
    client.force_login(staff)
    response, queries = counted(client, autosave_url(sized_draft), {"part": HIGHLIGHTS, **stale})
    assert response.status_code == 409
    assert response.json()["conflict"]["theirs"] == {"text": "Bản khác."}
    assert len(queries) == SECTION_CONFLICT, "\n".join(queries)


def test_the_explicit_save_runs_a_fixed_number_of_queries(client, staff, sized_draft):
    client.force_login(staff)
    posted = {"action": "save", **fields(sized_draft, HIGHLIGHTS, text="Lưu hẳn.")}
    response, queries = counted(client, edit_url(sized_draft), posted)
    assert response.status_code == 302
    # At most: the first request of a test run also reads the content types (Django caches them afterwards).
    assert len(queries) <= EXPLICIT_SAVE, "\n".join(queries)
    assert text_of(sized_draft) == "Lưu hẳn."


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


def test_attaching_and_removing_evidence_run_a_fixed_number_of_queries(client, staff, sized_draft, settings, tmp_path):
    # The editor's other writes: a file attached to one criterion, then removed, whatever the report's size.
    settings.MEDIA_ROOT = tmp_path
    result = sized_draft.results.get(criterion__plan_key="criterion-III.1.2.3")
    client.force_login(staff)
    upload = SimpleUploadedFile("Biên bản.pdf", PDF, content_type="application/pdf")
    url = reverse("reports:evidence_upload", args=[sized_draft.pk, result.pk])
    response, attach = counted(client, url, {"file": upload})
    assert response.status_code == 302
    evidence = result.evidence.get()
    response, remove = counted(client, reverse("reports:evidence_delete", args=[evidence.pk]), {})
    assert response.status_code == 302
    assert not result.evidence.exists()
    assert (len(attach), len(remove)) == (EVIDENCE_ATTACH, EVIDENCE_REMOVE), "\n".join(attach + ["—"] + remove)
