"""The load benchmark (issue 17, item 1): a mixed burst of unit staff and office users against a running server.

Two steps, the server running between them on the same database (see bench/README.md):

1. Seed, with the project's Django on the server's database (DATABASE_URL):

       DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_load DJANGO_DEBUG=1 \\
           .venv/bin/python -m bench.load --seed --units 200 --office 20 --out var/bench_load.json

   migrate, `seed_scale` N units (one accepted report on the period before the open one, so the drafts are
   pre-filled), then a draft per unit on the open period (`report_start`), a signed-in session per unit head and per
   office reviewer (`bench.vanphong01…`), made server-side as a sign-in makes them, and a CSRF token. Everything the
   client needs goes to the JSON file (sessions, report ids, the section each head autosaves, its revision).

2. Run the burst against the server:

       .venv/bin/python -m bench.load http://127.0.0.1:8000 --data var/bench_load.json --rate 30 --duration 30

   Requests start on a fixed schedule (`--rate` a second, evenly spaced, open loop: a slow answer does not delay the
   next start) with the mix `--mix autosave=70,matrix=10,open=18,submit=2`: an autosave POSTs one section's text as
   static/js/report_editor.js does (part, rev-, orig-, the text; X-CSRFToken), a matrix load GETs /reports/matrix/ as
   an office reviewer, an open GETs a draft's editor, a submit POSTs the editor's form with action=submit (each
   report submitted at most once; a submitted report leaves the autosave pool). It prints the throughput, p50/p95/p99
   per kind, the answers by status, the client's own CPU time (getrusage), the CPU time the server's workers and
   PostgreSQL's processes used during the run (/proc/<pid>/stat; what limits the burst on one machine) and the RSS of
   the server's workers (/proc/<pid>/status of the children of `--server-pid`, or of the processes `pgrep -f gunicorn`
   finds).

No third-party HTTP client: plain asyncio streams, one connection per request (Connection: close).
"""

import argparse
import asyncio
import json
import os
import random
import resource
import sys
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bench import processes

KINDS = ("autosave", "matrix", "open", "submit")
# The answers that count as served: a 409 is the editor's own conflict answer, a submit redirects to the report.
# Anything else (a 302 of a GET is the sign-in page: a session the server does not know) is an error.
EXPECTED = {"autosave": {200, 409}, "matrix": {200}, "open": {200}, "submit": {302}}
DEFAULT_MIX = "autosave=70,matrix=10,open=18,submit=2"
OFFICE_PREFIX = "bench.vanphong"


# --- pure parts (tested in tests/bench/test_load_client.py) ------------------------------------------------------


