"""gunicorn.conf.py's memory limit (issue 17 item 4): after a request, a process above GUNICORN_MAX_RSS_MIB gives its
free heap back (malloc_trim) and, still above, is replaced after its current requests, with a line in the log.

The hook's decision with its resident memory read from a list (no process measured); bench.worker_rss measures the
real processes. The hook itself is what gunicorn calls: post_request, set from the file as gunicorn sets it.
"""

import logging
import runpy
from pathlib import Path

import pytest
from gunicorn.config import Config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def conf(monkeypatch):
    """gunicorn.conf.py as a namespace, read with the environment given: conf(GUNICORN_MAX_RSS_MIB="200")."""

    def read(**environment):
        monkeypatch.delenv("GUNICORN_MAX_RSS_MIB", raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))

    return read


class FakeWorker:
    def __init__(self):
        self.alive = True
        self.pid = 4242
        self.log = logging.getLogger("tests.gunicorn.worker")


def _check(conf, readings, *, limit=150):
    """Run memory_check with the resident memory read from `readings` (MiB, in order): (result, worker, trims)."""
    worker, trims = FakeWorker(), []
    values = iter(readings)
    result = conf["memory_check"](
        worker, limit=limit, resident=lambda: next(values), release=lambda: trims.append(True) or True
    )
    return result, worker, len(trims)


def test_the_limit_defaults_to_150_mib_and_comes_from_the_environment(conf):
    assert conf()["MAX_RSS_MIB"] == 150
    assert conf(GUNICORN_MAX_RSS_MIB="220")["MAX_RSS_MIB"] == 220
    assert conf(GUNICORN_MAX_RSS_MIB="0")["MAX_RSS_MIB"] == 0


def test_under_the_limit_nothing_is_done(conf):
    result, worker, trims = _check(conf(), [149.9])
    assert (result, worker.alive, trims) == ("under", True, 0)


def test_above_the_limit_the_heap_is_trimmed_and_the_process_kept_when_that_suffices(conf):
    result, worker, trims = _check(conf(), [260, 140])
    assert (result, worker.alive, trims) == ("trimmed", True, 1)


def test_still_above_after_the_trim_the_process_is_replaced_with_a_log_line(conf, caplog):
    with caplog.at_level(logging.INFO, logger="tests.gunicorn.worker"):
        result, worker, trims = _check(conf(), [260, 231])
    assert (result, worker.alive, trims) == ("recycle", False, 1)
    assert caplog.messages == [
        "Worker 4242 uses 231 MiB (260 MiB before gc and malloc_trim), above GUNICORN_MAX_RSS_MIB=150: "
        "replaced after its current requests"
    ]


def test_a_process_already_leaving_is_not_logged_again(conf, caplog):
    worker, values = FakeWorker(), iter([300, 290])
    worker.alive = False
    with caplog.at_level(logging.INFO, logger="tests.gunicorn.worker"):
        result = conf()["memory_check"](worker, limit=150, resident=lambda: next(values), release=lambda: True)
    assert (result, worker.alive, caplog.messages) == ("recycle", False, [])


def test_zero_turns_the_limit_off_and_an_unreadable_memory_keeps_the_process(conf):
    result, worker, trims = _check(conf(), [900], limit=0)
    assert (result, worker.alive, trims) == ("off", True, 0)
    result, worker, trims = _check(conf(), [None])
    assert (result, worker.alive, trims) == ("under", True, 0)


def test_the_hook_is_gunicorns_post_request_and_reads_this_process(conf, monkeypatch):
    namespace = conf(GUNICORN_MAX_RSS_MIB="1")
    config = Config()
    config.set("post_request", namespace["post_request"])
    assert config.post_request is namespace["post_request"]
    resident = namespace["_resident_mib"]()
    assert resident is not None
    assert resident > 1
    # The hook reads the real memory of the test process (above 1 MiB): the trim runs, and it is still above.
    worker = FakeWorker()
    config.post_request(worker, None, {}, None)
    assert worker.alive is False
    assert namespace["_release"]() in (True, False)
