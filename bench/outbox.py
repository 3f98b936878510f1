"""Benchmark of the web requests that ask for a background job while Redis is frozen (issue 16, item 4).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.outbox --database-url postgres://postgres@127.0.0.1:5432/test

A throwaway PostgreSQL database (bench.consolidation.throwaway_database) gets the plan and `seed_scale --units N`; the
office account of the seed may compile. A redis-server of the bench's own, on a free port, is the broker, frozen with
SIGSTOP (a hung Redis: connections are accepted by the kernel and never answered). Through Django's test client, in
this process, the office asks for the compile ("Tổng hợp", a POST that supersedes the last report) `--requests`
times: as shipped (the request writes an outbox row, workflow.jobs.enqueue_on_commit), then as before the outbox (the
request publishes after its commit, LeasedJob.enqueue, the broker's socket timeouts and one retry of the settings).
It prints the longest and the median request time of each, and how many outbox rows wait.
"""

import argparse
import datetime
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.consolidation import (
    DEFAULT_PERIOD,
    _cpu_model,
    _memory_total,
    _setup_django,
    load_average_line,
    throwaway_database,
)


def _redis_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 — the redis-server program with our own arguments, no shell
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Imported here: only the bench needs a Redis client of its own.
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            return server, port
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                server.kill()
                raise SystemExit("redis-server did not start") from None
            time.sleep(0.05)


def run(args):
    started_at = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    with (
        throwaway_database(args.database_url, keep=False) as (url, database),
        tempfile.TemporaryDirectory(prefix="bench-outbox-") as workdir,
    ):
        os.environ.pop("REDIS_URL", None)
        os.environ.update(
            DATABASE_URL=url,
            PORTAL_PRIVATE_STORAGE=str(Path(workdir) / "files"),
            DJANGO_DEBUG="1",
            DJANGO_SETTINGS_MODULE="portal.settings",
        )
        _setup_django()
        # Imported here: Django is set up (_setup_django) first.
        from django.conf import settings
        from django.contrib.auth.models import Group
        from django.core.management import call_command
        from django.db import transaction
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from campaign.plan_loader import load_plan
        from demo.scale import REVIEWER_USERNAME, seed_scale
        from portal.celery import app
        from reports.models import ConsolidatedReport
        from units.capabilities import Capability
        from units.models import User
        from workflow import jobs
        from workflow.models import OutboxMessage

        call_command("migrate", verbosity=0, interactive=False)
        load_plan()
        seed_scale(units=args.units, period_codes=[args.period])
        office = User.objects.get(username=REVIEWER_USERNAME)
        office.groups.add(Group.objects.get_or_create(name=Capability.OFFICE_REVIEWER)[0])
        setup_test_environment()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(office)
        url = reverse("reports:consolidated_request", args=[args.period])

        server, port = _redis_server()
        app.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", task_always_eager=False)
        app._pool = None
        app.amqp._producer_pool = None
        os.kill(server.pid, signal.SIGSTOP)

        def measure():
            times = []
            for _ in range(args.requests):
                # As if the last compile had finished (no worker runs here): each request asks for a new one.
                live = ConsolidatedReport.objects.exclude(status=ConsolidatedReport.Status.SUPERSEDED)
                live.update(status=ConsolidatedReport.Status.READY)
                began = time.perf_counter()
                response = client.post(url)
                times.append(time.perf_counter() - began)
                if response.status_code != 302:
                    raise SystemExit(f"the request answered {response.status_code}")
            return times

        def before_the_outbox(self, pk):
            transaction.on_commit(lambda: self.enqueue(pk))

        try:
            outbox = measure()
            waiting = OutboxMessage.objects.filter(task="reports.compile_consolidated_report").count()
            original = jobs.LeasedJob.enqueue_on_commit
            jobs.LeasedJob.enqueue_on_commit = before_the_outbox
            try:
                before = measure()
            finally:
                jobs.LeasedJob.enqueue_on_commit = original
        finally:
            os.kill(server.pid, signal.SIGCONT)
            server.terminate()
            server.wait(timeout=10)
    load_after = os.getloadavg()
    print(f"# Requests with Redis frozen (SIGSTOP) — {started_at:%Y-%m-%d %H:%M %Z}\n")
    print(f"Command: DJANGO_DEBUG=1 .venv/bin/python -m bench.outbox {' '.join(sys.argv[1:])}")
    print(f"Database: {database}; {args.units} units, period {args.period}; {args.requests} requests each")
    print(f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_total()} RAM")
    print(load_average_line(load_before, load_after) + "\n")
    print("| “Tổng hợp” (POST) | Longest | Median |")
    print("|---|---:|---:|")
    for label, times in (("outbox row (as shipped)", outbox), ("publish after commit (before)", before)):
        print(f"| {label} | {max(times):.3f} s | {statistics.median(times):.3f} s |")
    print(f"\nOutbox rows waiting after the shipped requests: {waiting} (one per request; a worker sends them)")
    return 0


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.outbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server to make a throwaway database on")
    parser.add_argument("--units", type=int, default=10, help="units seeded (default 10)")
    parser.add_argument("--requests", type=int, default=5, help="requests of each kind (default 5)")
    parser.add_argument("--period", default=DEFAULT_PERIOD, help=f"period compiled (default {DEFAULT_PERIOD})")
    return parser.parse_args(argv)


def main(argv=None):
    return run(parse(argv))


if __name__ == "__main__":
    sys.exit(main())
