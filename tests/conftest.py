"""Shared fixtures: the plan, fixed personas per role, and the rule for tests that need real services.

The plan is loaded once per session into each test database (see tests/plan_data.py). Tests marked
`postgres` or `redis` need DATABASE_URL / REDIS_URL. Locally they skip with the reason; in CI
(CI=true) a missing service is a failure, never a silent skip.
"""

import os
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import DEFAULT_DB_ALIAS, connection
from django.test import override_settings
from django.test.utils import setup_databases, teardown_databases

from campaign.models import AssessmentLevel, Campaign
from campaign.plan_loader import load_plan
from documents import stored
from overview.waiting import RECENT_CACHE as RECENT_WAITING_CACHE
from tests import factories
from tests.factories import Capability, UserFactory
from tests.plan_data import move_earlier_period, move_open_period, unload_plan
from tests.xdist_isolation import isolate_worker

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The database's name before any test database replaces it: the sign that none was set up.
CONFIGURED_DATABASE_NAME = settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"]


def _service_missing(marker_name):
    if marker_name == "postgres" and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
    if marker_name == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
    return None


def pytest_configure(config):
    isolate_worker()


# `make test` runs `--dist loadfile`: each test file whole on one worker (its shared data is built once there), and the
# browser tests together as one unit of work. They wait on Chromium and the live server for part of their time: one
# worker runs them, first (the longest unit by far: started late, it would finish alone), while the other fills the
# cores with the fast tests — instead of every worker running browser files at once at the end, each starting its own
# Chromium.
BROWSER_GROUP = "tests/e2e/"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's file scheduling, with the browser tests' files one unit of work (BROWSER_GROUP)."""
    if config.getoption("dist") != "loadfile":
        return None
    # Imported here: the hook exists only when xdist runs the session.
    from xdist.scheduler import LoadFileScheduling

    class BrowserTestsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid):
            return BROWSER_GROUP if nodeid.startswith(BROWSER_GROUP) else super()._split_scope(nodeid)

        def _assign_work_unit(self, node):
            # xdist queues the units with the most tests first; the browser tests' unit goes before them all.
            if BROWSER_GROUP in self.workqueue:
                self.workqueue.move_to_end(BROWSER_GROUP, last=False)
            super()._assign_work_unit(node)

    return BrowserTestsTogether(config, log)


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or (
        marker is not None and marker.kwargs.get("transaction", False)
    )


@pytest.fixture(scope="module", autouse=True)
def _baseline_after_transactional_tests(request):
    """Put the session's baseline back after a module whose transactional tests flushed the database.

    Serialized rollback restores it before each such test, not after: the tests that run next on this
    worker (pytest-django orders transactional tests last, but xdist groups may not) would find empty tables.
    """
    if not any(item.module is request.module and _is_transactional(item) for item in request.session.items):
        yield
        return
    baseline = request.getfixturevalue("django_db_setup")
    django_db_blocker = request.getfixturevalue("django_db_blocker")
    yield
    with django_db_blocker.unblock():
        connection.creation.deserialize_db_from_string(baseline)


def pytest_runtest_setup(item):
    for marker_name in ("postgres", "redis"):
        if item.get_closest_marker(marker_name) is None:
            continue
        reason = _service_missing(marker_name)
        if reason is None:
            continue
        if IN_CI:
            pytest.fail(f"CI must run this test against the real service: {reason}")
        pytest.skip(reason)


# Hashing passwords with the production hasher takes most of a persona's set-up time: the fast one for the
# whole session, module- and session-scoped worlds included.
FAST_HASHERS = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    FAST_HASHERS.enable()
    yield
    FAST_HASHERS.disable()


def renders_left_queued():
    """The stored files' render jobs stay queued (not published), as before a worker picks them up."""
    return mock.patch.object(stored.RENDER_JOB, "enqueue", return_value=False)


@pytest.fixture(autouse=True)
def _stored_files_left_queued(request):
    """A state change asks the job for the document's files (documents/stored.py); in a test about something
    else they stay queued, as before a worker picks them up (each render costs a second or more). A test about
    the files asks for `stored_rendering`: the job is published, and runs inline as every task here does."""
    if "stored_rendering" in request.fixturenames:
        yield
        return
    with renders_left_queued():
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty default cache: the overview keeps sums there under a version of a period's
    reports, which a rolled-back test's rows (same ids, frozen time) could repeat for another test's. The waiting
    lists kept per process (overview/waiting.py) are emptied too, so a test's first page always computes its own."""
    cache.clear()
    caches[RECENT_WAITING_CACHE].clear()


@pytest.fixture
def stored_rendering():
    """The stored files' render job is published (see _stored_files_left_queued)."""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as migrated, plus the plan, loaded once for the session; the value is its serialized copy.

    Serialized rollback puts back this copy (the data migrations' rows and the plan) before a
    transactional test, whose flush removes everything; the browser tests put it back around each
    module. pytest-django sets up a database only for tests that ask for one; the browser tests do
    not (no transaction may wrap them), so a run of them alone sets it up here.
    """
    with django_db_blocker.unblock():
        own_setup = None
        if connection.settings_dict["NAME"] == CONFIGURED_DATABASE_NAME:
            own_setup = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
        load_plan()
        baseline = connection.creation.serialize_db_to_string()
        connection._test_serialized_contents = baseline
    yield baseline
    if own_setup is not None:
        with django_db_blocker.unblock():
            teardown_databases(own_setup, verbosity=0)


@pytest.fixture
def plan(db):
    """The campaign of the plan the session loaded."""
    return Campaign.objects.get()


@pytest.fixture
def no_plan(db):
    """A database without the plan, for tests of what comes before it; ask for it before other fixtures."""
    unload_plan()


@pytest.fixture
def open_period(plan):
    """2026-FY moved so that it is running today and due in ten days."""
    return move_open_period(plan)


@pytest.fixture
def earlier_period(plan, open_period):
    """2025-FY, ended before the open period."""
    return move_earlier_period()


@pytest.fixture
def levels(plan):
    return {level.code: level for level in AssessmentLevel.objects.all()}


@pytest.fixture
def own_unit(db):
    return factories.own_unit()


@pytest.fixture
def other_unit(db):
    return factories.other_unit()


@pytest.fixture
def office_unit(db):
    return factories.office_unit()


@pytest.fixture
def staff(own_unit):
    return factories.staff_of_own_unit()


@pytest.fixture
def head(own_unit):
    return factories.head_of_own_unit()


@pytest.fixture
def other_staff(other_unit):
    return factories.staff_of_other_unit()


@pytest.fixture
def reviewer(office_unit):
    return factories.office_reviewer()


@pytest.fixture
def council_member(own_unit):
    return UserFactory(
        username="hoidong",
        full_name="Trần Thị Hội Đồng",
        unit=own_unit,
        position="staff",
        capabilities=[Capability.COUNCIL_MEMBER],
    )


@pytest.fixture
def leader(db):
    return factories.director()


@pytest.fixture
def administrator(db):
    return factories.administrator()


# Celery tasks run inline in every test (errors propagating) unless the test asks for the real worker.
from tests.celery_worker import celery_eager, celery_worker  # noqa: E402, F401
