"""Benchmark of the consolidated report's compile at 10, 100 and 1,000 units (issue 4 item 8; DESIGN.md section 6).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.consolidation --units 10 100 1000

Against a throwaway SQLite database in a temporary folder (DATABASE_URL is set before Django starts), or with
`--database-url postgres://postgres@127.0.0.1:5432/test` against a throwaway database created on that server
(`bench_<random>`, dropped at the end). It migrates, loads the plan, and for each N (ascending) seeds N units
with `seed_scale` (demo/scale.py; accepted reports for one period, 2025-FY unless `--period`), then measures,
each in a fresh child process so that the process's max RSS belongs to that measurement alone, as it would to a
Celery worker child:

- compile: what the job does plus the PDF — `consolidation_compile` (claim, gather, snapshot, first sections,
  save) on a new queued ConsolidatedReport row, then `consolidated_document` and `render_pdf`, which renders a
  long document in chunks by several render processes (documents/parallel_pdf.py). Wall time, queries
  (CaptureQueriesContext), the process's max RSS (resource.getrusage), pages of the PDF; the render processes'
  count, each one's max RSS and CPU time;
- floor: WeasyPrint alone, in one process, on the same final HTML (`render_html` of the same document, its page
  cuts included): `HTML(string=…, base_url=…, url_fetcher=…).write_pdf()` with the renderer's own base URL and
  fetcher, so it loads the same fonts and stylesheet. Wall time and max RSS;
- peak Python memory of the compile under tracemalloc (a separate run: tracing slows Python down; it does not
  see the C libraries' allocations — Pango, HarfBuzz — which the max RSS does);
- DOCX and XLSX of the same document, timed separately.

Then it checks the targets: the compile within 0.6× of the floor at the largest N (issue 17: the annexes in
parallel), the render processes' max RSS summed not above the floor's; queries constant in N; time
growing linearly or better (growth exponent log(t2/t1) / log(n2/n1) at most 1.1, a margin for noise);
max RSS under CELERY_WORKER_MAX_MEMORY_PER_CHILD (KiB). It prints a Markdown table and the machine it ran on;
`--json FILE` also writes the raw figures. Exit status 1 when a target is missed.

The machine's load matters (other processes compete for the cores): the load average is recorded with
each measurement. Prefer running it on an idle machine.
"""

import argparse
import contextlib
import datetime
import gc
import json
import math
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from io import BytesIO
from pathlib import Path
from unittest import mock

from pypdf import PdfReader

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_PERIOD = "2025-FY"
RATIO_TARGET = 1.3
PARALLEL_RATIO_TARGET = 0.6
LINEAR_EXPONENT_LIMIT = 1.1


# --- Child processes: one measurement each ----------------------------------------------------------------


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    # Imported here: the process's environment (DATABASE_URL, DJANGO_DEBUG) is set first.
    import django

    django.setup()


def _max_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _new_report(period_code):
    """A queued ConsolidatedReport for the period, as consolidation_request leaves it (without enqueuing)."""
    # Imported here: Django is set up (_setup_django) before any model is imported.
    from django.db.models import Max

    from campaign.models import ReportingPeriod
    from demo.scale import REVIEWER_USERNAME
    from reports.models import ConsolidatedReport
    from units.models import User

    period = ReportingPeriod.objects.get(code=period_code)
    reports = ConsolidatedReport.objects.filter(period=period)
    reports.exclude(status=ConsolidatedReport.Status.SUPERSEDED).update(status=ConsolidatedReport.Status.SUPERSEDED)
    version = (reports.aggregate(last=Max("version"))["last"] or 0) + 1
    return ConsolidatedReport.objects.create(
        period=period, version=version, requested_by=User.objects.get(username=REVIEWER_USERNAME)
    ).pk


