"""Benchmark of the emulation lists, the register of outgoing documents and the overview's lists against Django's
admin list of the same rows (issue 17, item 3).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.lists_emulation [--units 1000] [--requests 15] [--documents 3000]
        [--database-url postgres://…] [--only WORD …]

Against a throwaway SQLite database in a temporary folder (bench.consolidation.throwaway_database, or
`--database-url postgres://…`, a new database on that server, dropped at the end). It migrates, loads the plan,
seeds N units with accepted 2025-FY reports (`seed_scale`, demo/scale.py) and the 2025 emulation year: registrations,
three people and an assessment per unit, a confirmed annual scheme with every unit's score, and `--documents`
entries of the 2025 register (`seed_emulation_scale`, demo/scale_emulation.py). Then, through Django's test client,
it requests each list and the admin changelist of the same model and filter alternately (bench.pages.alternate),
`--requests` times each:

- the year's registrations `/thi-dua/2025/dang-ky/` (office) — admin `registration/?year__id__exact=<id>`;
- the year's assessments `/thi-dua/2025/binh-xet/` (office) — admin `assessment/?year__id__exact=<id>`;
- the year's ranking, the phase's ranking and the scheme's scores (leadership) — admin
  `unitscore/?scheme__id__exact=<id>`;
- the register `/so-van-ban-di/?nam=2025` (office) — admin `outgoingdocument/?year__exact=2025`;
- the overview's unit × criterion grid and an indicator's units for 2025-FY (leadership) — admin
  `unitreport/?period__id__exact=<id>` (the period's reports, one row per unit);

and prints each one's median and fastest wall time, queries and size, and the ratio of the medians (list / admin;
the target is ≤ 1.0); beside them, alternating too, the same list filtered to no row (?q= matching nothing): what
the page costs whatever its rows (the menu and its waiting list, the counts over the whole set). The exports (the
ranking's and the grid's xlsx: every unit) are timed too, for the record. The load average is printed with the
figures: the machine may be shared (prefer an idle one). `--without-waiting` leaves the menu's waiting list
(overview/waiting.py, every signed-in page) out, to tell the lists' own cost from that of every page.
"""

import argparse
import datetime
import sys
import time

from bench.pages import alternate, bench_user, machine_line, measure, migrated_database

PERIOD = "2025-FY"
NO_MATCH = "khong-khop-don-vi-nao"
YEAR = 2025


