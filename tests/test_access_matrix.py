"""The access matrix: every endpoint × every persona, with the expected status code.

Each row names a URL, a method and what each persona gets. A refused request (anything but a
success) must leave the database exactly as it was. `test_every_url_is_in_the_matrix` fails
when a view is added without a row here.
"""

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core import serializers
from django.urls import URLPattern, URLResolver, get_resolver

PERSONAS = ("anonymous", "staff", "head", "other_staff", "reviewer", "leader", "administrator")
SIGNED_IN = PERSONAS[1:]
LOGIN = "login"  # expected "status": a redirect to the sign-in page
# Apps whose rows a refused request must not change.
GUARDED_APPS = ("units", "campaign", "reports", "awards", "auth")


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    expected: dict = field(hash=False)
    data: dict = field(default_factory=dict, hash=False)

    def expected_for(self, persona):
        return self.expected.get(persona, self.expected.get("*"))


def everyone(status, anonymous=LOGIN):
    return {"anonymous": anonymous, "*": status}


ENDPOINTS = [
    Endpoint("home", "GET", "/", everyone(200)),
    Endpoint("healthz", "GET", "/healthz", everyone(200, anonymous=200)),
    Endpoint("login", "GET", "/accounts/login/", {"anonymous": 200, "*": 302}),
    Endpoint("logout", "GET", "/accounts/logout/", everyone(405)),
    Endpoint("logout", "POST", "/accounts/logout/", everyone(302, anonymous=302)),
    Endpoint("password_change", "GET", "/accounts/password/change/", everyone(200)),
    Endpoint(
        "password_change",
        "POST",
        "/accounts/password/change/",
        everyone(200),  # the form comes back with errors: wrong old password
        data={"old_password": "sai", "new_password1": "x", "new_password2": "y"},
    ),
    Endpoint("password_change_done", "GET", "/accounts/password/change/done/", everyone(200)),
    Endpoint("admin:index", "GET", "/admin/", {"anonymous": LOGIN, "administrator": 200, "*": 404}),
]


def url_names(resolver=None, namespace=""):
    """Every named URL of the project, with its namespace; the admin's own pages count as one."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def database_state():
    rows = []
    for app_label in GUARDED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            rows.append(serializers.serialize("json", model.objects.order_by("pk")))
    return rows


@pytest.fixture
def personas(staff, head, other_staff, reviewer, leader, administrator):
    return {
        "anonymous": None,
        "staff": staff,
        "head": head,
        "other_staff": other_staff,
        "reviewer": reviewer,
        "leader": leader,
        "administrator": administrator,
    }


def test_every_url_is_in_the_matrix():
    covered = {endpoint.name for endpoint in ENDPOINTS}
    assert url_names() - covered == set()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: f"{endpoint.method} {endpoint.path}")
def test_each_persona_gets_the_expected_answer(client, personas, endpoint):
    for persona in PERSONAS:
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        before = database_state()
        response = client.generic(
            endpoint.method,
            endpoint.path,
            data=_encode(endpoint.data),
            content_type="application/x-www-form-urlencoded",
        )
        expected = endpoint.expected_for(persona)
        if expected == LOGIN:
            assert response.status_code == 302, persona
            assert response["Location"].startswith("/accounts/login/"), persona
        else:
            assert response.status_code == expected, persona
        if response.status_code >= 400 or expected == LOGIN:
            assert database_state() == before, f"{persona}: a refused request changed the database"


def _encode(data):
    from urllib.parse import urlencode

    return urlencode(data)
