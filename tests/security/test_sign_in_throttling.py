"""django-axes: lock a username from one address after 5 failures, for 15 minutes; nothing wider."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from tests.security.conftest import WRONG_PASSWORD, is_signed_in, shows_lockout, sign_in

OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.20"
PROXY = "10.0.0.2"

pytestmark = pytest.mark.django_db


def fail_five_times(client, username, **extra):
    responses = [sign_in(client, username, WRONG_PASSWORD, **extra) for _ in range(5)]
    return responses[-1]


def test_sign_in_with_the_right_password_redirects_home(client, staff):
    response = sign_in(client, "canbo", REMOTE_ADDR=OFFICE)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert is_signed_in(client)


def test_wrong_password_is_refused_with_the_form_again(client, staff):
    response = sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)

    assert response.status_code == 200
    assert not is_signed_in(client)


def test_fifth_failure_locks_and_even_the_right_password_is_then_refused(client, staff):
    assert shows_lockout(fail_five_times(client, "canbo", REMOTE_ADDR=OFFICE))

    response = sign_in(client, "canbo", REMOTE_ADDR=OFFICE)

    assert shows_lockout(response)
    assert not is_signed_in(client)


def test_four_failures_do_not_lock(client, staff):
    for _ in range(4):
        sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)

    assert sign_in(client, "canbo", REMOTE_ADDR=OFFICE).status_code == 302


def test_lockout_leaves_other_usernames_from_the_same_address_alone(client, staff, head):
    fail_five_times(client, "canbo", REMOTE_ADDR=OFFICE)

    response = sign_in(client, "truongphong", REMOTE_ADDR=OFFICE)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_lockout_leaves_the_same_username_from_another_address_alone(client, staff):
    fail_five_times(client, "canbo", REMOTE_ADDR=OFFICE)

    response = sign_in(client, "canbo", REMOTE_ADDR=ELSEWHERE)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_without_trusted_proxy_a_changing_forwarded_header_does_not_escape_the_lock(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for attempt in range(5):
        sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")

    response = sign_in(client, "canbo", REMOTE_ADDR=OFFICE, HTTP_X_FORWARDED_FOR="192.0.2.99")

    assert shows_lockout(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_behind_one_proxy_a_forged_leftmost_forwarded_entry_does_not_escape_the_lock(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, {OFFICE}")

    response = sign_in(client, "canbo", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {OFFICE}")

    assert shows_lockout(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OFFICE}


def test_behind_one_proxy_another_client_of_the_proxy_can_still_sign_in(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail_five_times(client, "canbo", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OFFICE)

    response = sign_in(client, "canbo", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ELSEWHERE)

    assert response.status_code == 302


def test_lock_lifts_after_fifteen_minutes(client, staff):
    fail_five_times(client, "canbo", REMOTE_ADDR=OFFICE)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    response = sign_in(client, "canbo", REMOTE_ADDR=OFFICE)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_lock_still_holds_after_fourteen_minutes(client, staff):
    fail_five_times(client, "canbo", REMOTE_ADDR=OFFICE)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=14))

    assert shows_lockout(sign_in(client, "canbo", REMOTE_ADDR=OFFICE))


def test_attempts_during_the_lock_do_not_extend_it(client, staff):
    fail_five_times(client, "canbo", REMOTE_ADDR=OFFICE)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=6))

    assert sign_in(client, "canbo", REMOTE_ADDR=OFFICE).status_code == 302


def test_success_resets_the_failure_count(client, staff):
    for _ in range(4):
        sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)
    sign_in(client, "canbo", REMOTE_ADDR=OFFICE)
    client.post("/accounts/logout/", REMOTE_ADDR=OFFICE)

    for _ in range(4):
        sign_in(client, "canbo", WRONG_PASSWORD, REMOTE_ADDR=OFFICE)

    assert not AccessAttempt.objects.filter(failures_since_start__gte=5).exists()
    assert sign_in(client, "canbo", REMOTE_ADDR=OFFICE).status_code == 302