def _compile(report_id):
    """The measured work: the job, then the document and its PDF. Returns (report, document, pdf, phases); the
    phases say how the PDF was rendered (the render processes' count, max RSS and CPU time)."""
    # Imported here: Django is set up (_setup_django) before any model is imported.
    from documents import parallel_pdf, stored
    from documents.render import render_pdf
    from reports.documents.consolidated import consolidated_document
    from reports.services.consolidation import consolidation_compile

    started = time.perf_counter()
    # The compile asks the render job for the report's files; with Celery inline that run would be timed as part
    # of the compile. It is a job of its own in production, measured apart (child_store).
    with mock.patch.object(stored.RENDER_JOB, "enqueue", return_value=False):
        report = consolidation_compile(report_id=report_id)
    if report is None:
        raise RuntimeError("the compile did not claim the row")
    job_done = time.perf_counter()
    document = consolidated_document(report)
    document_done = time.perf_counter()
    outcomes = []
    real_render_parallel = parallel_pdf.render_parallel

    def render_parallel(*args, **kwargs):
        outcomes.append(real_render_parallel(*args, **kwargs))
        return outcomes[-1]

    cpu = time.process_time()
    with mock.patch.object(parallel_pdf, "render_parallel", render_parallel):
        pdf = render_pdf(document)
    finished = time.perf_counter()
    pdf_cpu_s = time.process_time() - cpu
    outcome = outcomes[0] if outcomes else None
    phases = {
        "compile_s": finished - started,
        "job_s": job_done - started,
        "document_s": document_done - job_done,
        "pdf_s": finished - document_done,
        "render_processes": len(outcome.peak_rss_kib) if outcome else 0,
        "render_jobs": outcome.jobs if outcome else 0,
        "render_rss_kib": sorted(outcome.peak_rss_kib.values()) if outcome else [],
        "render_cpu_s": sorted(outcome.cpu_seconds.values()) if outcome else [],
        "pdf_cpu_s": pdf_cpu_s,  # this process's own CPU time in render_pdf (merging, in chunks)
    }
    return report, document, pdf, phases


def _pages(pdf):
    return len(PdfReader(BytesIO(pdf)).pages)


def child_compile(args):
    # Imported here: each measurement runs in a fresh process, Django set up first.
    import weasyprint  # noqa: F401 -- imported before timing, as in a worker that has rendered before
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from documents.render import render_html

    report_id = _new_report(args.period)
    gc.collect()
    with CaptureQueriesContext(connection) as queries:
        report, document, pdf, phases = _compile(report_id)
    rss = _max_rss_kib()
    started = time.perf_counter()
    html = render_html(document)
    html_s = time.perf_counter() - started
    Path(args.workdir, f"{args.units[0]}.html").write_text(html, encoding="utf-8")
    return {
        **phases,
        "html_s": html_s,
        "queries": len(queries),
        "rss_kib": rss,
        "pages": _pages(pdf),
        "pdf_bytes": len(pdf),
        "html_bytes": len(html.encode("utf-8")),
        "snapshot_bytes": len(json.dumps(report.snapshot, ensure_ascii=False).encode("utf-8")),
    }


def child_floor(args):
    # Imported here: each measurement runs in a fresh process, Django set up first.
    from weasyprint import HTML

    from documents.render import STATIC_DIR, static_only_fetcher

    html = Path(args.workdir, f"{args.units[0]}.html").read_text(encoding="utf-8")
    gc.collect()
    cpu = time.process_time()
    started = time.perf_counter()
    pdf = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher()).write_pdf()
    floor_s = time.perf_counter() - started
    return {
        "floor_s": floor_s,
        "floor_cpu_s": time.process_time() - cpu,
        "floor_rss_kib": _max_rss_kib(),
        "floor_pages": _pages(pdf),
    }


