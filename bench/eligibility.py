"""Benchmark of the award rules over a whole round (issue 14, item 6; docs/benchmarks.md "Issue 14 — eligibility").

    DJANGO_DEBUG=1 .venv/bin/python -m bench.eligibility [--nominations 1000] [--years 10] [--repeat 5]

Against a throwaway SQLite database (bench.consolidation.throwaway_database, or `--database-url postgres://…`). It
migrates and loads the plan (the catalogue with its rules), then seeds, with bulk inserts, 40 units of 25 people
each (1,000 people), each with `--years` years of record before the round's year: a classification every year, Lao
động tiên tiến most years and Chiến sĩ thi đua cơ sở in runs of one to four years (the award register), an initiative
now and then and a reprimand for a few; then one annual round of the last year with 1,000 submitted nominations
— individuals for Lao động tiên tiến, Chiến sĩ thi đua cơ sở and Chiến sĩ thi đua cấp tỉnh, and the 40 units for
the collective titles. It measures `awards.services.rules.evaluate` over the round's nominations (`--repeat` runs:
median, fastest) and the number of queries of one run, which must not grow with the nominations or the years.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections import Counter

from bench.consolidation import _cpu_model, _memory_total, throwaway_database

UNITS = 40
PEOPLE_PER_UNIT = 25
INDIVIDUAL_FORMS = ("lao-dong-tien-tien", "chien-si-thi-dua-co-so", "chien-si-thi-dua-cap-tinh")
COLLECTIVE_FORMS = ("tap-the-lao-dong-tien-tien", "tap-the-lao-dong-xuat-sac")


def _seed(nominations, years):
    """The units, people, records and the round: returns the round's nominations, with what evaluate() reads."""
    # Imported here: Django is set up first (run).
    from django.utils import timezone

    from awards.models import (
        AwardForm,
        AwardRecord,
        AwardRound,
        ClassificationRecord,
        Discipline,
        DisciplineKind,
        Initiative,
        InitiativeScope,
        Nomination,
        RecordSource,
        RoundForm,
    )
    from campaign.models import Campaign
    from emulation.models import Classification
    from units.models import Person, Unit, User

    campaign = Campaign.objects.get()
    department = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    author = User.objects.create(username="bench.vanphong", full_name="Văn phòng", unit=department)
    last = timezone.localdate().year - 1
    first = last - years + 1
    units = Unit.objects.bulk_create(
        Unit(
            code=f"BE{number:03d}",
            name=f"Phòng thử tải {number}",
            kind=Unit.Kind.DIVISION,
            parent=department,
            sort_order=1000 + number,
        )
        for number in range(UNITS)
    )
    people = Person.objects.bulk_create(
        Person(full_name=f"Cán bộ {unit.code}-{number:02d}", unit=unit)
        for unit in units
        for number in range(PEOPLE_PER_UNIT)
    )
    forms = {form.code: form for form in AwardForm.objects.all()}
    records, classifications, initiatives, disciplines = [], [], [], []
    for index, person in enumerate(people):
        for year in range(first, last + 1):
            offset = year - first
            classifications.append(
                ClassificationRecord(
                    person=person, year=year, classification=Classification.GOOD, source=RecordSource.IMPORTED
                )
            )
            held = ["lao-dong-tien-tien"] if (index + offset) % 7 else []
            if (index + offset) % 5 in (0, 1, 2) and held:
                held.append("chien-si-thi-dua-co-so")
            for code in held:
                records.append(
                    AwardRecord(
                        year=year,
                        form=forms[code],
                        form_name=forms[code].name,
                        recipient_kind="individual",
                        recipient_name=person.full_name,
                        person=person,
                        unit_name=person.unit.name,
                        decision_number=f"{index}/QĐ-SKHCN",
                        source=AwardRecord.Source.IMPORTED,
                    )
                )
        if index % 9 == 0:
            initiatives.append(
                Initiative(
                    person=person,
                    title=f"Sáng kiến {index}",
                    year=last - index % 3,
                    recognised_by="Sở KH&CN",
                    scope=InitiativeScope.PROVINCE if index % 2 else InitiativeScope.BASE,
                )
            )
        if index % 97 == 0:
            disciplines.append(
                Discipline(
                    person=person,
                    kind=DisciplineKind.REPRIMAND,
                    start_on=datetime.date(last, 3, 1),
                    end_on=datetime.date(last + 1, 2, 28),
                )
            )
    AwardRecord.objects.bulk_create(records, batch_size=2000)
    ClassificationRecord.objects.bulk_create(classifications, batch_size=2000)
    Initiative.objects.bulk_create(initiatives)
    Discipline.objects.bulk_create(disciplines)
    award_round = AwardRound.objects.create(
        campaign=campaign,
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {last} (thử tải)",
        year=last,
        deadline=timezone.localdate(),
        status=AwardRound.Status.CLOSED,
        created_by=author,
    )
    RoundForm.objects.bulk_create(
        RoundForm(round=award_round, form=forms[code]) for code in (*INDIVIDUAL_FORMS, *COLLECTIVE_FORMS)
    )
    rows = []
    for unit in units:
        for code in COLLECTIVE_FORMS:
            rows.append(
                Nomination(
                    round=award_round,
                    form=forms[code],
                    unit=unit,
                    nominee_kind="collective",
                    nominee_unit=unit,
                    status=Nomination.Status.SUBMITTED,
                    nominee_name=unit.name,
                    nominee_unit_name=unit.name,
                    created_by=author,
                )
            )
    for index, person in enumerate(people):
        if len(rows) >= nominations:
            break
        code = INDIVIDUAL_FORMS[index % len(INDIVIDUAL_FORMS)]
        rows.append(
            Nomination(
                round=award_round,
                form=forms[code],
                unit=person.unit,
                nominee_kind="individual",
                person=person,
                status=Nomination.Status.SUBMITTED,
                nominee_name=person.full_name,
                nominee_unit_name=person.unit.name,
                created_by=author,
            )
        )
    Nomination.objects.bulk_create(rows[:nominations])
    return award_round, len(records) + len(classifications) + len(initiatives) + len(disciplines)


