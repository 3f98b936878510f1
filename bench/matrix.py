"""Benchmark of the status matrix against Django's admin list of the same period's unit reports (issue 17, item 3).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.matrix [--units 1000] [--requests 15] [--database-url postgres://…]

Against a throwaway SQLite database in a temporary folder (bench.consolidation.throwaway_database, or
`--database-url postgres://…`). It migrates, loads the plan and seeds N units with accepted 2025-FY reports
(`seed_scale`, demo/scale.py). Then, through Django's test client, it requests alternately

- the matrix `/reports/matrix/?period=2025-FY` as an office reviewer (first page, counts over every unit), and
- the admin changelist `/admin/reports/unitreport/?period__id__exact=<id>` as an administrator,

`--requests` times each, and prints each one's median and fastest wall time, queries and size, and the ratio of the
medians (matrix / admin; the target is ≤ 1.0). The matrix's xlsx (every unit) is timed too, for the record.
The load average is printed with the figures: the machine may be shared (prefer an idle one).
"""

import argparse
import datetime
import sys
import time

from bench.pages import alternate, bench_user, machine_line, measure, migrated_database

PERIOD = "2025-FY"


def run(args):
    started_at = datetime.datetime.now().astimezone()
    with migrated_database(args.database_url) as database:
        # Imported here: Django is set up on the throwaway database first (migrated_database).
        from django.test import Client

        from campaign.models import ReportingPeriod
        from demo.scale import seed_scale
        from units.capabilities import Capability
        from units.models import Unit, User

        seeding = time.perf_counter()
        seed_scale(units=args.units, period_codes=[PERIOD])
        print(f"… {args.units} units seeded in {time.perf_counter() - seeding:.1f} s", file=sys.stderr, flush=True)
        office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order").first()
        reviewer = bench_user("bench.vanphong", office, Capability.OFFICE_REVIEWER, User.Position.STAFF)
        administrator, _ = User.objects.get_or_create(
            username="bench.admin",
            defaults={"full_name": "bench.admin", "is_staff": True, "is_superuser": True, "unit": office},
        )
        period = ReportingPeriod.objects.get(code=PERIOD)
        office_client, admin_client = Client(), Client()
        office_client.force_login(reviewer)
        admin_client.force_login(administrator)
        matrix = f"/reports/matrix/?period={PERIOD}"
        admin = f"/admin/reports/unitreport/?period__id__exact={period.pk}"
        xlsx = f"/reports/matrix.xlsx?period={PERIOD}"
        for client, path in ((office_client, matrix), (admin_client, admin), (office_client, xlsx)):
            measure(client, path, 2)  # warm the templates, the session and the caches
        figures = alternate([(office_client, matrix), (admin_client, admin)], args.requests)
        figures[xlsx] = measure(office_client, xlsx, max(3, args.requests // 3))

    print(f"\n{args.units} đơn vị thử tải, kỳ {PERIOD}; {database}\n")
    print("| Trang | Trung vị | Nhanh nhất | Truy vấn | Kích thước |")
    print("| --- | ---: | ---: | ---: | ---: |")
    labels = {matrix: "Bảng theo dõi (trang 1)", admin: "Admin changelist UnitReport", xlsx: "Bảng theo dõi (XLSX)"}
    for path, (median, fastest, queries, size) in figures.items():
        print(
            f"| {labels[path]} `{path}` | {median * 1000:.1f} ms | {fastest * 1000:.1f} ms | {queries} | "
            f"{size / 1024:.0f} KiB |"
        )
    ratio = figures[matrix][0] / figures[admin][0]
    print(f"\nTỷ lệ trung vị bảng theo dõi / admin: {ratio:.2f} (mục tiêu ≤ 1,00)")
    print(f"\n{machine_line(started_at, args.requests)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database-url", default="")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
