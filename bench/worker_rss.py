"""The web workers' memory after large downloads (issue 17, items 4 and 6: every worker back under 150 MiB after).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.worker_rss [--units 1000] [--workers 2] [--repeat 3] [--parallel 2]
        [--idle 5] [--database-url postgres://postgres@127.0.0.1:5432/test] [--env GUNICORN_MAX_RSS_MIB=0]

A throwaway database (bench.pages.migrated_database: SQLite in a temporary folder, or a new database on the
PostgreSQL server of `--database-url`, dropped at the end), migrated, the plan loaded, then seeded: N units with an
accepted report on `--period` (`seed_scale`, demo/scale.py), the award register of bench.eligibility (1,000 people
over 10 years, about 14,000 awards) and, unless `--no-consolidated`, the period's consolidated report compiled and
its PDF, DOCX and XLSX rendered and stored as the render job stores them (documents/stored.py; the step
bench.consolidation measures as "store").

Then a real gunicorn with the repository's gunicorn.conf.py (`--workers`, a free port of the loopback, the throwaway
database, DJANGO_DEBUG=1, the stored files in a temporary folder; `--env NAME=VALUE` adds to its environment, e.g.
GUNICORN_MAX_RSS_MIB=0 to turn the memory limit off). A session is made server-side for an office reviewer who is
also of the leadership (Client.force_login, as bench.load does), and the largest downloads a user can ask for are
requested `--repeat` times each by `--parallel` clients at once: the consolidated report's PDF, DOCX and XLSX (served
from storage), the status matrix and the indicators at N units, the award register, the overview and its unit ×
criterion grid, the public list of a year's awards as xlsx and CSV. A thread reads each worker's VmRSS
(/proc/<pid>/status; the workers are the children of gunicorn's master) every 50 ms.

It prints, in Markdown, per download: size, median time, the largest worker's peak during it and its RSS right
after; per worker: RSS before (after one warm-up request each), peak, and after `--idle` seconds without requests
(a worker replaced meanwhile shows as such, its successor on a row of its own); the lines gunicorn logged about
replacing workers; the command, date and load average. Exit status 1 when a worker is at or above `--target-mib`
(150) after the idle time.
"""

import argparse
import contextlib
import datetime
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

from bench.consolidation import BASE_DIR, _cpu_model, _memory_total, load_average_line
from bench.pages import migrated_database
from bench.processes import children, rss_kib

DEFAULT_PERIOD = "2025-FY"
TARGET_MIB = 150
USERNAME = "bench.rss"
SAMPLE_S = 0.05


# --- the server's workers ----------------------------------------------------------------------------------------


class Sampler(threading.Thread):
    """Reads every worker's RSS every SAMPLE_S: the peak per worker over the run and over the current download."""

    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.peak = {}  # pid → KiB, over the whole run
        self.window = {}  # pid → KiB, since the last reset
        self.seen = []  # pids in order of first sight
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def sample(self):
        for pid in children(self.master_pid):
            value = rss_kib(pid)
            if value is None:
                continue
            with self.lock:
                if pid not in self.peak:
                    self.seen.append(pid)
                self.peak[pid] = max(self.peak.get(pid, 0), value)
                self.window[pid] = max(self.window.get(pid, 0), value)

    def reset_window(self):
        with self.lock:
            self.window = {}

    def window_peak(self):
        with self.lock:
            return max(self.window.values(), default=0)

    def run(self):
        while not self.stopped.is_set():
            self.sample()
            self.stopped.wait(SAMPLE_S)


# --- the data ------------------------------------------------------------------------------------------------------