def run(args):
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    started_at = datetime.datetime.now().astimezone()
    with throwaway_database(args.database_url, keep=False) as (url, database):
        os.environ["DATABASE_URL"] = url
        # Imported here: the process's environment (DATABASE_URL, DJANGO_DEBUG) is set first.
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from awards.models import Nomination
        from awards.services import rules
        from campaign.plan_loader import load_plan

        call_command("migrate", verbosity=0, interactive=False)
        load_plan()
        seeding = time.perf_counter()
        award_round, record_rows = _seed(args.nominations, args.years)
        print(f"… seeded in {time.perf_counter() - seeding:.1f} s", file=sys.stderr, flush=True)
        times, queries, results = [], None, {}
        for _ in range(args.repeat):
            nominations = list(Nomination.objects.filter(round=award_round).select_related("form", "round"))
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                results = rules.evaluate(nominations)
            times.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        # Read while the database still exists (the rules' forms are loaded lazily).
        evaluated = sum(len(found) for found in results.values())
        failing = sum(1 for found in results.values() if any(result.blocks for result in found))
        reasons = Counter(
            f"{result.rule.form.code}/{result.rule.code}"
            for found in results.values()
            for result in found
            if result.blocks
        )
        examples = {}
        for found in results.values():
            for result in found:
                if result.blocks:
                    examples.setdefault(f"{result.rule.form.code}/{result.rule.code}", result.message)
        load = os.getloadavg()
    print(f"\n{len(results)} đề nghị, {record_rows} dòng hồ sơ trong {args.years} năm; {database}")
    print(f"{evaluated} kết quả điều kiện; {failing} đề nghị có điều kiện không đạt")
    print("Điều kiện không đạt nhiều nhất: " + ", ".join(f"{code} ({count})" for code, count in reasons.most_common(6)))
    if args.explain:
        for code, message in examples.items():
            print(f"- {code}: {message}")
    print()
    print("| Đo | Trung vị | Nhanh nhất | Truy vấn |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| rules.evaluate(cả đợt) | {statistics.median(times):.3f} s | {min(times):.3f} s | {queries} |")
    print(
        f"\n{started_at:%d/%m/%Y %H:%M %Z}; {args.repeat} runs; machine: {_cpu_model()}, {os.cpu_count()} cores, "
        f"{_memory_total()} RAM; load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nominations", type=int, default=1000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--explain", action="store_true", help="print one failing result of each rule")
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
