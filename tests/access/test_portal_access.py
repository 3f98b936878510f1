"""The access matrix of the portal's own pages: home, health, sign-in and out, password, the admin's door."""

import pytest

from tests.access.matrix import (
    LOGIN,
    SIGNED_IN,
    Endpoint,
    built_once,
    check_every_persona,
    everyone,
    make_personas,
    only,
    row_id,
)

ENDPOINTS = [
    Endpoint("home", "GET", "/", everyone(200)),
    Endpoint("healthz", "GET", "/healthz", everyone(200, anonymous=200)),
    Endpoint("login", "GET", "/accounts/login/", {"anonymous": 200, "*": 302}),
    Endpoint("logout", "GET", "/accounts/logout/", everyone(405)),
    # Signing out records its time in the sign-in log.
    Endpoint("logout", "POST", "/accounts/logout/", everyone(302, anonymous=302), writes=SIGNED_IN),
    Endpoint("password_change", "GET", "/accounts/password/change/", everyone(200)),
    Endpoint(
        "password_change",
        "POST",
        "/accounts/password/change/",
        everyone(200),  # the form comes back with errors: wrong old password
        data={"old_password": "sai", "new_password1": "x", "new_password2": "y"},
    ),
    Endpoint("password_change_done", "GET", "/accounts/password/change/done/", everyone(200)),
    # --- Notifications (the shared core): each person's own ----------------------------------------------
    Endpoint("notifications:list", "GET", "/notifications/", everyone(200)),
    Endpoint("notifications:read", "POST", "/notifications/read/", everyone(302), writes=SIGNED_IN),
    Endpoint("notifications:read", "GET", "/notifications/read/", everyone(405)),
    # --- The register of outgoing documents (the shared core): the office and leadership read it -----------
    Endpoint("documents:register", "GET", "/so-van-ban-di/", only("reviewer", "leader")),
    Endpoint("documents:register", "GET", "/so-van-ban-di/?nam=2025", only("reviewer", "leader")),
    Endpoint("documents:register", "POST", "/so-van-ban-di/", everyone(405)),
    Endpoint("admin:index", "GET", "/admin/", {"anonymous": LOGIN, "administrator": 200, "*": 404}),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(
        django_db_blocker, tmp_path_factory.mktemp("portal-matrix"), lambda: (make_personas(), {})
    ) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
