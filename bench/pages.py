"""What the page benches share: a signed-in person of a given capability, and a page requested N times.

The database is `migrated_database`; the others run once Django is set up in it, so their imports are local.
"""

import os
import statistics
import time
from contextlib import contextmanager

from bench.consolidation import _cpu_model, _memory_total, throwaway_database


@contextmanager
def migrated_database(database_url=None):
    """A throwaway database (SQLite in a temporary folder, or a new one on the PostgreSQL server of `database_url`),
    Django set up on it in a test environment, migrated and the plan loaded; yields its description."""
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    with throwaway_database(database_url, keep=False) as (url, database):
        os.environ["DATABASE_URL"] = url
        # Imported here: the process's environment (DATABASE_URL, DJANGO_DEBUG) is set first.
        import django

        django.setup()
        from django.core.management import call_command
        from django.test.utils import setup_test_environment

        from campaign.plan_loader import load_plan

        setup_test_environment()
        call_command("migrate", verbosity=0, interactive=False)
        load_plan()
        yield database


def bench_user(username, unit, capability, position):
    """A user of `unit` holding `capability` (a Group of that name), made once."""
    # Imported here: Django is set up first (the bench's run).
    from django.contrib.auth.models import Group

    from units.models import User

    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": username, "unit": unit, "position": position}
    )
    user.groups.add(Group.objects.get_or_create(name=capability)[0])
    return user


def measure(client, path, requests):
    """Request `path` `requests` times: (median s, fastest s, queries of one request, bytes); exits on a non-200."""
    # Imported here: Django is set up first (the bench's run).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = None
    size = 0
    for _ in range(requests):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        queries = len(captured.captured_queries)
        size = len(response.content)
    return statistics.median(times), min(times), queries, size


def alternate(pairs, requests):
    """Request each (client, path) in turn, `requests` rounds (side by side, so a change in the machine's load falls
    on both): per path (median s, fastest s, queries, bytes)."""
    times = {path: [] for _, path in pairs}
    last = {}
    for _ in range(requests):
        for client, path in pairs:
            median, _, queries, size = measure(client, path, 1)
            times[path].append(median)
            last[path] = (queries, size)
    return {path: (statistics.median(values), min(values), *last[path]) for path, values in times.items()}


def machine_line(started_at, requests):
    """The line under a list bench's tables: when, how many requests, the machine and its load average after."""
    load = os.getloadavg()
    return (
        f"{started_at:%d/%m/%Y %H:%M %Z}; {requests} requests each, alternating; machine: {_cpu_model()}, "
        f"{os.cpu_count()} cores, {_memory_total()} RAM; load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