def seed(args):
    """Units, the award register, the stored consolidated report and a signed-in session: (session key, paths)."""
    # Imported here: Django is set up on the throwaway database first (migrated_database).
    from django.conf import settings
    from django.test import Client

    from bench.eligibility import _seed as seed_awards
    from demo.scale import seed_scale
    from units.capabilities import Capability, grant
    from units.models import Unit, User

    started = time.perf_counter()
    seed_scale(units=args.units, period_codes=[args.period])
    print(f"… {args.units} units seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    started = time.perf_counter()
    award_round, records = seed_awards(1000, 10)
    print(f"… award register: {records} records in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order", "pk").first()
    user = User.objects.create(username=USERNAME, full_name="Chuyên viên (thử bộ nhớ)", unit=office)
    grant(user, Capability.OFFICE_REVIEWER)
    grant(user, Capability.LEADERSHIP)
    everything = f"giai_doan=tat-ca&ky={args.period}"
    # Ordinary pages first: a process they alone take above the limit would be replaced again and again.
    paths = [
        ("Trang chủ (trang)", "/"),
        (f"Tình hình nộp báo cáo ({args.units} đơn vị, trang)", f"/reports/matrix/?period={args.period}"),
        ("Tổng quan (trang)", f"/tong-quan/?{everything}"),
        ("Sổ khen thưởng (trang)", "/awards/so-khen-thuong/"),
    ]
    if not args.no_consolidated:
        started = time.perf_counter()
        report = consolidated(args.period)
        print(f"… consolidated report compiled and stored in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        paths += [
            (f"Báo cáo tổng hợp {ext.upper()} (lưu sẵn)", f"/reports/consolidated/{report}.{ext}")
            for ext in ("pdf", "docx", "xlsx")
        ]
    year = award_round.year
    paths += [
        (f"Tình hình nộp báo cáo XLSX ({args.units} đơn vị)", f"/reports/matrix.xlsx?period={args.period}"),
        ("Chỉ số của các đơn vị XLSX", f"/reports/indicators.xlsx?period={args.period}"),
        (f"Sổ khen thưởng XLSX ({records} dòng hồ sơ)", "/awards/so-khen-thuong/xuat-excel/"),
        ("Tổng quan XLSX", f"/tong-quan/xlsx/?{everything}"),
        ("Đơn vị × tiêu chí XLSX", f"/tong-quan/don-vi-tieu-chi/xlsx/?{everything}"),
        (f"Công khai khen thưởng {year} XLSX", f"/cong-khai/khen-thuong/tai-ve/?nam={year}"),
        (f"Công khai khen thưởng {year} CSV", f"/cong-khai/khen-thuong/tai-ve/?nam={year}&dinh_dang=csv"),
    ]
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value, paths


def consolidated(period_code):
    """The period's consolidated report compiled and its three files stored, as the jobs leave them: its pk."""
    # Imported here: Django is set up first.
    from bench.consolidation import _new_report
    from documents import stored
    from reports.services.consolidation import consolidation_compile

    with mock.patch.object(stored.RENDER_JOB, "enqueue", return_value=False):
        report = consolidation_compile(report_id=_new_report(period_code))
        row = stored.request_current(report)
    stored.render(stored_id=row.pk)
    row.refresh_from_db()
    if row.render_status != row.RenderStatus.READY:
        raise SystemExit(f"the consolidated report's files were not stored: {row.render_status}")
    return report.pk


# --- the server and the client -------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(args, port, storage, log_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "PORTAL_PRIVATE_STORAGE": storage,
    }
    env.pop("REDIS_URL", None)  # tasks would otherwise go to a broker nobody reads (the files are stored already)
    for item in args.env:
        name, _, value = item.partition("=")
        env[name] = value
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(BASE_DIR / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
    ]
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while len(children(server.pid)) < args.workers or not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start; its log:\n{Path(log_path).read_text(encoding='utf-8')}")
            time.sleep(0.2)
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _answers(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/", headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
        connection.close()
    except OSError:
        return False
    return True


def download(port, path, session):
    """(status, bytes, seconds) of one GET on its own connection, the body read in 64 KiB pieces and dropped."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    try:
        connection.request(
            "GET",
            path,
            headers={"Host": "127.0.0.1", "Cookie": f"sessionid={session}; __Host-sessionid={session}"},
        )
        response = connection.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        return response.status, size, time.perf_counter() - started
    finally:
        connection.close()


# --- the run -------------------------------------------------------------------------------------------------------


def _mib(kib):
    return "—" if kib is None else f"{kib / 1024:,.0f}"


def run(args):
    started_at = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="bench-rss-") as folder,
        mock.patch.dict(os.environ, {"PORTAL_PRIVATE_STORAGE": folder}),
        migrated_database(args.database_url) as database,
    ):
        session, paths = seed(args)
        # Imported here: Django is set up first. The parent's connections are closed before gunicorn opens its own.
        from django.db import connections

        connections.close_all()
        log_path = Path(folder, "gunicorn.log")
        port = free_port()
        with gunicorn(args, port, folder, log_path) as server:
            sampler = Sampler(server.pid)
            # A warm-up request per worker (the kernel picks the worker; a few tries reach them all).
            for _ in range(args.workers * 2):
                download(port, "/", session)
            time.sleep(1)
            before = {pid: rss_kib(pid) for pid in children(server.pid)}
            sampler.start()
            rows = []
            with ThreadPoolExecutor(max_workers=args.parallel) as pool:
                for label, path in paths:
                    sampler.reset_window()
                    serving = set(children(server.pid))
                    futures = [pool.submit(download, port, path, session) for _ in range(args.repeat * args.parallel)]
                    answers = [future.result() for future in futures]
                    statuses = sorted({status for status, _, _ in answers})
                    if statuses != [200]:
                        raise SystemExit(f"{path}: answered {statuses}; gunicorn's log: {log_path.read_text()}")
                    sampler.sample()
                    rows.append(
                        (
                            label,
                            path,
                            answers[-1][1],
                            statistics.median(seconds for _, _, seconds in answers),
                            sampler.window_peak(),
                            max((rss_kib(pid) or 0 for pid in children(server.pid)), default=0),
                            len(serving - set(children(server.pid))),
                        )
                    )
                    print(f"… {label}: done", file=sys.stderr, flush=True)
            time.sleep(args.idle)
            sampler.sample()
            sampler.stopped.set()
            sampler.join()
            after_pids = children(server.pid)
            after = {pid: rss_kib(pid) for pid in after_pids}
            peaks, seen = dict(sampler.peak), list(sampler.seen)
        log = log_path.read_text(encoding="utf-8", errors="replace")
    load_after = os.getloadavg()

    replaced = [line for line in log.splitlines() if "GUNICORN_MAX_RSS_MIB" in line or "Autorestarting" in line]
    print(f"# Web worker RSS after large downloads — {started_at:%d/%m/%Y %H:%M %Z}\n")
    print(f"Command: DJANGO_DEBUG=1 .venv/bin/python -m bench.worker_rss {' '.join(sys.argv[1:])}")
    print(
        f"Database: {database}; {args.units} units, period {args.period}; gunicorn.conf.py with {args.workers} "
        f"workers; each download {args.repeat} × {args.parallel} clients at once; idle {args.idle} s"
    )
    if args.env:
        print(f"gunicorn's environment adds: {' '.join(args.env)}")
    print(f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_total()} RAM")
    print(load_average_line(load_before, load_after) + "\n")
    print(
        "| Download | Size | Median time | Peak worker RSS during (MiB) | Largest worker right after (MiB) "
        "| Workers replaced |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label, path, size, median, peak, right_after, gone in rows:
        print(
            f"| {label} `{path}` | {size / 1024:,.0f} KiB | {median:.2f} s | {_mib(peak)} | {_mib(right_after)} "
            f"| {gone} |"
        )
    print("\n| Worker (pid) | Before (MiB) | Peak (MiB) | After idle (MiB) |")
    print("|---|---:|---:|---:|")
    for pid in [*before, *(pid for pid in seen if pid not in before)]:
        state = _mib(after[pid]) if pid in after else "replaced"
        print(
            f"| {pid}{'' if pid in before else ' (new)'} | {_mib(before.get(pid))} | {_mib(peaks.get(pid))} | {state} |"
        )
    print(f"\nWorkers replaced during the run: {len([pid for pid in seen if pid not in after_pids])}")
    for line in replaced:
        print(f"    {line.strip()}")
    over = [pid for pid, kib in after.items() if kib is None or kib >= args.target_mib * 1024]
    print(
        f"\n- {'MISS' if over else 'PASS'} every worker under {args.target_mib} MiB after {args.idle} s idle: "
        f"{', '.join(f'{_mib(kib)}' for kib in after.values())} MiB"
    )
    return 1 if over else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.worker_rss", description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--period", default=DEFAULT_PERIOD)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each download")
    parser.add_argument("--parallel", type=int, default=2, help="clients downloading at once")
    parser.add_argument("--idle", type=float, default=5, help="seconds without requests before the last reading")
    parser.add_argument("--target-mib", type=int, default=TARGET_MIB)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-consolidated", action="store_true", help="skip compiling the consolidated report")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="added to gunicorn's env")
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
