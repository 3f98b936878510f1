"""The load benchmark's own arithmetic (bench/load.py), no server: percentiles, the mix, the schedule, the report."""

import os

import pytest

from bench.load import Result, cpu_used, parse_mix, percentile, report, schedule
from bench.processes import cpu_seconds, processes_cpu


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]  # 1 … 100, given shuffled below
    shuffled = values[50:] + values[:50]
    assert percentile(shuffled, 0.5) == 50.0
    assert percentile(shuffled, 0.95) == 95.0
    assert percentile(shuffled, 0.99) == 99.0
    assert percentile(shuffled, 1.0) == 100.0
    # Ten values: rank ceil(0.95 × 10) = 10 → the largest; ceil(0.5 × 10) = 5 → the fifth.
    assert percentile([7, 3, 9, 1, 5, 2, 8, 4, 10, 6], 0.95) == 10
    assert percentile([7, 3, 9, 1, 5, 2, 8, 4, 10, 6], 0.5) == 5
    assert percentile([42], 0.99) == 42
    assert percentile([], 0.5) is None


def test_the_mix_is_read_and_checked():
    assert parse_mix("autosave=70,matrix=10,open=18,submit=2") == {
        "autosave": 70,
        "matrix": 10,
        "open": 18,
        "submit": 2,
    }
    assert parse_mix("autosave=1,submit=0") == {"autosave": 1}
    with pytest.raises(ValueError, match="unknown request kind"):
        parse_mix("autosave=1,download=3")
    with pytest.raises(ValueError, match="empty"):
        parse_mix("matrix=0")


def test_the_schedule_is_evenly_spaced_and_follows_the_weights():
    plan = schedule(30, 30, {"autosave": 70, "matrix": 30}, seed=17)
    assert len(plan) == 900
    assert plan[0][0] == 0
    assert plan[1][0] == pytest.approx(1 / 30)
    assert plan[-1][0] == pytest.approx(899 / 30)
    kinds = [kind for _, kind in plan]
    assert set(kinds) == {"autosave", "matrix"}
    # 70% of 900 = 630, give or take the draw: a binomial's standard deviation here is about 14.
    assert 580 < kinds.count("autosave") < 680
    assert schedule(30, 30, {"autosave": 70, "matrix": 30}, seed=17) == plan  # the same seed, the same burst


def test_the_report_counts_unexpected_answers_as_errors():
    results = [
        Result("autosave", 200, 0.010),
        Result("autosave", 409, 0.020),  # the editor's own conflict answer: served
        Result("autosave", 500, 0.030),
        Result("open", 302, 0.005),  # the sign-in page instead of the editor
        Result("submit", 302, 0.400),
        Result("matrix", 0, 30.0),  # no answer
    ]
    text = report(
        results,
        2.0,
        0.5,
        {},
        {101: 204800},
        rate=3,
        duration=2,
        server_cpu=[("server workers", 3.0, 3), ("PostgreSQL", 0.5, 9)],
    )
    assert "throughput 3.0 req/s, 1.5 served as expected" in text
    assert "errors: autosave 500: 1, matrix no answer: 1, open 302: 1" in text
    assert "server RSS after (MiB per process): 200; max 200" in text
    assert "client CPU 0.5 s user+system (25% of one core)" in text
    assert "server workers CPU 3.0 s (1.50 cores, 3 processes at the end)" in text
    assert "PostgreSQL CPU 0.5 s (0.25 cores, 9 processes at the end)" in text


def test_cpu_time_is_read_from_the_stat_fields_after_the_command_name():
    # /proc/<pid>/stat of a gunicorn worker after "1234 (gunicorn: worker [portal])": state, ppid, …, utime, stime.
    fields = [
        "S",
        "1200",
        "1200",
        "1200",
        "0",
        "-1",
        "4194560",
        "900",
        "0",
        "0",
        "0",
        "250",
        "75",
        "0",
        "0",
        "20",
        "0",
        "5",
        "0",
    ]
    assert cpu_seconds(fields, 100) == 3.25


def test_cpu_used_counts_the_processes_that_started_during_the_run_but_not_those_that_ended():
    before = {11: 1.0, 12: 2.0, 13: 5.0}  # 13 ends during the run (a replaced worker)
    after = {11: 4.0, 12: 2.5, 14: 0.75}  # 14 starts during it (a backend for a new connection)
    assert cpu_used(before, after) == (4.25, 3)


def test_the_cpu_of_real_processes_is_read():
    used = processes_cpu([os.getpid(), 999_999_999])  # this process; a pid no process has is left out
    assert list(used) == [os.getpid()]
    assert used[os.getpid()] > 0
