"""The access matrix of "Việc chờ tôi": every signed-in person reads their own list; visitors sign in first."""

import pytest

from tests.access.matrix import Endpoint, built_once, check_every_persona, everyone, make_personas, row_id

ENDPOINTS = [
    Endpoint("overview:waiting", "GET", "/tong-quan/viec-cho-toi/", everyone(200)),
    Endpoint("overview:waiting", "POST", "/tong-quan/viec-cho-toi/", everyone(405)),
]


def build():
    return make_personas(), {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("waiting-matrix"), build) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
