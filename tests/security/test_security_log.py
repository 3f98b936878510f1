"""Every sign-in, failed sign-in, sign-out and lockout leaves one `portal.security` line, never a password."""

import pytest

from tests.factories import TEST_PASSWORD
from tests.security.conftest import WRONG_PASSWORD, sign_in

OFFICE = "203.0.113.10"

pytestmark = pytest.mark.django_db


def security_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "portal.security"]


def all_logged_text(caplog):
    return "\n".join(record.getMessage() for record in caplog.records)


def test_sign_in_is_logged_with_username_and_address(client, staff, security_log):
    sign_in(client, "canbo", REMOTE_ADDR=OFFICE)

    assert security_lines(security_log) == [f"sign-in username=canbo ip={OFFICE}"]
    assert TEST_PASSWORD not in all_logged_text(security_log)


def test_failed_sign_in_is_logged_without_the_password(client, staff, security_log):
    sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)

    assert security_lines(security_log) == [f"failed-sign-in username=canbo ip={OFFICE}"]
    assert WRONG_PASSWORD not in all_logged_text(security_log)


def test_lockout_is_logged_with_username_and_address(client, staff, security_log):
    for _ in range(5):
        sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)
    sign_in(client, "canbo", REMOTE_ADDR=OFFICE)

    lines = security_lines(security_log)
    assert f"lockout username=canbo ip={OFFICE}" in lines
    assert lines.count(f"failed-sign-in username=canbo ip={OFFICE}") == 6
    text = all_logged_text(security_log)
    assert WRONG_PASSWORD not in text
    assert TEST_PASSWORD not in text


def test_sign_out_is_logged(client, staff, security_log):
    sign_in(client, "canbo", REMOTE_ADDR=OFFICE)

    client.post("/accounts/logout/", REMOTE_ADDR=OFFICE)

    assert security_lines(security_log)[-1] == f"sign-out username=canbo ip={OFFICE}"


def test_a_username_with_line_breaks_stays_on_one_line(client, db, security_log):
    sign_in(client, "ke-gia-mao\nsign-in username=admin", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)

    [line] = security_lines(security_log)
    assert "\n" not in line
    assert line.startswith("failed-sign-in username=ke-gia-mao\\x0asign-in")
