"""Benchmark of the ranking page at 1,000 units (issue 13, item 5; docs/benchmarks.md "Issue 13 — ranking page").

    DJANGO_DEBUG=1 .venv/bin/python -m bench.ranking [--units 1000] [--requests 9]

Against a throwaway SQLite database in a temporary folder (bench.consolidation.throwaway_database, or
`--database-url postgres://…`). It migrates, loads the plan, seeds N units with accepted 2025-FY reports
(`seed_scale`, demo/scale.py), opens the emulation year 2025 with an annual scheme that scores every criterion
(self-assessment levels), both indicators (proportional and all-or-nothing), timeliness and every automatic
adjustment, computes it through the service (`scheme_compute`, timed), publishes, records the council's review and
confirms it. Then, through Django's test client signed in as the Director, it requests each page `--requests` times
and reports the median wall time and the queries of one request:

- the year's ranking `/thi-dua/2025/xep-hang/?loai=annual` (every unit, with places and tie-break rules);
- its XLSX export `/thi-dua/2025/xep-hang/xlsx/?loai=annual`;
- the phase's ranking `/thi-dua/giai-doan/1/xep-hang/?loai=annual`.

The load average is printed with the figures: the machine may be shared (prefer an idle one).
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal

from bench.consolidation import _cpu_model, _memory_total
from bench.pages import bench_user, measure, migrated_database

PAGES = (
    ("Xếp hạng năm (HTML)", "/thi-dua/2025/xep-hang/?loai=annual"),
    ("Xếp hạng năm (XLSX)", "/thi-dua/2025/xep-hang/xlsx/?loai=annual"),
    ("Xếp hạng giai đoạn (HTML)", "/thi-dua/giai-doan/1/xep-hang/?loai=annual"),
)


def _scheme(year):
    """An annual scheme over every active criterion, both indicators, timeliness and the automatic adjustments."""
    # Imported here: Django is set up first (run).
    from campaign.models import Criterion, Indicator
    from emulation.models import SchemeAdjustment, SchemeItem, ScoringScheme

    scheme = ScoringScheme.objects.create(
        year=year,
        kind="annual",
        name="Bảng điểm thi đua năm 2025 (thử tải)",
        tie_break=["on_time", "fewer_deductions", "items_in_order", "unit_order"],
    )
    order = 0
    for criterion in Criterion.objects.active().select_related("group"):
        order += 1
        SchemeItem.objects.create(
            scheme=scheme,
            sort_order=order,
            label=criterion.short_label,
            basis="assessment",
            criterion=criterion,
            max_points=Decimal(8),
            level_points={"hoan-thanh-tot": "8", "hoan-thanh": "6", "chua-hoan-thanh": "2"},
        )
    for indicator in Indicator.objects.filter(is_active=True):
        for proportional in (True, False):
            order += 1
            SchemeItem.objects.create(
                scheme=scheme,
                sort_order=order,
                label=f"{indicator.name} ({'tỷ lệ' if proportional else 'đạt/không đạt'})",
                basis="indicator",
                indicator=indicator,
                proportional=proportional,
                max_points=Decimal(5),
            )
    SchemeItem.objects.create(
        scheme=scheme, sort_order=order + 1, label="Đúng hạn", basis="timeliness", max_points=10, late_points=4
    )
    for position, trigger in enumerate(("late_report", "returned_report", "no_registration"), start=1):
        SchemeAdjustment.objects.create(
            scheme=scheme, sort_order=position, kind="deduction", trigger=trigger, label=trigger, points=Decimal(2)
        )
    return scheme


def run(args):
    started_at = datetime.datetime.now().astimezone()
    with migrated_database(args.database_url) as database:
        # Imported here: Django is set up on the throwaway database first (migrated_database).
        from django.test import Client
        from django.utils import timezone

        from campaign.models import Campaign
        from demo.scale import seed_scale
        from emulation.models import EmulationYear
        from emulation.services import scoring
        from units.capabilities import Capability
        from units.models import Unit, User

        seeding = time.perf_counter()
        seed_scale(units=args.units, period_codes=["2025-FY"])
        print(f"… {args.units} units seeded in {time.perf_counter() - seeding:.1f} s", file=sys.stderr, flush=True)
        office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order").first()
        department = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
        reviewer = bench_user("bench.vanphong", office, Capability.OFFICE_REVIEWER, User.Position.STAFF)
        director = bench_user("bench.giamdoc", department, Capability.LEADERSHIP, User.Position.HEAD)
        year = EmulationYear.objects.create(campaign=Campaign.objects.get(), year=2025, created_by=reviewer)
        scheme = _scheme(year)
        computing = time.perf_counter()
        scores = scoring.scheme_compute(scheme=scheme, actor=reviewer)
        compute_s = time.perf_counter() - computing
        today = timezone.localdate()
        scoring.scheme_publish(scheme=scheme, actor=reviewer, explain_until=today)
        scoring.scheme_review(scheme=scheme, actor=reviewer, session_on=today, minutes="Thống nhất.")
        scoring.scheme_confirm(scheme=scheme, actor=director)
        client = Client()
        client.force_login(director)
        client.get(PAGES[0][1])  # warm the templates and the session
        rows = [(label, path, *measure(client, path, args.requests)) for label, path in PAGES]
        load = os.getloadavg()

    print(f"\n{len(scores)} đơn vị có điểm ({args.units} đơn vị thử tải và các đơn vị của Kế hoạch); {database}")
    print(f"Tính điểm (scheme_compute, một lần): {compute_s:.2f} s\n")
    print("| Trang | Trung vị | Nhanh nhất | Truy vấn | Kích thước |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, path, median, fastest, queries, size in rows:
        print(f"| {label} `{path}` | {median:.3f} s | {fastest:.3f} s | {queries} | {size / 1024:.0f} KiB |")
    print(
        f"\n{started_at:%d/%m/%Y %H:%M %Z}; {args.requests} requests each; machine: {_cpu_model()}, "
        f"{os.cpu_count()} cores, {_memory_total()} RAM; load average after: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=9)
    parser.add_argument("--database-url", default="")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
