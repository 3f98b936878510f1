"""What the menu's waiting list ("Việc chờ tôi", overview/waiting.py) costs each demo person, in CPU time and queries.

Every signed-in page builds it once for the menu's counts. The demo as `make run` loads it (awards included), on a
throwaway database; each person's list is built `--requests` times, the people in turn (a change in the machine's
load falls on all of them), and the median CPU time per build is printed with its queries and items.

    DJANGO_DEBUG=1 .venv/bin/python -m bench.waiting [--requests 200] [--database-url postgres://…]
"""

import argparse
import statistics
import time
from datetime import datetime

from bench.pages import machine_line, migrated_database

PEOPLE = ("vanphong", "giamdoc", "phogiamdoc", "truongphong.khtc", "canbo.qlkh")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None, help="a PostgreSQL server (default: SQLite)")
    args = parser.parse_args()
    started_at = datetime.now().astimezone()
    with migrated_database(args.database_url) as database:
        # Imported here: Django is set up on the throwaway database first.
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        from demo.data import load_demo
        from overview.waiting import waiting_items
        from units.models import User

        load_demo(awards=True, issued=True)
        people = {user.username: user for user in User.objects.select_related("unit").filter(username__in=PEOPLE)}
        times = {username: [] for username in PEOPLE}
        shape = {}
        for _ in range(args.requests):
            for username in PEOPLE:
                reset_queries()  # the query log keeps 9,000 at most
                started = time.process_time()
                with CaptureQueriesContext(connection) as captured:
                    items = waiting_items(people[username])
                times[username].append(time.process_time() - started)
                shape[username] = (len(captured.captured_queries), len(items))
        print(f"the menu's waiting list, demo on {database}")
        print(f"{'person':<20} {'median ms':>10} {'fastest ms':>11} {'queries':>8} {'items':>6}")
        for username in PEOPLE:
            queries, items = shape[username]
            median, fastest = statistics.median(times[username]) * 1000, min(times[username]) * 1000
            print(f"{username:<20} {median:>10.2f} {fastest:>11.2f} {queries:>8} {items:>6}")
        print(machine_line(started_at, args.requests))


if __name__ == "__main__":
    main()
