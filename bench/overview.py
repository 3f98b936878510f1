"""Benchmark of the overview (Tổng quan) at 1,000 units and 18 periods (issue 15, item 6; docs/benchmarks.md).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.overview [--units 1000] [--requests 9] [--database-url postgres://…]

Against a throwaway SQLite database in a temporary folder (bench.consolidation.throwaway_database, or
`--database-url postgres://…`). The clock of the process is set to 15/01/2031 10:00 (Asia/Ho_Chi_Minh), after
the last period of the plan, so that every period has begun and its due date has passed. It migrates, loads the
plan, seeds N units with an accepted report on each of the 18 half-year and annual periods 2022-H1 … 2030-FY
(`seed_scale`, demo/scale.py: every criterion, both indicators' quantities), and confirms a campaign scoring scheme
for 2025 scored on every criterion through the scoring service. Then, through Django's test client signed in as
the Director, it requests each page `--requests` times and prints the median and fastest server time (the request
handled in the process: views, queries, templates — no network) and the queries of one request, after the
time of a first request with the cache emptied (the overview keeps the sums over each period's accepted reports
in Django's cache under a version of those reports, so the first request after a change reads them again):

- the overview over every phase (20 periods: 18 seeded, the two phase reviews with none);
- the overview of phase 2;
- its XLSX (every table);
- the unit × criterion grid (its first page of 100 units) and an indicator's units (first page);
- a unit's page over every phase.

Target (issue 15): under 300 ms at the median for the overview and the unit page, queries constant in units and
periods (also pinned by tests/overview/test_overview_queries.py). The load average is printed with the figures.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from unittest import mock

from bench.consolidation import _cpu_model, _memory_total
from bench.pages import bench_user, measure, migrated_database

FROZEN = datetime.datetime(2031, 1, 15, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Quảng Ngãi
PERIODS = [f"{year}-{half}" for year in range(2022, 2031) for half in ("H1", "FY")]
TARGET_S = 0.300


def pages(unit_pk):
    everything = "giai_doan=tat-ca&ky=2030-FY"
    return (
        ("Tổng quan, mọi giai đoạn (HTML)", f"/tong-quan/?{everything}", True),
        ("Tổng quan, giai đoạn 2 (HTML)", "/tong-quan/?giai_doan=2&ky=2030-FY", True),
        ("Tổng quan, mọi giai đoạn (XLSX)", f"/tong-quan/xlsx/?{everything}", False),
        ("Đơn vị × tiêu chí, trang 1", f"/tong-quan/don-vi-tieu-chi/?{everything}", False),
        ("Chỉ số giải ngân, từng đơn vị, trang 1", f"/tong-quan/chi-so/disbursement-rate/?{everything}", False),
        ("Trang đơn vị, mọi giai đoạn (HTML)", f"/tong-quan/don-vi/{unit_pk}/?giai_doan=tat-ca", True),
    )


def _confirmed_campaign_scheme(reviewer, director):
    """2025's campaign scheme scoring every active criterion by the self-assessment, computed and confirmed."""
    # Imported here: Django is set up first (run).
    from django.utils import timezone

    from campaign.models import Campaign, Criterion
    from emulation.models import EmulationYear, SchemeItem, ScoringScheme
    from emulation.services import scoring

    year = EmulationYear.objects.create(campaign=Campaign.objects.get(), year=2025, created_by=reviewer)
    scheme = ScoringScheme.objects.create(
        year=year, kind="campaign", name="Bảng điểm Phong trào năm 2025 (thử tải)", tie_break=["unit_order"]
    )
    for order, criterion in enumerate(Criterion.objects.active().select_related("group"), start=1):
        SchemeItem.objects.create(
            scheme=scheme,
            sort_order=order,
            label=criterion.short_label,
            basis="assessment",
            criterion=criterion,
            max_points=Decimal(10),
            level_points={"hoan-thanh-tot": "10", "hoan-thanh": "8", "chua-hoan-thanh": "3"},
        )
    scoring.scheme_compute(scheme=scheme, actor=reviewer)
    today = timezone.localdate()
    scoring.scheme_publish(scheme=scheme, actor=reviewer, explain_until=today)
    scoring.scheme_review(scheme=scheme, actor=reviewer, session_on=today, minutes="Thống nhất.")
    scoring.scheme_confirm(scheme=scheme, actor=director)


def _measure(client, path, requests):
    """A first request with the cache emptied, then `requests` more: (first s, median s, fastest s, queries, bytes)."""
    # Imported here: Django is set up first (run).
    from django.core.cache import cache

    # The first request after a change reads the sums again (overview/selectors.py keeps them per period).
    cache.clear()
    started = time.perf_counter()
    client.get(path)
    cold = time.perf_counter() - started
    return cold, *measure(client, path, requests)


def run(args):
    started_at = datetime.datetime.now().astimezone()
    with (
        mock.patch("django.utils.timezone.now", return_value=FROZEN),
        migrated_database(args.database_url) as database,
    ):
        # Imported here: Django is set up on the throwaway database first (migrated_database).
        from django.test import Client

        from demo.scale import SCALE_PREFIX, seed_scale
        from reports.models import CriterionResult, UnitReport
        from units.capabilities import Capability
        from units.models import Unit, User

        seeding = time.perf_counter()
        seed_scale(units=args.units, period_codes=PERIODS)
        seed_s = time.perf_counter() - seeding
        print(f"… {args.units} units × {len(PERIODS)} periods seeded in {seed_s:.1f} s", file=sys.stderr, flush=True)
        office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order").first()
        department = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
        reviewer = bench_user("bench.vanphong", office, Capability.OFFICE_REVIEWER, User.Position.STAFF)
        director = bench_user("bench.giamdoc", department, Capability.LEADERSHIP, User.Position.HEAD)
        _confirmed_campaign_scheme(reviewer, director)
        reports, results = UnitReport.objects.count(), CriterionResult.objects.count()
        unit = Unit.objects.filter(code__startswith=SCALE_PREFIX).order_by("code").first()
        client = Client()
        client.force_login(director)
        measured = pages(unit.pk)
        client.get(measured[0][1])  # warm the templates and the session
        rows = [(label, path, target, *_measure(client, path, args.requests)) for label, path, target in measured]
        load = os.getloadavg()

    print(
        f"\n{args.units} đơn vị thử tải × {len(PERIODS)} kỳ: {reports} báo cáo, {results} kết quả theo tiêu chí; "
        f"{database}"
    )
    print(f"Tạo dữ liệu (seed_scale): {seed_s:.1f} s\n")
    print("| Trang | Lần đầu (bộ nhớ đệm trống) | Trung vị | Nhanh nhất | Truy vấn | Kích thước |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    missed = []
    for label, path, target, cold, median, fastest, queries, size in rows:
        print(
            f"| {label} `{path}` | {cold:.3f} s | {median:.3f} s | {fastest:.3f} s | {queries} | "
            f"{size / 1024:.0f} KiB |"
        )
        if target and median > TARGET_S:
            missed.append(label)
    print(
        f"\n{started_at:%d/%m/%Y %H:%M %Z}; {args.requests} requests each; machine: {_cpu_model()}, "
        f"{os.cpu_count()} cores, {_memory_total()} RAM; load average after: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if missed:
        print(f"Over {TARGET_S * 1000:.0f} ms at the median: {', '.join(missed)}")
        return 1
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=9)
    parser.add_argument("--database-url", default="")
    sys.exit(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
