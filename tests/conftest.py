"""Shared fixtures: fixed personas per role, and the rule for tests that need real services.

Tests marked `postgres` or `redis` need DATABASE_URL / REDIS_URL. Locally they skip with the
reason; in CI (CI=true) a missing service is a failure, never a silent skip.
"""

import os

import pytest
from django.conf import settings

from tests.factories import Capability, UnitFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _service_missing(marker_name):
    if marker_name == "postgres" and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
    if marker_name == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
    return None


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


@pytest.fixture
def own_unit(db):
    return UnitFactory(code="PQLKH", name="Phòng Quản lý khoa học")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="PKT", name="Phòng Kế hoạch - Tài chính")


@pytest.fixture
def office_unit(db):
    return UnitFactory(code="HCTH", name="Phòng Hành chính - Tổng hợp", kind="office")


@pytest.fixture
def staff(own_unit):
    return UserFactory(username="canbo", full_name="Lê Văn Cán Bộ", unit=own_unit, position="staff")


@pytest.fixture
def head(own_unit):
    return UserFactory(username="truongphong", full_name="Phạm Thị Trưởng", unit=own_unit, position="head")


@pytest.fixture
def other_staff(other_unit):
    return UserFactory(username="canbokhac", full_name="Võ Văn Khác", unit=other_unit, position="staff")


@pytest.fixture
def reviewer(office_unit):
    return UserFactory(
        username="vanphong",
        full_name="Đỗ Thị Văn Phòng",
        unit=office_unit,
        position="staff",
        capabilities=[Capability.OFFICE_REVIEWER],
    )


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
    from tests.factories import department

    return UserFactory(
        username="giamdoc",
        full_name="Nguyễn Văn Giám Đốc",
        position_title="Giám đốc",
        unit=department(),
        position="head",
        capabilities=[Capability.LEADERSHIP],
    )


@pytest.fixture
def administrator(db):
    from tests.factories import department

    return UserFactory(
        username="quantri",
        full_name="Quản Trị Viên",
        unit=department(),
        position="staff",
        capabilities=[Capability.ADMINISTRATOR],
    )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Hashing passwords with the production hasher takes most of each test's setup time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Celery tasks run inline in every test (errors propagating) unless the test asks for the real worker.
from tests.celery_worker import celery_eager, celery_worker  # noqa: E402, F401
