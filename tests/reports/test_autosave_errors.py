"""Autosave while the database fails under it: a JSON 503 the editor reads as a lost connection, never the
HTML error page it would take for an ended session (static/js/report_editor.js; tests/e2e/test_editor_connection.py)."""

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.urls import reverse

from reports.views import DATABASE_UNAVAILABLE
from tests.reports.test_views import HIGHLIGHTS, fields, text_of


def _failing(error, *, writes_only):
    """A database that fails on the reports' tables (the session and the user still load, as they did before
    the failure began): on every statement, or only on the writes of the save."""

    def execute(run, sql, params, many, context):
        if "reports_" in sql and (not writes_only or sql.lstrip().upper().startswith(("UPDATE", "INSERT"))):
            raise error
        return run(sql, params, many, context)

    return connection.execute_wrapper(execute)


@pytest.mark.parametrize(
    ("error", "writes_only"),
    [
        (OperationalError("server closed the connection unexpectedly"), False),
        (OperationalError("could not connect to server: Connection refused"), True),
        (InterfaceError("connection already closed"), False),
    ],
)
def test_autosave_answers_json_503_when_the_database_fails(client, staff, draft, error, writes_only):
    client.force_login(staff)
    posted = {"part": HIGHLIGHTS, **fields(draft, HIGHLIGHTS, text="Gõ khi cơ sở dữ liệu dừng.")}

    with _failing(error, writes_only=writes_only):
        response = client.post(reverse("reports:autosave", args=[draft.pk]), posted)

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": DATABASE_UNAVAILABLE}
    assert text_of(draft) == ""


def test_after_the_database_is_back_the_same_autosave_saves(client, staff, draft):
    client.force_login(staff)
    posted = {"part": HIGHLIGHTS, **fields(draft, HIGHLIGHTS, text="Gõ khi cơ sở dữ liệu dừng.")}
    with _failing(OperationalError("the database system is starting up"), writes_only=True):
        assert client.post(reverse("reports:autosave", args=[draft.pk]), posted).status_code == 503

    response = client.post(reverse("reports:autosave", args=[draft.pk]), posted)

    assert response.status_code == 200
    assert text_of(draft) == "Gõ khi cơ sở dữ liệu dừng."


def test_other_database_errors_are_not_taken_for_an_outage(client, staff, draft):
    # A broken query is a fault of the portal, not of the connection: it stays a server error, reported as one.
    client.force_login(staff)
    posted = {"part": HIGHLIGHTS, **fields(draft, HIGHLIGHTS, text="x")}
    broken = ProgrammingError('column "text" does not exist')
    with _failing(broken, writes_only=True), pytest.raises(ProgrammingError):
        client.post(reverse("reports:autosave", args=[draft.pk]), posted)
