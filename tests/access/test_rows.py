"""The matrix's rows themselves: every URL has one, each names known personas, and the write check can fail."""

import importlib
import pkgutil

import pytest
from django.conf import settings

import tests.access
from notifications.models import Notification
from tests.access import test_awards_access
from tests.access.matrix import (
    AWARDS_NAMESPACES,
    Endpoint,
    World,
    check_every_persona,
    only,
    personas_of,
    row_id,
    url_names,
)

# Every module of the matrix: tests/access/test_<area>_access.py, each holding its ENDPOINTS.
MODULES = tuple(
    importlib.import_module(f"tests.access.{info.name}")
    for info in pkgutil.iter_modules(tests.access.__path__)
    if info.name.startswith("test_") and info.name.endswith("_access")
)
ROWS = [endpoint for module in MODULES for endpoint in module.ENDPOINTS]


def test_every_url_is_in_the_matrix():
    assert url_names() - {endpoint.name for endpoint in ROWS} == set()


def _is_awards_module(module):
    return module.__name__.rsplit(".", 1)[-1].startswith("test_awards")


def test_awards_rows_are_awards_or_public_pages():
    """The awards rows (test_awards*_access.py) also run the council member: they hold the awards pages only."""
    awards = [module for module in MODULES if _is_awards_module(module)]
    assert test_awards_access in awards
    assert all(endpoint.name.startswith(AWARDS_NAMESPACES) for module in awards for endpoint in module.ENDPOINTS)
    other_rows = [endpoint for module in MODULES if not _is_awards_module(module) for endpoint in module.ENDPOINTS]
    assert not any(endpoint.name.startswith(AWARDS_NAMESPACES) for endpoint in other_rows)


def test_rows_name_only_known_personas():
    for endpoint in ROWS:
        known = personas_of(endpoint)
        assert set(endpoint.expected) - {*known, "*"} == set(), endpoint
        # Only the public pages take a write from an anonymous visitor (a comment).
        writers = known if endpoint.name.startswith("public:") else known[1:]
        assert set(endpoint.writes) <= set(writers), endpoint


def test_no_page_read_with_get_may_write():
    """Every GET row is checked for writes for every persona (check_every_persona), none may allow one:
    a link followed by a crawler, a preview or another site changes nothing."""
    assert [row_id(endpoint) for endpoint in ROWS if endpoint.method == "GET" and endpoint.writes] == []


def test_the_session_table_is_the_only_one_a_request_may_always_write(client, staff):
    """The capture sees a write the row does not allow: marking notifications read writes for everyone."""
    Notification.objects.create(recipient=staff, message="Thông báo thử nghiệm.")
    endpoint = Endpoint("notifications:read", "POST", "/notifications/read/", only("staff", ok=302))
    client.force_login(staff)
    world = World(
        personas={"staff": staff}, ids={}, sessions={"staff": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )
    with pytest.raises(AssertionError, match="staff: a request that may not change anything wrote to"):
        check_every_persona(client, world, endpoint)
