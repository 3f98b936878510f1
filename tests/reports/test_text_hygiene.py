"""Text pasted from Word into a report (a vertical tab, a NUL) is stored clean by every way in, and the data
migration cleans what was stored before (portal.text)."""

import importlib

from django.apps import apps
from django.db import connection
from django.urls import reverse

from reports.models import ReportSection, ReviewComment
from reports.parts import digest
from reports.services.editing import part_objects, values_of

HIGHLIGHTS = "section-highlights"
RECOMMENDATIONS = "section-recommendations"
PASTED = "Hoàn thành 3 công trình\x0bđúng tiến độ\x00."
CLEANED = "Hoàn thành 3 công trình\nđúng tiến độ."
# PostgreSQL text cannot hold a NUL (the reason the edge cleans): rows stored before hold the other controls.
STORED_NUL = "" if connection.vendor == "postgresql" else "\x00"


def loaded_fields(report, key):
    """The editor's hidden fields for one part: its revision and the digest of what it loaded."""
    part = part_objects(report)[key]
    return {f"rev-{key}": part.revision, f"orig-{key}": digest(values_of(part))}


def criterion_key(report):
    return f"criterion-{report.results.order_by('sort_order').first().criterion_id}"


def test_the_editor_stores_pasted_text_clean_and_keeps_everything_else_typed(client, staff, draft, levels):
    key = criterion_key(draft)
    client.force_login(staff)
    response = client.post(
        reverse("reports:edit", args=[draft.pk]),
        {
            "action": "save",
            **loaded_fields(draft, HIGHLIGHTS),
            f"{HIGHLIGHTS}-text": PASTED,
            **loaded_fields(draft, key),
            f"{key}-activities": "- Rà soát\x0c hồ sơ\r\n- Giải ngân\tđợt 1",
            f"{key}-assessment": levels["hoan-thanh-tot"].pk,
            f"{key}-not_applicable_reason": "",
        },
    )
    assert response.status_code == 302
    parts = part_objects(draft)
    assert parts[HIGHLIGHTS].text == CLEANED
    assert parts[key].activities == "- Rà soát\n hồ sơ\n- Giải ngân\tđợt 1"
    assert parts[key].assessment_id == levels["hoan-thanh-tot"].pk


def test_autosave_of_a_nul_answers_json_200_and_stores_clean_text(client, staff, draft):
    client.force_login(staff)
    response = client.post(
        reverse("reports:autosave", args=[draft.pk]),
        {"part": HIGHLIGHTS, **loaded_fields(draft, HIGHLIGHTS), f"{HIGHLIGHTS}-text": PASTED},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["original"] == digest({"text": CLEANED})
    assert part_objects(draft)[HIGHLIGHTS].text == CLEANED


def test_autosave_of_a_proposal_keeps_its_addressee_and_cleans_its_text(client, staff, draft):
    client.force_login(staff)
    response = client.post(
        reverse("reports:autosave", args=[draft.pk]),
        {
            "part": RECOMMENDATIONS,
            **loaded_fields(draft, RECOMMENDATIONS),
            f"{RECOMMENDATIONS}-item-0-text": "Bố trí vốn\x0bcho dự án\x00",
            f"{RECOMMENDATIONS}-item-0-to": "province",
        },
    )
    assert response.status_code == 200
    assert part_objects(draft)[RECOMMENDATIONS].items == [{"text": "Bố trí vốn\ncho dự án", "to": "province"}]


def test_a_reviewers_comment_form_stores_clean_text(client, reviewer, submitted):
    client.force_login(reviewer)
    client.post(reverse("reports:comment", args=[submitted.pk]), {"text": "Bổ sung\x0bminh chứng\x00."})
    assert ReviewComment.objects.get(report=submitted).text == "Bổ sung\nminh chứng."


def test_the_data_migration_cleans_text_and_json_stored_before(draft):
    key = criterion_key(draft)
    ReportSection.objects.filter(report=draft, key="highlights").update(text=f"Cũ\x0bdòng hai{STORED_NUL}\x01.")
    ReportSection.objects.filter(report=draft, key="recommendations").update(
        items=[{"text": "Đề nghị\x0cbố trí vốn\x02", "to": "province"}]
    )
    draft.results.filter(criterion_id=int(key.split("-")[1])).update(activities="Kết quả\x0b tốt\x7f", quantities={})
    migration = importlib.import_module("reports.migrations.0007_clean_typed_text")

    migration.clean_typed_text(apps, None)

    parts = part_objects(draft)
    assert parts[HIGHLIGHTS].text == "Cũ\ndòng hai."
    assert parts[RECOMMENDATIONS].items == [{"text": "Đề nghị\nbố trí vốn", "to": "province"}]
    assert parts[key].activities == "Kết quả\n tốt"
