"""Parallel test runs: each xdist worker's Redis database is its own."""

import pytest

from tests.xdist_isolation import worker_redis_url


def test_each_worker_counts_down_from_the_database_redis_url_names():
    assert worker_redis_url("redis://127.0.0.1:6379/15", "gw0") == "redis://127.0.0.1:6379/15"
    assert worker_redis_url("redis://127.0.0.1:6379/15", "gw1") == "redis://127.0.0.1:6379/14"
    assert worker_redis_url("redis://127.0.0.1:6379", "gw0") == "redis://127.0.0.1:6379/0"


def test_a_worker_left_without_a_database_is_refused():
    with pytest.raises(ValueError, match="no Redis database for xdist worker gw2"):
        worker_redis_url("redis://127.0.0.1:6379/1", "gw2")
