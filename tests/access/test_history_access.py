"""The access matrix of the history import (a past period's unit reports brought in from a spreadsheet), on one world
built once for the module: the office's pages (403 for leadership, who see the office's other pages; 404 for every
unit and the administrator), and an imported report read like any accepted report (its unit, the office,
leadership).
"""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from campaign.models import ReportingPeriod
from reports.services import history
from tests.access.matrix import Endpoint, built_once, check_every_persona, everyone, make_personas, only, row_id

OFFICE, LEADER = "reviewer", "leader"


def office_page(ok=200):
    return {**only(OFFICE, ok=ok), LEADER: 403}


ENDPOINTS = [
    Endpoint("reports:history_import", "GET", "/reports/history/", office_page()),
    Endpoint("reports:history_import", "POST", "/reports/history/", office_page(400)),  # no period, no file
    Endpoint("reports:history_apply", "POST", "/reports/history/apply/", office_page(302)),  # nothing kept
    Endpoint("reports:history_apply", "GET", "/reports/history/apply/", everyone(405)),
    Endpoint("reports:history_template", "GET", "/reports/history/2023-FY/template.xlsx", office_page()),
    # A period the portal collects has no template to import.
    Endpoint("reports:history_template", "GET", "/reports/history/2025-FY/template.xlsx", office_page(404)),
    Endpoint("reports:history_template", "POST", "/reports/history/2023-FY/template.xlsx", everyone(405)),
    Endpoint("reports:history_source", "GET", "/reports/history/files/{history_import}/", office_page()),
    Endpoint("reports:history_source", "GET", "/reports/history/files/999999/", office_page(404)),
    Endpoint("reports:history_source", "POST", "/reports/history/files/{history_import}/", everyone(405)),
    # The imported report: its own unit, the office and leadership read it, like any accepted report.
    Endpoint("reports:detail", "GET", "/reports/{imported_report}/", only("staff", "head", OFFICE, LEADER)),
]


def _workbook(period):
    criteria, _indicators, _texts = history.history_spec(period).sheets
    book = Workbook()
    sheet = book.active
    sheet.title = history.CRITERIA
    sheet.append(list(criteria.header))
    sheet.append(["Phòng Quản lý khoa học", "III.1.1.2", "", "Hoàn thành tốt", "Số hóa hồ sơ", ""])
    content = BytesIO()
    book.save(content)
    return SimpleUploadedFile("bao-cao-2023.xlsx", content.getvalue())


def _build_world():
    personas = make_personas()
    period = ReportingPeriod.objects.get(code="2023-FY")
    done = history.history_import_upload(period=period, upload=_workbook(period), actor=personas[OFFICE])
    return personas, {
        "history_import": done.history_import.pk,
        "imported_report": done.history_import.reports.get().pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("history-matrix"), _build_world) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