def percentile(values, fraction):
    """The nearest-rank percentile (fraction 0 < f ≤ 1) of the values; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-int(round(fraction * len(ordered) * 1_000_000)) // 1_000_000))  # ceil without float drift
    return ordered[min(rank, len(ordered)) - 1]


def parse_mix(text):
    """'autosave=70,matrix=10' → {'autosave': 70, 'matrix': 10}; unknown kinds and non-positive weights refused."""
    mix = {}
    for item in text.split(","):
        name, _, weight = item.partition("=")
        name = name.strip()
        if name not in KINDS:
            raise ValueError(f"unknown request kind {name!r}; kinds: {', '.join(KINDS)}")
        value = int(weight)
        if value < 0:
            raise ValueError(f"weight of {name} must not be negative")
        if value:
            mix[name] = value
    if not mix:
        raise ValueError("the mix is empty")
    return mix


def schedule(rate, duration, mix, seed=0):
    """[(start offset in s, kind)]: rate × duration requests evenly spaced, kinds drawn by weight (fixed seed)."""
    count = int(round(rate * duration))
    rng = random.Random(seed)
    kinds = list(mix)
    weights = [mix[kind] for kind in kinds]
    return [(index / rate, rng.choices(kinds, weights)[0]) for index in range(count)]


# --- seeding (the project's Django) ------------------------------------------------------------------------------


def seed(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # Imported here: Django is set up only for --seed; the client itself needs no Django.
    import django

    django.setup()
    # Imported here: after django.setup().
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django.utils import timezone

    from campaign.models import Campaign, ReportingPeriod
    from demo.scale import _quantities, seed_scale
    from reports.models import ReportSection, UnitReport
    from reports.parts import digest
    from reports.services.editing import part_objects, report_start, values_of
    from units.capabilities import Capability
    from units.models import Unit, User

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    # Imported here: the plan is loaded after migrate.
    from campaign.plan_loader import load_plan

    load_plan()
    campaign = Campaign.objects.order_by("pk").first()
    today = timezone.localdate()
    begun = list(
        ReportingPeriod.objects.owed(campaign).filter(start__lte=today, year__lte=today.year).order_by("end", "start")
    )
    if not begun:
        sys.exit("no reporting period has begun: nothing to draft")
    open_period, before = begun[-1], begun[:-1]
    summary = seed_scale(units=args.units, period_codes=[before[-1].code] if before else [open_period.code])
    print(f"seed_scale: {summary.describe() if hasattr(summary, 'describe') else summary}", file=sys.stderr)
    heads = list(
        User.objects.filter(username__startswith="truongphong.scale", unit__code__startswith="SCALE")
        .select_related("unit")
        .order_by("unit__sort_order")[: args.units]
    )
    office_unit = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order", "pk").first()
    group, _ = Group.objects.get_or_create(name=Capability.OFFICE_REVIEWER)
    office = []
    for index in range(1, args.office + 1):
        user, _ = User.objects.get_or_create(
            username=f"{OFFICE_PREFIX}{index:02d}",
            defaults={
                "full_name": f"Chuyên viên văn phòng {index:02d} (thử tải)",
                "unit": office_unit,
                "position": User.Position.STAFF,
                "position_title": "Chuyên viên",
                "password": make_password(None),
            },
        )
        user.groups.add(group)
        office.append(user)

    def session_of(user):
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    units = []
    for head in heads:
        report = report_start(unit=head.unit, period=open_period, actor=head)
        if report.status != UnitReport.Status.DRAFT:
            continue
        # The figures the unit would have typed by the deadline (the drafts are pre-filled with text, not figures), so
        # a submit passes validation; written directly, as seed_scale writes its reports.
        rng = random.Random(report.pk)
        for result in report.results.select_related("criterion").filter(quantities={}):
            quantities = _quantities(rng, result.criterion.plan_key, open_period)
            if quantities:
                type(result).objects.filter(pk=result.pk).update(quantities=quantities)
        parts = part_objects(report)
        sections = [
            (key, part)
            for key, part in parts.items()
            if isinstance(part, ReportSection) and part.key != ReportSection.Key.RECOMMENDATIONS
        ]
        if not sections:
            continue
        key, part = sections[0]
        units.append(
            {
                "username": head.username,
                "session": session_of(head),
                "report": report.pk,
                "part": key,
                "revision": part.revision,
                "original": digest(values_of(part)),
                "text": values_of(part).get("text", ""),
            }
        )
    data = {
        "period": open_period.code,
        "csrf": _get_new_csrf_string(),
        "units": units,
        "office": [{"username": user.username, "session": session_of(user)} for user in office],
    }
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    print(
        f"seeded {len(units)} drafts on {open_period.code}, {len(office)} office users, "
        f"in {time.monotonic() - started:.1f} s → {args.out}",
        file=sys.stderr,
    )


# --- the client --------------------------------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    status: int  # 0: no answer (connection refused, reset, timeout)
    seconds: float


@dataclass
class State:
    data: dict
    rng: random.Random
    drafts: list = field(default_factory=list)
    busy: set = field(default_factory=set)  # reports with a request in flight
    skipped: Counter = field(default_factory=Counter)  # starts skipped: every report had a request in flight
    results: list = field(default_factory=list)


def _cookie(session, csrf):
    # Both cookie names: plain under DEBUG, __Host- over https (portal/settings.py); the server reads its own.
    return f"sessionid={session}; __Host-sessionid={session}; csrftoken={csrf}; __Host-csrftoken={csrf}"


async def request(url, method, path, *, session, csrf, body=None, timeout=30.0):
    """(status, body bytes) of one HTTP/1.1 request on its own connection."""
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname, parts.port or 80
    payload = urllib.parse.urlencode(body).encode() if body is not None else b""
    headers = [
        f"{method} {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Connection: close",
        f"Cookie: {_cookie(session, csrf)}",
        "Accept: text/html,application/json",
        f"Referer: {url.rstrip('/')}{path}",
    ]
    if body is not None:
        headers += [
            "Content-Type: application/x-www-form-urlencoded",
            f"Content-Length: {len(payload)}",
            f"X-CSRFToken: {csrf}",
            "X-Requested-With: XMLHttpRequest",
        ]
    raw = ("\r\n".join(headers) + "\r\n\r\n").encode() + payload

    async def exchange():
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(raw)
            await writer.drain()
            answer = await reader.read()
        finally:
            writer.close()
        return answer

    answer = await asyncio.wait_for(exchange(), timeout)
    head, _, content = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    if b"transfer-encoding: chunked" in head.lower():
        content = _unchunk(content)
    return status, content


def _unchunk(content):
    out, rest = bytearray(), content
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        rest = rest[size + 2 :]
    return bytes(out)


async def _unit_request(kind, url, unit, csrf, state):
    report_path = f"/reports/{unit['report']}"
    if kind == "open":
        status, _ = await request(url, "GET", f"{report_path}/edit/", session=unit["session"], csrf=csrf)
        return status
    if kind == "submit":
        state.drafts.remove(unit)  # submitted (or refused): no more autosaves, opens or submits of it
        body = {"csrfmiddlewaretoken": csrf, "action": "submit_keeping_prefilled"}
        status, _ = await request(url, "POST", f"{report_path}/edit/", session=unit["session"], csrf=csrf, body=body)
        return status
    key = unit["part"]
    body = {
        "part": key,
        f"rev-{key}": str(unit["revision"]),
        f"orig-{key}": unit["original"],
        f"{key}-text": f"{unit['text']}\n\nCập nhật lúc {time.time():.3f}.",
    }
    status, content = await request(
        url, "POST", f"{report_path}/autosave/", session=unit["session"], csrf=csrf, body=body
    )
    if status in (200, 409):
        answer = json.loads(content)
        fresh = answer if status == 200 else answer.get("conflict", {})
        unit["revision"] = fresh.get("revision", unit["revision"])
        unit["original"] = fresh.get("original", unit["original"])
    return status


async def one(kind, url, state):
    data, rng = state.data, state.rng
    csrf = data["csrf"]
    started = time.perf_counter()
    status = 0
    try:
        if kind == "matrix":
            user = rng.choice(data["office"])
            status, _ = await request(url, "GET", "/reports/matrix/", session=user["session"], csrf=csrf)
        else:
            # One request at a time per report, as one person's browser sends them (the editor queues its
            # autosaves): a report with a request in flight is not picked; none idle, the start is skipped.
            idle = [unit for unit in state.drafts if unit["report"] not in state.busy]
            if not idle:
                state.skipped[kind] += 1
                return
            unit = rng.choice(idle)
            state.busy.add(unit["report"])
            try:
                status = await _unit_request(kind, url, unit, csrf, state)
            finally:
                state.busy.discard(unit["report"])
    except (TimeoutError, OSError, ValueError, IndexError):
        status = 0
    state.results.append(Result(kind, status, time.perf_counter() - started))


async def burst(url, data, rate, duration, mix, seed_value):
    state = State(data=data, rng=random.Random(seed_value), drafts=list(data["units"]))
    plan = schedule(rate, duration, mix, seed_value)
    loop = asyncio.get_running_loop()
    begin = loop.time()
    tasks = []
    for offset, kind in plan:
        delay = begin + offset - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(kind, url, state)))
    await asyncio.gather(*tasks)
    return state.results, loop.time() - begin, state.skipped


def cpu_used(before, after):
    """CPU seconds used between two samples and by how many processes: the growth of those alive at both, and all of
    those that started in between (a database backend for a new connection, a worker replacing another). A process
    that ended in between is not counted, so a run where workers were replaced gives a floor."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items()), len(after)


