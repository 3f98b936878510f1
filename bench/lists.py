"""Benchmark of the awards lists against Django's admin list of the same rows (issue 17, item 3).

    DJANGO_DEBUG=1 .venv/bin/python -m bench.lists [--units 1000] [--people 3] [--requests 15] [--database-url postgres://…]

Against a throwaway SQLite database in a temporary folder (bench.consolidation.throwaway_database, or
`--database-url postgres://…`, a new database on that server, dropped at the end). It migrates, loads the plan and
seeds N units with `--people` people each, a closed round of this year with one sent Lao động tiên tiến nomination
per person (under public notice) and three years of register, one record per person and year (`seed_awards`,
demo/scale_awards.py; 1,000 units give 3,000 nominations and 9,000 register rows). Then, through Django's test
client, it requests each list and the admin changelist of the same model and filter alternately
(bench.pages.alternate), `--requests` times each:

- the office's nominations list `/awards/?round=<id>` (office reviewer) — admin `nomination/?round__id__exact=<id>`;
- leadership's approvals `/awards/approvals/?round=<id>` — admin `nomination/?round__id__exact=<id>&status__exact=
  recommended`;
- the register `/awards/so-khen-thuong/?year=<last year>` (office reviewer) — admin `awardrecord/?year__exact=<year>`;
- the public list of a year's awards `/cong-khai/khen-thuong/?nam=<year>` (anonymous) — the same admin list;
- the public notice `/cong-khai/cong-khai-de-nghi/` (anonymous) — admin `nomination/?round__id__exact=<id>`;

and prints each one's median and fastest wall time, queries and size, and the ratio of the medians (list / admin;
the target is ≤ 1.0). The exports (the register's xlsx, the public year's CSV: every matching row) are timed too,
for the record, and so is the floor of a signed-in page (the round list: a handful of rows under the same session,
menu and waiting counts as every signed-in list, which the admin does not carry). The public pages' rate limit is
lifted for the run (PUBLIC_RATE_LIMIT_PAGES). The load average is printed with the figures: the machine may be
shared (prefer an idle one).
"""

import argparse
import datetime
import os
import sys
import time

from bench.pages import alternate, bench_user, machine_line, measure, migrated_database


def run(args):
    started_at = datetime.datetime.now().astimezone()
    os.environ["PUBLIC_RATE_LIMIT_PAGES"] = "1000000"
    with migrated_database(args.database_url) as database:
        # Imported here: Django is set up on the throwaway database first (migrated_database).
        from django.test import Client
        from django.utils import timezone

        from awards.models import AwardRound
        from demo.scale_awards import ROUND_SUFFIX, seed_awards
        from units.capabilities import Capability
        from units.models import Unit, User

        seeding = time.perf_counter()
        made = seed_awards(units=args.units, people_per_unit=args.people)
        print(f"… {args.units} units seeded ({made}) in {time.perf_counter() - seeding:.1f} s", file=sys.stderr)
        office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order").first()
        reviewer = bench_user("bench.vanphong", office, Capability.OFFICE_REVIEWER, User.Position.STAFF)
        leader = bench_user("bench.lanhdao", office, Capability.LEADERSHIP, User.Position.HEAD)
        administrator, _ = User.objects.get_or_create(
            username="bench.admin",
            defaults={"full_name": "bench.admin", "is_staff": True, "is_superuser": True, "unit": office},
        )
        award_round = AwardRound.objects.get(title__endswith=ROUND_SUFFIX)
        year = timezone.localdate().year - 1
        office_client, leader_client, admin_client, public_client = Client(), Client(), Client(), Client()
        office_client.force_login(reviewer)
        leader_client.force_login(leader)
        admin_client.force_login(administrator)
        nominations_admin = f"/admin/awards/nomination/?round__id__exact={award_round.pk}"
        records_admin = f"/admin/awards/awardrecord/?year__exact={year}"
        pairs = {
            "Đề nghị khen thưởng (Văn phòng)": ((office_client, f"/awards/?round={award_round.pk}"), nominations_admin),
            "Trình lãnh đạo quyết định": (
                (leader_client, f"/awards/approvals/?round={award_round.pk}"),
                f"{nominations_admin}&status__exact=recommended",
            ),
            "Sổ theo dõi khen thưởng": ((office_client, f"/awards/so-khen-thuong/?year={year}"), records_admin),
            "Khen thưởng công khai theo năm": ((public_client, f"/cong-khai/khen-thuong/?nam={year}"), records_admin),
            "Danh sách công khai đề nghị": ((public_client, "/cong-khai/cong-khai-de-nghi/"), nominations_admin),
        }
        exports = {
            "Sổ theo dõi (XLSX, cả năm)": (office_client, f"/awards/so-khen-thuong/xuat-excel/?year={year}"),
            "Khen thưởng công khai (CSV, cả năm)": (
                public_client,
                f"/cong-khai/khen-thuong/tai-ve/?nam={year}&dinh_dang=csv",
            ),
        }
        chosen = [label for label in pairs if not args.only or any(word in label for word in args.only)]
        results = []
        for label in chosen:
            (client, path), admin = pairs[label]
            for warm_client, warm_path in ((client, path), (admin_client, admin)):
                measure(warm_client, warm_path, 2)  # warm the templates, the session and the caches
            figures = alternate([(client, path), (admin_client, admin)], args.requests)
            results.append((label, path, figures[path], admin, figures[admin]))
            print(f"… {label}: {figures[path][0] / figures[admin][0]:.2f}", file=sys.stderr, flush=True)
        # The floor of a signed-in page: the round list (a handful of rows) carries the same session, menu and waiting
        # counts as every list here (tests/query_budget.py), which the admin's pages do not.
        floor = measure(office_client, "/awards/rounds/", max(5, args.requests))
        exported = []
        if not args.only:
            for label, (client, path) in exports.items():
                measure(client, path, 1)
                exported.append((label, path, measure(client, path, max(3, args.requests // 3))))

    print(f"\n{args.units} đơn vị thử tải, {made}; {database}\n")
    print("| Danh sách | Trung vị | Nhanh nhất | Truy vấn | Kích thước | Admin (trung vị, truy vấn) | Tỷ lệ |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, path, (median, fastest, queries, size), _admin, (admin_median, _, admin_queries, _) in results:
        print(
            f"| {label} `{path}` | {median * 1000:.1f} ms | {fastest * 1000:.1f} ms | {queries} | {size / 1024:.0f} KiB"
            f" | {admin_median * 1000:.1f} ms, {admin_queries} | {median / admin_median:.2f} |"
        )
    for label, path, (median, fastest, queries, size) in exported:
        print(
            f"| {label} `{path}` | {median * 1000:.1f} ms | {fastest * 1000:.1f} ms | {queries} | {size / 1024:.0f} KiB"
            " | | |"
        )
    median, fastest, queries, size = floor
    print(
        f"| Sàn của một trang có menu: danh sách đợt xét `/awards/rounds/` | {median * 1000:.1f} ms | "
        f"{fastest * 1000:.1f} ms | {queries} | {size / 1024:.0f} KiB | | |"
    )
    print("\nTỷ lệ = trung vị danh sách / trung vị admin changelist cùng bộ lọc (mục tiêu ≤ 1,00).")
    print(f"\n{machine_line(started_at, args.requests)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--people", type=int, default=3, help="people per unit, each nominated once")
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--only", nargs="*", default=[], help="measure only the lists whose label holds a word")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
