"""The load benchmark's own arithmetic (bench/load.py), no server: percentiles, the mix, the schedule, the report."""

import pytest

from bench.load import Result, parse_mix, percentile, report, schedule


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
    text = report(results, 2.0, 0.5, {}, {101: 204800}, rate=3, duration=2)
    assert "throughput 3.0 req/s, 1.5 served as expected" in text
    assert "errors: autosave 500: 1, matrix no answer: 1, open 302: 1" in text
    assert "server RSS after (MiB per process): 200; max 200" in text
    assert "client CPU 0.5 s user+system (25% of one core)" in text