def server_processes(server_pid=None):
    """The pids of the server's workers: the children of server_pid, or every gunicorn process found."""
    return processes.children(server_pid) if server_pid else processes.with_command_line(b"gunicorn")


def worker_rss(server_pid=None):
    """{pid: RSS in KiB} of the server's workers: the children of server_pid, or every gunicorn process found."""
    rss = {pid: processes.rss_kib(pid) for pid in server_processes(server_pid)}
    return {pid: kib for pid, kib in rss.items() if kib is not None}


def server_cpu_line(label, used, processes, elapsed):
    return f"{label} CPU {used:.1f} s ({used / elapsed:.2f} cores, {processes} processes at the end)"


def report(results, elapsed, cpu, rss_before, rss_after, rate, duration, server_cpu=()):
    """The run's figures as text; `server_cpu`: (label, CPU seconds, processes) of the server's sides."""
    lines = [f"planned {rate:g} req/s for {duration:g} s; {len(results)} requests in {elapsed:.1f} s"]
    served = [r for r in results if r.status in EXPECTED[r.kind]]
    lines.append(f"throughput {len(results) / elapsed:.1f} req/s, {len(served) / elapsed:.1f} served as expected")
    lines.append(f"{'kind':<9} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}  statuses")
    by_kind = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    for kind in [*KINDS, "all"]:
        rows = results if kind == "all" else by_kind.get(kind, [])
        if not rows:
            continue
        times = [r.seconds * 1000 for r in rows]
        statuses = Counter(r.status for r in rows)
        lines.append(
            f"{kind:<9} {len(rows):>5} {percentile(times, 0.5):>8.0f} {percentile(times, 0.95):>8.0f} "
            f"{percentile(times, 0.99):>8.0f} {max(times):>8.0f}  "
            + ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(statuses.items()))
        )
    errors = Counter((r.kind, r.status) for r in results if r.status not in EXPECTED[r.kind])
    lines.append(
        "errors: "
        + (", ".join(f"{kind} {status or 'no answer'}: {n}" for (kind, status), n in sorted(errors.items())) or "none")
    )
    lines.append(f"client CPU {cpu:.1f} s user+system ({100 * cpu / elapsed:.0f}% of one core)")
    lines.extend(server_cpu_line(label, used, processes, elapsed) for label, used, processes in server_cpu)
    for label, rss in (("before", rss_before), ("after", rss_after)):
        if rss:
            values = ", ".join(f"{kib / 1024:.0f}" for _, kib in sorted(rss.items()))
            lines.append(f"server RSS {label} (MiB per process): {values}; max {max(rss.values()) / 1024:.0f}")
        else:
            lines.append(f"server RSS {label}: no worker found")
    lines.append(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    return "\n".join(lines)


def run(args):
    with open(args.data, encoding="utf-8") as handle:
        data = json.load(handle)
    mix = parse_mix(args.mix)
    rss_before = worker_rss(args.server_pid)
    workers_before = processes.processes_cpu(server_processes(args.server_pid))
    database_before = processes.processes_cpu(processes.named("postgres"))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    results, elapsed, skipped = asyncio.run(
        burst(args.url.rstrip("/"), data, args.rate, args.duration, mix, args.seed_value)
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    server_cpu = [
        ("server workers", *cpu_used(workers_before, processes.processes_cpu(server_processes(args.server_pid)))),
        ("PostgreSQL", *cpu_used(database_before, processes.processes_cpu(processes.named("postgres")))),
    ]
    rss_after = worker_rss(args.server_pid)
    print(report(results, elapsed, cpu, rss_before, rss_after, args.rate, args.duration, server_cpu))
    if skipped:
        print("skipped (no idle report): " + ", ".join(f"{kind}: {n}" for kind, n in sorted(skipped.items())))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", nargs="?", help="the running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--seed", action="store_true", help="seed the database (DATABASE_URL) and write --out")
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--office", type=int, default=20)
    parser.add_argument("--out", default="var/bench_load.json")
    parser.add_argument("--data", default="var/bench_load.json")
    parser.add_argument("--rate", type=float, default=30.0, help="requests started a second")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds")
    parser.add_argument("--mix", default=DEFAULT_MIX)
    parser.add_argument("--server-pid", type=int, help="gunicorn's master process (else pgrep -f gunicorn)")
    parser.add_argument("--seed-value", type=int, default=17, help="random seed of the mix and the choices")
    args = parser.parse_args(argv)
    if args.seed:
        seed(args)
    elif args.url:
        run(args)
    else:
        parser.error("give the server's URL, or --seed")


if __name__ == "__main__":
    main()
