"""Text pasted from Word (a vertical tab, a NUL) is stored clean by the public comment form and the register
import, and the data migration cleans what was stored before (portal.text)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.cache import caches
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardRecord, Nomination, PublicComment
from awards.services.register import register_import
from tests.awards.conftest import make_nomination
from tests.awards.test_register import row, xlsx_file

# PostgreSQL text cannot hold a NUL (the reason the edge cleans): rows stored before hold the other controls.
STORED_NUL = "" if connection.vendor == "postgresql" else "\x00"


@pytest.fixture
def fresh_rate_limits(settings):
    """The public pages' counters in a cache of this process, empty for the test."""
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-text-hygiene-rate-limit",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()


@pytest.fixture
def under_notice(annual_round, forms, own_unit, person):
    today = timezone.localdate()
    annual_round.notice_starts_on = today - datetime.timedelta(days=1)
    annual_round.notice_ends_on = today + datetime.timedelta(days=5)
    annual_round.save()
    return make_nomination(
        annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, status=Nomination.Status.APPROVED
    )


def test_a_public_comment_is_stored_clean_with_everything_else_typed(client, fresh_rate_limits, under_notice):
    response = client.post(
        reverse("public:comment", args=[under_notice.pk]),
        {
            "sender_name": "Trương Văn\x00 Góp Ý",
            "sender_contact": "0905 123 456",
            "message": "Đề nghị xem xét lại\x0bthành tích năm nay\x00 của người này.",
        },
    )
    assert response.status_code == 302
    comment = PublicComment.objects.get()
    assert comment.sender_name == "Trương Văn Góp Ý"
    assert comment.sender_contact == "0905 123 456"
    assert comment.message == "Đề nghị xem xét lại\nthành tích năm nay của người này."


def test_an_imported_register_file_is_stored_clean(plan, reviewer, own_unit):
    # Excel stores a pasted vertical tab escaped as "_x000B_"; DEL and C1 controls are legal in its XML.
    register_import(upload=xlsx_file([row("Nguyễn\x7f Văn_x000B_An", number="05/QĐ\x9f-SKHCN")]), actor=reviewer)
    record = AwardRecord.objects.get()
    assert (record.recipient_name, record.decision_number) == ("Nguyễn Văn An", "05/QĐ-SKHCN")


def test_the_data_migration_cleans_text_and_json_stored_before(annual_round, forms, own_unit, person):
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
    Nomination.objects.filter(pk=nomination.pk).update(
        achievement={"achievements": f"Hoàn thành\x0bxuất sắc{STORED_NUL}\x1f nhiệm vụ."},
        rejection_reason="Chưa đủ\x0cthành tích\x02.",
    )
    migration = importlib.import_module("awards.migrations.0008_clean_typed_text")

    migration.clean_typed_text(apps, None)

    nomination.refresh_from_db()
    assert nomination.achievement == {"achievements": "Hoàn thành\nxuất sắc nhiệm vụ."}
    assert nomination.rejection_reason == "Chưa đủ\nthành tích."
