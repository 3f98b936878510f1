"""The access matrix's machinery: personas, endpoint rows, worlds built once per module, and the check.

Each row (an `Endpoint`) names a URL, a method and what each persona gets. Paths and posted values may
name objects of the module's world in braces ("/reports/{own_draft}/"). Each persona's request runs on
the same world, rolled back afterwards. A request may write to the database only if the row lists the
persona under `writes` (an accepted change): every other request — a refusal (404, 403, 405, a redirect
to sign-in or with a refusal message) and every page that only shows something — issues no INSERT,
UPDATE or DELETE, the session table aside. The queries are captured, so the check costs nothing.

Unit staff and heads see only their own unit's objects; what a persona may not see answers 404, like
what does not exist. tests/access/test_rows.py fails when a view is added without a row.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from tests.shared_data import built_once as data_built_once

PERSONAS = ("anonymous", "staff", "head", "other_staff", "reviewer", "leader", "administrator")
SIGNED_IN = PERSONAS[1:]
# Rows of the awards and public pages also run a council member (of a third unit, seated on the council).
AWARDS_PERSONAS = (*PERSONAS, "council_member")
AWARDS_NAMESPACES = ("awards:", "public:")
LOGIN = "login"  # expected "status": a redirect to the sign-in page

# Writes a request may always make: the session it carries.
UNGUARDED_TABLES = {"django_session"}
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    expected: dict = field(hash=False)
    data: dict = field(default_factory=dict, hash=False)
    writes: tuple = ()  # personas whose request may change the database (an accepted change)

    def expected_for(self, persona):
        return self.expected.get(persona, self.expected.get("*"))


def row_id(endpoint):
    return f"{endpoint.method} {endpoint.path}"


def everyone(status, anonymous=LOGIN):
    return {"anonymous": anonymous, "*": status}


def only(*personas, ok=200):
    """`ok` for the named personas, sign-in for anonymous visitors, 404 for everyone else."""
    return {"anonymous": LOGIN, **dict.fromkeys(personas, ok), "*": 404}


def acting(*actors, ok=302, seen_by=()):
    """The ones whose action it is get `ok`; those who see the object but may not act 403; everyone else 404."""
    return {**only(*actors, ok=ok), **dict.fromkeys(seen_by, 403)}


def office_only(ok=302):
    """The office's actions: leadership sees the object but may not act (403)."""
    return {**only("reviewer", ok=ok), "leader": 403}


def leadership_only(ok=302):
    return {**only("leader", ok=ok), "reviewer": 403}


# The "sent" form of an issued document, for the consolidated report and award documents alike.
SENT = {"sent_on": "{today}", "channel": "Hệ thống quản lý văn bản"}


def personas_of(endpoint):
    return AWARDS_PERSONAS if endpoint.name.startswith(AWARDS_NAMESPACES) else PERSONAS


def make_personas():
    """The personas of tests/conftest.py, made by the same factories: its function-scoped fixtures find these rows."""
    return {
        "anonymous": None,
        "staff": factories.staff_of_own_unit(),
        "head": factories.head_of_own_unit(),
        "other_staff": factories.staff_of_other_unit(),
        "reviewer": factories.office_reviewer(),
        "leader": factories.director(),
        "administrator": factories.administrator(),
    }


@dataclass
class World:
    """What a module's rows run on: the personas, the ids their paths name, and a session per persona."""

    personas: dict
    ids: dict
    sessions: dict


def _session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@contextmanager
def built_once(django_db_blocker, media_root, build):
    """A world for every row of a module (tests/shared_data.py); `build()` returns (personas, ids).

    Each persona signs in once, here: its session outlives the rows, which roll back whatever a request
    did to it.
    """

    def build_and_sign_in():
        personas, ids = build()
        sessions = {name: _session_of(user) for name, user in personas.items() if user is not None}
        return World(personas, ids, sessions)

    with data_built_once(django_db_blocker, build_and_sign_in, MEDIA_ROOT=media_root) as world:
        yield world


def tables_written(queries):
    """The tables an INSERT, UPDATE or DELETE among `queries` wrote to, the session table aside."""
    tables = {match.group(1) for query in queries if (match := WRITE.match(query["sql"]))}
    return sorted(tables - UNGUARDED_TABLES)


def check_every_persona(client, world, endpoint):
    """Each persona's request on the same world: the expected answer, and no write unless the row allows it."""
    path = endpoint.path.format(**world.ids)
    data = urlencode({key.format(**world.ids): value.format(**world.ids) for key, value in endpoint.data.items()})
    for persona in personas_of(endpoint):
        with transaction.atomic():
            client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
            if persona in world.sessions:
                client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
            with CaptureQueriesContext(connection) as captured:
                response = client.generic(
                    endpoint.method, path, data=data, content_type="application/x-www-form-urlencoded"
                )
                _close_file(response)
            expected = endpoint.expected_for(persona)
            if expected == LOGIN:
                assert response.status_code == 302, persona
                assert response["Location"].startswith("/accounts/login/"), persona
            else:
                assert response.status_code == expected, (persona, response.status_code)
            if persona not in endpoint.writes:
                written = tables_written(captured.captured_queries)
                assert written == [], f"{persona}: a request that may not change anything wrote to {written}"
            transaction.set_rollback(True)  # the next persona meets the same world


def _close_file(response):
    # Not response.close(): that signals request_finished, which drops PostgreSQL's connection mid-transaction.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()


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
