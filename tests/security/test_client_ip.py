"""The client address behind 0, 1 or 2 trusted proxies; forged X-Forwarded-For entries never count."""

import pytest
from django.test import RequestFactory

from portal.client_ip import client_ip


def request_from(remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("203.0.113.10", "192.0.2.1")) == "203.0.113.10"


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (1, "203.0.113.10", "203.0.113.10"),
        (1, "192.0.2.66, 203.0.113.10", "203.0.113.10"),
        (2, "192.0.2.66, 203.0.113.10, 10.0.0.1", "203.0.113.10"),
        (1, "192.0.2.66,2001:db8::7", "2001:db8::7"),
    ],
)
def test_behind_proxies_the_entry_written_by_the_outermost_trusted_proxy_counts(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request_from("10.0.0.2", forwarded_for)) == expected


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address", "203.0.113.10, <script>"])
def test_behind_a_proxy_a_missing_or_garbled_header_falls_back_to_the_peer_address(settings, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", forwarded_for)) == "10.0.0.2"


def test_fewer_entries_than_proxies_falls_back_to_the_peer_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from("10.0.0.2", "203.0.113.10")) == "10.0.0.2"
