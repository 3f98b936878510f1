"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright cannot download its own browser on these machines, so it launches /usr/bin/chromium
(`apt-get install -y chromium`). Locally a missing Chromium skips these tests; in CI it fails them.
"""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect

from campaign.plan_loader import load_plan
from units.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

# Sync Playwright keeps an event loop running in the main thread, so Django takes every ORM call
# made by a test (or a fixture) for one made from async code and refuses it. Set at import, before
# any test of the session runs, so the fast tests can share a session with these.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
E2E_DIR = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEFAULT_TIMEOUT_MS = 10_000

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark the browser tests: e2e, and transactional with serialized rollback (see the fixtures below).

    This hook sees the whole session's items, not only this folder's. It runs before pytest-django's,
    which reads the django_db marker to run transactional tests last.
    """
    for item in items:
        if item.path.resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig):
    """Overrides pytest-playwright's fixture: launch Debian's Chromium instead of a downloaded one."""
    if not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM}: apt-get install -y chromium"
        if IN_CI:
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    return {
        "executable_path": str(CHROMIUM),
        # pytest-playwright's --headed still works for watching a test locally.
        "headless": not pytestconfig.getoption("--headed", default=False),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def page(page):
    """pytest-playwright's page, with a default timeout long enough for a loaded CI machine."""
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    return page


@pytest.fixture(scope="session", autouse=True)
def _migration_data(django_db_setup, django_db_blocker):
    """What the data migrations created (capability groups, content types, …), per database alias.

    Django serializes it when it creates the test database (every browser test asks for serialized
    rollback). Read here, before Playwright starts: see `_migration_data_survives_the_flushes`.
    """
    with django_db_blocker.unblock():
        contents = {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }
    if not contents:
        pytest.fail("the test database was not serialized: browser tests need serialized_rollback")
    return contents


@pytest.fixture(scope="session", autouse=True)
def _async_context_connections_closed(_migration_data, playwright):
    """Close, while Playwright still runs, the connections Django opened in its event loop's context.

    Once the loop stops nobody can reach them, and an open one keeps PostgreSQL from dropping the
    test database at the end of the session. Asks for _migration_data so that one is set up first.
    """
    yield
    connections.close_all()


@pytest.fixture(scope="module", autouse=True)
def _migration_data_survives_the_flushes(_migration_data, django_db_blocker):
    """Keep the rows data migrations made, which the flush after each transactional test deletes.

    Serialized rollback puts them back before each test, but only if the connection carries the
    serialized copy, and once Playwright's event loop runs in the main thread Django hands out
    other connection objects (asgiref keeps them per async context), which lack it: give it to them.
    The teardown puts the rows back once more after the module's last test, for the tests that run
    after the browser tests (pytest-django runs transactional tests after the others).
    """
    for alias, contents in _migration_data.items():
        connections[alias]._test_serialized_contents = contents
    yield
    with django_db_blocker.unblock():
        for alias, contents in _migration_data.items():
            connections[alias].creation.deserialize_db_from_string(contents)


@pytest.fixture
def demo_data(live_server, transactional_db):
    """The plan and the demo units and accounts, in the database the live server reads.

    Returns the demo accounts by username. The live server runs in another thread, so these tests
    need transactional_db: data in a test's open transaction would be invisible to it.
    """
    load_plan()
    load_demo()
    return {account.username: account for account in DEMO_ACCOUNTS}


def sign_in(page, live_server, username, password=DEMO_PASSWORD):
    """Open the login page, fill the form by its field names and submit it."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form").filter(has=page.locator("input[name=password]")).get_by_role(
        "button", name="Đăng nhập"
    ).click()
