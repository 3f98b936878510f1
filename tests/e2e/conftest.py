"""Browser tests: Debian's Chromium, driven by Playwright, against one live server of the session.

Playwright cannot download its own browser on these machines, so it launches Debian's: headless, the headless shell
(/usr/bin/chromium-headless-shell, `apt-get install -y chromium-headless-shell`), which is what Playwright itself runs
for headless tests; with --headed, or where the shell is missing, /usr/bin/chromium. Both are built from Debian's
chromium source, the same Blink and V8. Chromium's own headless mode runs the whole browser, with a renderer
for its WebUI beside the pages' (`ps` shows it busy); the shell renders only the pages: the same tests take about a
third less CPU. Locally a missing Chromium skips these tests; in CI it fails them.

Data: each module loads the plan's demo once (`demo`), committed, so that the live server's thread
sees it, and the tests of the module share it; the database is put back to the session's baseline
(the migrations' rows and the plan) before and after the module. A worker builds the baseline and each kind of demo
once, keeps a copy of the database's rows (SQLite in memory: the backup API; PostgreSQL: COPY) and puts the copy back
for its later modules, in milliseconds instead of seconds. So the tests of one module must not
depend on what another test of it changed: each works on its own unit, period or round. Each module
runs on one xdist worker (`make test` distributes whole files). People sign in once per module (`person`): the
session is made on the server side and handed to a new browser context as a cookie; the sign-in form
itself is tested in test_sign_in.py.
"""

import io
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.test import Client, override_settings
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from awards.services import documents as award_documents
from campaign.models import Campaign
from demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from tests.celery_worker import celery_conf
from tests.conftest import renders_left_queued
from units.models import User

# Sync Playwright keeps an event loop running in the main thread, so Django takes every ORM call
# made by a test (or a fixture) for one made from async code and refuses it. Set at import, before
# any test of the session runs, so the fast tests can share a session with these.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")
E2E_DIR = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEFAULT_TIMEOUT_MS = 10_000
# A document rendered when asked for (WeasyPrint, a dozen pages): seconds, more on a machine loaded by the suite.
RENDER_TIMEOUT_MS = 30_000

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Mark the browser tests e2e. This hook sees the whole session's items, not only this folder's."""
    for item in items:
        if item.path.resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig):
    """Overrides pytest-playwright's fixture: launch Debian's Chromium instead of a downloaded one."""
    # pytest-playwright's --headed still works for watching a test locally, in the full browser.
    headless = not pytestconfig.getoption("--headed", default=False)
    executable = CHROMIUM_HEADLESS_SHELL if headless and CHROMIUM_HEADLESS_SHELL.exists() else CHROMIUM
    if not executable.exists():
        reason = f"needs Chromium at {executable}: apt-get install -y chromium chromium-headless-shell"
        if IN_CI:
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    return {
        "executable_path": str(executable),
        "headless": headless,
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


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker, playwright):
    """The live server of the session's browser tests, in a thread of this process.

    Not pytest-django's `live_server`, which makes every test that uses it transactional (a flush after
    each): the data here lives for a module. Asks for `playwright` so that it stops, and its database
    connections close, while Playwright's event loop still runs: once the loop stops nobody can reach
    the connections Django opened in its context, and an open one keeps PostgreSQL from dropping the
    test database at the end of the session.
    """
    with django_db_blocker.unblock():
        live = LiveServer("localhost")
    live._live_server_modified_settings.enable()
    yield live
    live._live_server_modified_settings.disable()
    with django_db_blocker.unblock():
        live.stop()
        connections.close_all()


@pytest.fixture(autouse=True)
def _database_access(django_db_blocker):
    """A browser test reads and writes the committed data the server reads; no transaction wraps it."""
    with django_db_blocker.unblock():
        yield


class _SqliteCopy:
    """The whole in-memory SQLite database, copied with SQLite's backup API."""

    def __init__(self):
        self.database = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(self.database)

    def put_back(self):
        connection.ensure_connection()
        self.database.backup(connection.connection)


class _PostgresCopy:
    """Every table's rows but the migrations' record (the tables `flush` empties), as COPY writes them.

    Put back in one transaction, committed before any test runs: every table emptied with DELETE, each filled again
    with COPY (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, checked at the commit, so the order of the
    tables does not matter), then the sequences set to the largest restored id, so that the rows the tests create
    get ids above the restored ones. DELETE, not TRUNCATE: for these hundreds of rows TRUNCATE's new files for
    every table and index of the 86 cost 0.3 to 1 s, DELETE a few milliseconds.
    """

    def __init__(self):
        tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
        quoted = [connection.ops.quote_name(table) for table in tables]
        self.emptying = "\n".join(f"DELETE FROM {table};" for table in quoted)  # noqa: S608 -- Django's tables, quoted
        self.rows = {}
        with connection.cursor() as cursor:
            for table in quoted:
                rows = io.BytesIO()
                cursor.copy_expert(f"COPY {table} TO STDOUT", rows)
                if rows.tell():
                    self.rows[table] = rows.getvalue()
        models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in tables]
        self.sequences = "\n".join(connection.ops.sequence_reset_sql(no_style(), models))

    def put_back(self):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(self.emptying)
            for table, rows in self.rows.items():
                cursor.copy_expert(f"COPY {table} FROM STDIN", io.BytesIO(rows))
            if self.sequences:
                cursor.execute(self.sequences)