def run(args):
    started_at = datetime.datetime.now().astimezone()
    with migrated_database(args.database_url) as database:
        # Imported here: Django is set up on the throwaway database first (migrated_database).
        from django.test import Client

        from campaign.models import Indicator, Phase, ReportingPeriod
        from demo.scale import seed_scale
        from demo.scale_emulation import seed_emulation_scale
        from emulation.models import EmulationYear, ScoringScheme
        from units.capabilities import Capability
        from units.models import Unit, User

        if args.without_waiting:
            # The menu's waiting list (overview/waiting.py) left out of every page: what the lists cost without it.
            from overview import waiting

            waiting.waiting_items = lambda user, today=None: []
        seeding = time.perf_counter()
        seed_scale(units=args.units, period_codes=[PERIOD])
        made = seed_emulation_scale(year=YEAR, documents=args.documents)
        print(f"… {args.units} units seeded ({made}) in {time.perf_counter() - seeding:.1f} s", file=sys.stderr)
        office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order").first()
        reviewer = bench_user("bench.vanphong", office, Capability.OFFICE_REVIEWER, User.Position.STAFF)
        leader = bench_user("bench.lanhdao", office, Capability.LEADERSHIP, User.Position.HEAD)
        administrator, _ = User.objects.get_or_create(
            username="bench.admin",
            defaults={"full_name": "bench.admin", "is_staff": True, "is_superuser": True, "unit": office},
        )
        year = EmulationYear.objects.get(year=YEAR)
        scheme = ScoringScheme.objects.get(year=year, kind=ScoringScheme.Kind.ANNUAL)
        period = ReportingPeriod.objects.get(code=PERIOD)
        phase = Phase.objects.get(start_year__lte=YEAR, end_year__gte=YEAR)
        indicator = Indicator.objects.filter(is_active=True).order_by("pk").first()
        office_client, leader_client, admin_client = Client(), Client(), Client()
        office_client.force_login(reviewer)
        leader_client.force_login(leader)
        admin_client.force_login(administrator)
        scores_admin = f"/admin/emulation/unitscore/?scheme__id__exact={scheme.pk}"
        reports_admin = f"/admin/reports/unitreport/?period__id__exact={period.pk}"
        scope = f"giai_doan={phase.number}&ky={PERIOD}"
        pairs = {
            "Đăng ký thi đua của năm": (
                (office_client, f"/thi-dua/{YEAR}/dang-ky/"),
                f"/admin/emulation/registration/?year__id__exact={year.pk}",
            ),
            "Bình xét cuối năm": (
                (office_client, f"/thi-dua/{YEAR}/binh-xet/"),
                f"/admin/emulation/assessment/?year__id__exact={year.pk}",
            ),
            "Xếp hạng năm": ((leader_client, f"/thi-dua/{YEAR}/xep-hang/?loai=annual"), scores_admin),
            "Xếp hạng giai đoạn": (
                (leader_client, f"/thi-dua/giai-doan/{phase.number}/xep-hang/?loai=annual"),
                scores_admin,
            ),
            "Bảng điểm (điểm các đơn vị)": ((leader_client, f"/thi-dua/cham-diem/{scheme.pk}/"), scores_admin),
            "Sổ đăng ký văn bản đi": (
                (office_client, f"/so-van-ban-di/?nam={YEAR}"),
                f"/admin/documents/outgoingdocument/?year__exact={YEAR}",
            ),
            "Tổng quan: đơn vị × tiêu chí": ((leader_client, f"/tong-quan/don-vi-tieu-chi/?{scope}"), reports_admin),
            "Tổng quan: chỉ số theo đơn vị": (
                (leader_client, f"/tong-quan/chi-so/{indicator.code}/?{scope}"),
                reports_admin,
            ),
        }
        exports = {
            "Xếp hạng năm (XLSX, mọi đơn vị)": (leader_client, f"/thi-dua/{YEAR}/xep-hang/xlsx/?loai=annual"),
            "Đơn vị × tiêu chí (XLSX, mọi đơn vị)": (leader_client, f"/tong-quan/don-vi-tieu-chi/xlsx/?{scope}"),
        }
        chosen = [label for label in pairs if not args.only or any(word in label for word in args.only)]
        results = []
        for label in chosen:
            (client, path), admin = pairs[label]
            for warm_client, warm_path in ((client, path), (admin_client, admin)):
                measure(warm_client, warm_path, 2)  # warm the templates, the session and the caches
            # The same page filtered to no row: what the page costs before its rows (the menu, its waiting list,
            # the counts over the whole set) — the overview's pages have no such filter.
            floor = None if path.startswith("/tong-quan/") else f"{path}{'&' if '?' in path else '?'}q={NO_MATCH}"
            trio = [(client, path), (admin_client, admin)] + ([(client, floor)] if floor else [])
            figures = alternate(trio, args.requests)
            results.append((label, path, figures[path], admin, figures[admin], figures.get(floor)))
            print(f"… {label}: {figures[path][0] / figures[admin][0]:.2f}", file=sys.stderr, flush=True)
        exported = []
        if not args.only:
            for label, (client, path) in exports.items():
                measure(client, path, 1)
                exported.append((label, path, measure(client, path, max(3, args.requests // 3))))

    without = " — KHÔNG có danh sách việc chờ của menu (--without-waiting)" if args.without_waiting else ""
    print(f"\n{args.units} đơn vị thử tải, năm {YEAR}, kỳ {PERIOD}, {made}; {database}{without}\n")
    print(
        "| Danh sách | Trung vị | Nhanh nhất | Truy vấn | Kích thước | Admin (trung vị, truy vấn) | Tỷ lệ "
        "| Lọc không còn dòng (trung vị) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, path, (median, fastest, queries, size), _admin, (admin_median, _, admin_queries, _), floor in results:
        print(
            f"| {label} `{path}` | {median * 1000:.1f} ms | {fastest * 1000:.1f} ms | {queries} | {size / 1024:.0f} KiB"
            f" | {admin_median * 1000:.1f} ms, {admin_queries} | {median / admin_median:.2f} "
            f"| {f'{floor[0] * 1000:.1f} ms' if floor else ''} |"
        )
    for label, path, (median, fastest, queries, size) in exported:
        print(
            f"| {label} `{path}` | {median * 1000:.1f} ms | {fastest * 1000:.1f} ms | {queries} | {size / 1024:.0f} KiB"
            " | | | |"
        )
    print("\nTỷ lệ = trung vị danh sách / trung vị admin changelist cùng bộ lọc (mục tiêu ≤ 1,00).")
    print("Lọc không còn dòng: cùng trang với ?q= không khớp đơn vị nào — phần của trang không phụ thuộc số dòng.")
    print(f"\n{machine_line(started_at, args.requests)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=3000, help="entries of the year's register")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", nargs="*", default=[], help="measure only the lists whose label holds a word")
    parser.add_argument(
        "--without-waiting",
        action="store_true",
        help="leave the menu's waiting list (overview/waiting.py) out of every page, to see what the lists cost",
    )
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
