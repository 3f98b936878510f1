"""The access matrix of /healthz/jobs: open to monitoring without a session, like /healthz; reads only."""

import pytest

from tests.access.matrix import Endpoint, built_once, check_every_persona, everyone, make_personas, row_id

ENDPOINTS = [
    # The suite runs tasks inline: no worker or beat is expected, and the answer is 200 ("inline").
    Endpoint("healthz_jobs", "GET", "/healthz/jobs", everyone(200, anonymous=200)),
    Endpoint("healthz_jobs", "POST", "/healthz/jobs", everyone(405, anonymous=405)),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(
        django_db_blocker, tmp_path_factory.mktemp("health-matrix"), lambda: (make_personas(), {})
    ) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