def _copy_of_database():
    """A copy of the test database's rows as they are now, to put back later; None where there is no quick way."""
    if connection.vendor == "sqlite" and "mode=memory" in str(connection.settings_dict["NAME"]):
        return _SqliteCopy()
    if connection.vendor == "postgresql":
        return _PostgresCopy()
    return None


# The database as the session's baseline and as each kind of demo (with or without the awards demo) left it when
# built the first time on this worker, with the demo's private files: later modules put the copy back (milliseconds)
# instead of building it again (a second for the baseline, several for a demo).
_BASELINE_COPIES = {}
_DEMO_COPIES = {}


def back_to_baseline(baseline):
    """Empty every table, then put back what the session started with: the migrations' rows and the plan.

    The first time on this worker from the serialized copy (`baseline`), later from the copy of the database then
    made (keyed by `baseline`).

    Once Playwright's event loop runs in the main thread, Django hands out other connection objects
    (asgiref keeps them per async context), which lack the serialized copy serialized rollback reads:
    give it to them, for the transactional tests that may run after these.
    """
    copy = _BASELINE_COPIES.get(baseline)
    if copy is not None:
        copy.put_back()
    else:
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
        connection.creation.deserialize_db_from_string(baseline)
        copy = _copy_of_database()
        if copy is not None:
            _BASELINE_COPIES[baseline] = copy
    connection._test_serialized_contents = baseline


@dataclass
class Demo:
    """The demo of one module: where the server is, its accounts by username, and a session per person."""

    url: str
    accounts: dict
    sessions: dict = field(default_factory=dict)

    def session_of(self, username):
        """A session of the person's own, made once for the module (what signing in would make)."""
        if username not in self.sessions:
            client = Client()
            client.force_login(User.objects.get(username=username))
            self.sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
        return self.sessions[username]


def _load_demo(awards, media_root, copies_root):
    copy = _DEMO_COPIES.get(awards)
    if copy is not None:
        database, files = copy
        database.put_back()
        shutil.copytree(files, media_root, dirs_exist_ok=True)
        return
    if awards:
        # The awards demo is added to the plain one (load_demo keeps the units, accounts and reports it finds), so a
        # worker loads the plain demo once, for the awards demo and for the modules without it.
        _load_demo(False, media_root, copies_root)
    # The demo's 31 unit reports would each be rendered inline (16 s a module), and the awards demo's decisions and
    # certificates (4 s); no browser test opens their files, so their render jobs stay queued, as when no worker is
    # running yet.
    with renders_left_queued(), mock.patch.object(award_documents.RENDER_JOB, "enqueue", return_value=False):
        load_demo(awards=awards)
    database = _copy_of_database()
    if database is not None:
        files = copies_root / f"demo-{'awards' if awards else 'reports'}"
        shutil.copytree(media_root, files)
        _DEMO_COPIES[awards] = (database, files)


@pytest.fixture(scope="module")
def demo(request, django_db_setup, server, django_db_blocker, tmp_path_factory):
    """The plan and the demo units, accounts and reports, loaded once for the module's tests.

    A module that sets DEMO_AWARDS = True gets the awards demo too, as `make run` shows it.
    """
    media_root = tmp_path_factory.mktemp("e2e-private")
    # The editor saves 0.2 s after typing stops instead of 1.5 s: the same steps, less waiting.
    files = override_settings(MEDIA_ROOT=media_root, REPORT_AUTOSAVE_DELAY_MS=200)
    files.enable()
    with django_db_blocker.unblock(), celery_conf(task_always_eager=True, task_eager_propagates=True):
        back_to_baseline(django_db_setup)
        assert Campaign.objects.exists(), "the baseline holds the plan"
        _load_demo(getattr(request.module, "DEMO_AWARDS", False), media_root, tmp_path_factory.getbasetemp())
    yield Demo(url=server.url, accounts={account.username: account for account in DEMO_ACCOUNTS})
    with django_db_blocker.unblock():
        back_to_baseline(django_db_setup)
    files.disable()


@pytest.fixture
def person(demo, new_context):
    """`person(username)`: a browser of that person's own, signed in; `person()` for a visitor.

    Extra keyword arguments go to the browser context (e.g. accept_downloads=True).
    """

    def open_browser(username=None, **context_options):
        context = new_context(**context_options)
        if username is not None:
            cookie = {"name": settings.SESSION_COOKIE_NAME, "value": demo.session_of(username), "url": demo.url}
            context.add_cookies([cookie])
        page = context.new_page()
        page.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        return page

    return open_browser


def at_home(page, demo):
    """Open the home page and check it is the person's own, not the sign-in page."""
    page.goto(f"{demo.url}/")
    expect(page).to_have_url(f"{demo.url}/")
    return page


def sign_in(page, url, username, password=DEMO_PASSWORD):
    """Open the login page, fill the form by its field names and submit it."""
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form").filter(has=page.locator("input[name=password]")).get_by_role(
        "button", name="Đăng nhập"
    ).click()