def child_tracemalloc(args):
    # Imported here: tracing starts before WeasyPrint is loaded, in a fresh process.
    import tracemalloc

    import weasyprint  # noqa: F401

    report_id = _new_report(args.period)
    gc.collect()
    tracemalloc.start()
    _compile(report_id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_bytes": peak}


def child_office(args):
    # Imported here: each measurement runs in a fresh process, Django set up first.
    from documents.render import render_docx, render_xlsx
    from reports.documents.consolidated import consolidated_document
    from reports.models import ConsolidatedReport

    report = ConsolidatedReport.objects.filter(period__code=args.period, status=ConsolidatedReport.Status.READY).latest(
        "version"
    )
    document = consolidated_document(report)
    started = time.perf_counter()
    docx = render_docx(document)
    docx_s = time.perf_counter() - started
    started = time.perf_counter()
    xlsx = render_xlsx(document)
    xlsx_s = time.perf_counter() - started
    return {"docx_s": docx_s, "docx_bytes": len(docx), "xlsx_s": xlsx_s, "xlsx_bytes": len(xlsx)}


def _ready_report(period_code):
    # Imported here: each measurement runs in a fresh process, Django set up first.
    from reports.models import ConsolidatedReport

    return ConsolidatedReport.objects.filter(period__code=period_code, status=ConsolidatedReport.Status.READY).latest(
        "version"
    )


def child_store(args):
    """The render job of the report's files (documents/stored.py): PDF, DOCX and XLSX rendered once and stored."""
    # Imported here: each measurement runs in a fresh process, Django set up first.
    from documents import stored

    report = _ready_report(args.period)
    with mock.patch.object(stored.RENDER_JOB, "enqueue", return_value=False):
        row = stored.request_current(report)  # queued, not run inline: the run below is the one measured
    started = time.perf_counter()
    stored.render(stored_id=row.pk)
    store_s = time.perf_counter() - started
    row.refresh_from_db()
    return {
        "store_s": store_s,
        "stored_ready": row.render_status == row.RenderStatus.READY,
        "rss_store_kib": _max_rss_kib(),
    }


def child_download(args):
    """What a web worker does for each download now: serve the stored file. Any rendering fails the run."""
    # Imported here: each measurement runs in a fresh process, Django set up first.
    from django.test import Client, override_settings

    from demo.scale import REVIEWER_USERNAME
    from documents import stored
    from units.capabilities import Capability, grant
    from units.models import User

    def refuse(document):
        raise RuntimeError("a download rendered the document")

    for extension in stored.RENDERERS:
        stored.RENDERERS[extension] = refuse
    report = _ready_report(args.period)
    reviewer = User.objects.get(username=REVIEWER_USERNAME)
    grant(reviewer, Capability.OFFICE_REVIEWER)  # the seed's reviewer compiles through the service, not the pages
    client = Client()
    client.force_login(reviewer)
    result = {"rss_before_kib": _max_rss_kib()}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for extension in ("pdf", "docx", "xlsx"):
            started = time.perf_counter()
            response = client.get(f"/reports/consolidated/{report.pk}.{extension}")
            size = len(b"".join(response.streaming_content)) if response.streaming else 0
            result[f"download_{extension}_s"] = time.perf_counter() - started
            if response.status_code != 200 or not size:
                raise RuntimeError(f"the {extension} download answered {response.status_code} without a stored file")
    result["rss_download_kib"] = _max_rss_kib()
    return result


CHILDREN = {
    "compile": child_compile,
    "floor": child_floor,
    "tracemalloc": child_tracemalloc,
    "office": child_office,
    "store": child_store,
    "download": child_download,
}


def run_child(args):
    _setup_django()
    result = CHILDREN[args.child](args)
    result["load_1min"] = os.getloadavg()[0]
    print("RESULT " + json.dumps(result), flush=True)
    return 0


# --- The parent: database, seeding, children, report --------------------------------------------------------


@contextlib.contextmanager
def throwaway_database(url, *, keep):
    """(DATABASE_URL, description) of a database made for this run, removed afterwards unless `keep`."""
    if not url:
        folder = tempfile.mkdtemp(prefix="bench-consolidation-")
        try:
            yield f"sqlite:///{folder}/bench.sqlite3", "SQLite (temporary file)"
        finally:
            if keep:
                print(f"Kept the database in {folder}", file=sys.stderr)
            else:
                shutil.rmtree(folder, ignore_errors=True)
        return
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--database-url must be a PostgreSQL URL (the default is a temporary SQLite file)")
    # Imported here: only a PostgreSQL run needs them.
    import dj_database_url
    import psycopg2

    server = dj_database_url.parse(url)
    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(
        dbname=server["NAME"],
        user=server["USER"],
        password=server["PASSWORD"],
        host=server["HOST"],
        port=server["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = url.rpartition("/")
    try:
        yield f"{base}/{name}", f"PostgreSQL (throwaway database {name})"
    finally:
        from django.db import connections

        connections.close_all()
        if keep:
            print(f"Kept the database {name}", file=sys.stderr)
        else:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def spawn(kind, units, args, workdir):
    command = [
        sys.executable,
        "-m",
        "bench.consolidation",
        "--child",
        kind,
        "--units",
        str(units),
        "--period",
        args.period,
        "--workdir",
        workdir,
    ]
    # Our own interpreter and module with arguments we built: no untrusted input.
    done = subprocess.run(  # noqa: S603
        command, cwd=BASE_DIR, env=os.environ.copy(), capture_output=True, text=True, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"the {kind} measurement at {units} units failed")
    return json.loads(lines[-1][len("RESULT ") :])


def measure(units, args, workdir):
    row = {"units": units}
    # Compile and floor alternate, so that both meet the same load on the machine.
    runs, floors = [], []
    for _ in range(args.repeat):
        runs.append(spawn("compile", units, args, workdir))
        floors.append(spawn("floor", units, args, workdir))
    queries = {run["queries"] for run in runs}
    if len(queries) != 1:
        print(f"warning: query counts differ between runs at {units} units: {sorted(queries)}", file=sys.stderr)
    best = min(runs, key=lambda run: run["compile_s"])
    row.update(best)
    row["rss_kib"] = max(run["rss_kib"] for run in runs)
    row["render_rss_sum_kib"] = max(sum(run["render_rss_kib"]) for run in runs)
    row["compile_runs_s"] = [run["compile_s"] for run in runs]
    row["floor_s"] = min(run["floor_s"] for run in floors)
    row["floor_runs_s"] = [run["floor_s"] for run in floors]
    row["floor_rss_kib"] = max(run["floor_rss_kib"] for run in floors)
    row["floor_cpu_s"] = min(run["floor_cpu_s"] for run in floors)
    row["floor_pages"] = floors[0]["floor_pages"]
    row["load_1min"] = max(run["load_1min"] for run in runs + floors)
    if row["floor_pages"] != row["pages"]:
        print(f"warning: the floor rendered {row['floor_pages']} pages, the compile {row['pages']}", file=sys.stderr)
    if not args.no_tracemalloc:
        row.update(spawn("tracemalloc", units, args, workdir))
    row.update({key: value for key, value in spawn("office", units, args, workdir).items() if key != "load_1min"})
    for kind in ("store", "download"):
        row.update({key: value for key, value in spawn(kind, units, args, workdir).items() if key != "load_1min"})
    row["ratio"] = row["compile_s"] / row["floor_s"]
    # The portal's own share of the compile: everything but WeasyPrint (job, document, template).
    row["own_s"] = row["job_s"] + row["document_s"] + row["html_s"]
    return row


def _cpu_model():
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def load_average_line(before, after):
    """The machine's load average before and after a bench run, as the benches print it."""
    shown = ", ".join
    return (
        f"Load average (1, 5, 15 min): before {shown(f'{value:.2f}' for value in before)}; "
        f"after {shown(f'{value:.2f}' for value in after)}"
    )


def _memory_total():
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"


def _versions():
    # Imported here: the parent reports the versions without setting Django up.
    import django
    import weasyprint

    return f"Python {platform.python_version()}, Django {django.get_version()}, WeasyPrint {weasyprint.__version__}"


def checks(rows, limit_kib):
    results = []
    largest = rows[-1]
    # Since the stored files (issue 12) the compile job no longer renders: the render job does, in a process of
    # its own, PDF, DOCX and XLSX. Its time is held to the same target against the three renderers alone; the
    # "compile" column still adds the PDF to the job in one process, as before, for comparison.
    renderers = largest["floor_s"] + largest["docx_s"] + largest["xlsx_s"]
    render_ratio = largest["store_s"] / renderers
    results.append(
        (
            f"the render job within {RATIO_TARGET}× of WeasyPrint's floor + DOCX + XLSX at {largest['units']} units",
            render_ratio <= RATIO_TARGET,
            f"{render_ratio:.3f}× ({largest['store_s']:.2f} s against {renderers:.2f} s); the compile job alone "
            f"{largest['job_s']:.2f} s; job + PDF {largest['ratio']:.3f}× of the floor",
        )
    )
    results.append(
        (
            f"the compile (job + PDF in parallel) within {PARALLEL_RATIO_TARGET}× of WeasyPrint's single-process "
            f"floor at {largest['units']} units",
            largest["ratio"] <= PARALLEL_RATIO_TARGET,
            f"{largest['ratio']:.3f}× ({largest['compile_s']:.2f} s against {largest['floor_s']:.2f} s; "
            f"{largest['render_processes']} render processes, {largest['render_jobs']} render jobs, their CPU "
            f"{' + '.join(f'{cpu:.1f}' for cpu in largest['render_cpu_s']) or '—'} s, this process's "
            f"{largest['pdf_cpu_s']:.1f} s, against the floor's {largest['floor_cpu_s']:.1f} s: CPU-time critical "
            f"path {_critical_path(largest) / largest['floor_cpu_s']:.2f}× of the floor's, what an idle machine "
            "would show)",
        )
    )
    if largest["render_processes"]:
        summed = largest["render_rss_sum_kib"]
        results.append(
            (
                f"the render processes' max RSS summed not above the single-process floor's at "
                f"{largest['units']} units",
                summed <= largest["floor_rss_kib"],
                f"{' + '.join(_mib(rss) for rss in largest['render_rss_kib'])} = {_mib(summed)} MiB against "
                f"{_mib(largest['floor_rss_kib'])} MiB; the compiling process itself {_mib(largest['rss_kib'])} MiB",
            )
        )
    queries = sorted({row["queries"] for row in rows})
    results.append(("queries constant in the number of units", len(queries) == 1, ", ".join(map(str, queries))))
    for key, label in (
        ("compile_s", "compile"),
        ("floor_s", "floor"),
        ("own_s", "compile without WeasyPrint (job + document + template)"),
    ):
        exponents = [
            math.log(later[key] / earlier[key]) / math.log(later["units"] / earlier["units"])
            for earlier, later in zip(rows, rows[1:], strict=False)
        ]
        results.append(
            (
                f"{label} time grows linearly or better (exponent ≤ {LINEAR_EXPONENT_LIMIT})",
                all(exponent <= LINEAR_EXPONENT_LIMIT for exponent in exponents),
                ", ".join(
                    f"{earlier['units']}→{later['units']}: {exponent:.2f}"
                    for earlier, later, exponent in zip(rows, rows[1:], exponents, strict=False)
                )
                or "one N only",
            )
        )
    slowest = max(max(row[f"download_{extension}_s"] for extension in ("pdf", "docx", "xlsx")) for row in rows)
    results.append(
        (
            "downloads serve the stored files without rendering, each under 1 s",
            slowest < 1,
            f"slowest {slowest * 1000:.0f} ms; the web process at "
            f"{_mib(max(row['rss_download_kib'] for row in rows))} MiB",
        )
    )
    worst = max(rows, key=lambda row: row["rss_kib"])
    results.append(
        (
            f"max RSS under CELERY_WORKER_MAX_MEMORY_PER_CHILD ({limit_kib:,} KiB)",
            all(row["rss_kib"] < limit_kib for row in rows),
            f"{worst['rss_kib']:,} KiB at {worst['units']} units",
        )
    )
    return results


def _mib(kib):
    return f"{kib / 1024:,.0f}"


def _critical_path(row):
    """CPU seconds of the busiest render process plus the compiling process's own share of the PDF."""
    return max(row["render_cpu_s"], default=0) + row["pdf_cpu_s"]


def _render_rss(row):
    """ "118 + 131 = 249" for the render processes of a compile in chunks, "—" for one rendered in its process."""
    if not row["render_rss_kib"]:
        return "—"
    return f"{' + '.join(_mib(rss) for rss in row['render_rss_kib'])} = {_mib(row['render_rss_sum_kib'])}"


def stored_table(rows):
    lines = [
        "| units | render job, PDF + DOCX + XLSX (s) | its max RSS (MiB) | download PDF / DOCX / XLSX (ms) "
        "| web process max RSS (MiB) |",
        "|---:|---:|---:|---|---:|",
    ]
    for row in rows:
        downloads = " / ".join(f"{row[f'download_{extension}_s'] * 1000:.0f}" for extension in ("pdf", "docx", "xlsx"))
        lines.append(
            f"| {row['units']:,} | {row['store_s']:.2f} | {_mib(row['rss_store_kib'])} | {downloads} "
            f"| {_mib(row['rss_download_kib'])} |"
        )
    return "\n".join(lines)


def table(rows):
    lines = [
        "| units | pages | compile (s) | job / document / PDF (s), of which template | floor (s) | ratio | queries "
        "| max RSS (MiB) | render processes' max RSS (MiB) | floor RSS (MiB) | tracemalloc peak (MiB) | DOCX (s) "
        "| XLSX (s) | load |",
        "|---:|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        peak = row.get("tracemalloc_peak_bytes")
        lines.append(
            f"| {row['units']:,} | {row['pages']:,} | {row['compile_s']:.2f} "
            f"| {row['job_s']:.2f} / {row['document_s']:.3f} / {row['pdf_s']:.2f}, {row['html_s']:.2f} "
            f"| {row['floor_s']:.2f} "
            f"| {row['ratio']:.3f} | {row['queries']} | {_mib(row['rss_kib'])} | {_render_rss(row)} "
            f"| {_mib(row['floor_rss_kib'])} "
            f"| {'—' if peak is None else f'{peak / 2**20:,.0f}'} | {row['docx_s']:.2f} | {row['xlsx_s']:.2f} "
            f"| {row['load_1min']:.2f} |"
        )
    return "\n".join(lines)


def run_parent(args):
    started_at = datetime.datetime.now().astimezone()
    load_before = os.getloadavg()
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    with (
        throwaway_database(args.database_url, keep=args.keep) as (url, database),
        tempfile.TemporaryDirectory(prefix="bench-html-") as workdir,
    ):
        os.environ["DATABASE_URL"] = url
        # The stored files of the children go to the run's own folder, removed with it.
        os.environ["PORTAL_PRIVATE_STORAGE"] = workdir
        _setup_django()
        # Imported here: Django is set up (_setup_django) for the seeding only.
        from django.conf import settings
        from django.core.management import call_command

        from campaign.plan_loader import load_plan
        from demo.scale import seed_scale

        call_command("migrate", verbosity=0, interactive=False)
        load_plan()
        rows = []
        for units in sorted(set(args.units)):
            seeding = time.perf_counter()
            seed_scale(units=units, period_codes=[args.period])
            seeded_s = time.perf_counter() - seeding
            print(f"… {units} units seeded in {seeded_s:.1f} s; measuring", file=sys.stderr, flush=True)
            row = measure(units, args, workdir)
            row["seed_s"] = seeded_s
            rows.append(row)
            if args.json:  # after every N, so that an interrupted run keeps what it measured
                Path(args.json).write_text(json.dumps({"partial": True, "rows": rows}, indent=2), encoding="utf-8")
            print(
                f"… {units} units: compile {row['compile_s']:.2f} s, floor {row['floor_s']:.2f} s, "
                f"{row['pages']} pages, {row['queries']} queries",
                file=sys.stderr,
                flush=True,
            )
        limit_kib = settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
        versions = _versions()
    load_after = os.getloadavg()
    results = checks(rows, limit_kib)
    print(f"# Consolidated report compile — {started_at:%Y-%m-%d %H:%M %Z}\n")
    print(f"Command: DJANGO_DEBUG=1 .venv/bin/python -m bench.consolidation {' '.join(sys.argv[1:])}")
    print(f"Database: {database}; period {args.period}; best of {args.repeat} run(s) per measurement")
    print(f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory_total()} RAM; {versions}")
    print(load_average_line(load_before, load_after) + "\n")
    print(table(rows) + "\n")
    print("Stored files (documents/stored.py): rendered once by the job, then served by the download views.\n")
    print(stored_table(rows) + "\n")
    for label, passed, detail in results:
        print(f"- {'PASS' if passed else 'MISS'} {label}: {detail}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "started_at": started_at.isoformat(),
                    "database": database,
                    "period": args.period,
                    "load_before": load_before,
                    "load_after": load_after,
                    "limit_kib": limit_kib,
                    "rows": rows,
                    "checks": [
                        {"label": label, "passed": passed, "detail": detail} for label, passed, detail in results
                    ],
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    return 0 if all(passed for _, passed, _ in results) else 1


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.consolidation", description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[10, 100, 1000], help="numbers of units")
    parser.add_argument("--period", default=DEFAULT_PERIOD, help=f"period compiled (default {DEFAULT_PERIOD})")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server to make a throwaway database on")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the compile and of the floor; best kept")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the (slow) tracemalloc run")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    parser.add_argument("--json", default="", help="also write the raw figures to this file")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse(argv)
    if args.child:
        return run_child(args)
    return run_parent(args)


if __name__ == "__main__":
    sys.exit(main())
