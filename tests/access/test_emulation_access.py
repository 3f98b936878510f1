"""The access matrix of the emulation year's landing page (each area's rows: test_emulation_<area>_access.py)."""

import pytest

from tests.access.matrix import Endpoint, built_once, check_every_persona, everyone, make_personas, row_id

ENDPOINTS = [
    # Units' members, the office and leadership; the administrator belongs to no unit and reviews nothing.
    Endpoint("emulation:home", "GET", "/thi-dua/", {**everyone(200), "administrator": 404}),
    Endpoint("emulation:home", "POST", "/thi-dua/", everyone(405)),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("media"), lambda: (make_personas(), {})) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
