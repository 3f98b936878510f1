"""The record facts the award rules read (awards/services/rules.py), loaded in bulk for many nominations at once.

`load_facts(nominations, rules)` reads, in a fixed number of queries whatever the number of nominations, people and
years: the register's titles, the titles pending in the same rounds, the annual classifications (a confirmed
year-end assessment first, else the record's), the recognised initiatives, the discipline, the units' members of
each year, the accepted registrations and the figures of the quotas. The rules then only look things up here.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from emulation.models import Assessment, AssessmentEntry, Classification, RegisteredTitle, Registration
from units.models import Person

from .models import AwardForm, AwardRecord, ClassificationRecord, Discipline, Initiative, Membership, Nomination

# States of a nomination that no longer take a place of the quota, block a duplicate or count as pending.
TURNED_DOWN = (
    Nomination.Status.WITHDRAWN,
    Nomination.Status.NOT_RECOMMENDED,
    Nomination.Status.REJECTED,
    Nomination.Status.REFUSED_ABOVE,
)

# Classifications from the best; a rule's "at_least" admits its level and every level before it here.
CLASSIFICATION_ORDER = tuple(Classification.values)


def classification_at_least(value, minimum):
    return value in CLASSIFICATION_ORDER and CLASSIFICATION_ORDER.index(value) <= CLASSIFICATION_ORDER.index(minimum)


@dataclass
class Facts:
    """What the rules read, keyed for lookup; built by load_facts."""

    forms_by_code: dict = field(default_factory=dict)
    forms_by_id: dict = field(default_factory=dict)
    # ("person", id) or ("unit", id) → {year: [AwardRecord]}
    titles: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # (round id, subject) → {form id: [Nomination]} (not turned down)
    pending: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # subject → {year: (classification, label, url)}
    classifications: dict = field(default_factory=lambda: defaultdict(dict))
    initiatives: dict = field(default_factory=lambda: defaultdict(list))
    disciplines: dict = field(default_factory=lambda: defaultdict(list))
    # unit id → {year: [Person]}
    members: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # (subject, year) → {title code: RegisteredTitle}
    registrations: dict = field(default_factory=lambda: defaultdict(dict))
    # (form id, year) → [Nomination] sent and not turned down, every round of the year
    quota_taken: dict = field(default_factory=lambda: defaultdict(list))
    # (form id, year) → [AwardRecord] conferred outside the portal's nominations
    quota_conferred: dict = field(default_factory=lambda: defaultdict(list))
    # (form id, year) → {subject} holding or pending the form that year
    recognised: dict = field(default_factory=lambda: defaultdict(set))

    def records_of(self, subject, form, year):
        """The register's rows of `subject` for `form` in `year` (rows naming the form without linking it count)."""
        name = str(form).casefold()
        return [
            record
            for record in self.titles[subject].get(year, [])
            if record.form_id == form.pk or (record.form_id is None and record.form_name.casefold() == name)
        ]

    def pending_of(self, round_id, subject, form, *, exclude_pk=None):
        return [
            nomination
            for nomination in self.pending[(round_id, subject)].get(form.pk, [])
            if nomination.pk != exclude_pk
        ]


def subject_of(nomination):
    if nomination.nominee_kind == Nomination.NomineeKind.INDIVIDUAL:
        return ("person", nomination.person_id)
    return ("unit", nomination.nominee_unit_id)


def _span(rule, year):
    """The earliest year a rule looks back to for a nomination of `year` (its window read from its params)."""
    params = rule.params or {}
    back = 0
    if "times" in params:
        back = params["times"] + (1 if params.get("window_end") == "previous_year" else 0)
    if "years" in params:
        back = max(back, params["years"])
    return year - max(back, 1) + 1


def load_facts(nominations, rules_by_form):
    """The facts the rules of `rules_by_form` ({form id: [AwardRule]}) read for `nominations` (with round, form)."""
    facts = Facts()
    for form in AwardForm.objects.all():
        facts.forms_by_code[form.code] = form
        facts.forms_by_id[form.pk] = form
    if not nominations:
        return facts
    years = {nomination.round.year for nomination in nominations}
    first_year = min(
        [
            _span(rule, nomination.round.year)
            for nomination in nominations
            for rule in rules_by_form.get(nomination.form_id, [])
        ]
        or [min(years)]
    )
    last_year = max(years)
    round_ids = {nomination.round_id for nomination in nominations}
    person_ids = {nomination.person_id for nomination in nominations if nomination.person_id}
    unit_ids = {nomination.nominee_unit_id for nomination in nominations if nomination.nominee_unit_id}

    _load_members(facts, unit_ids, first_year, last_year)
    for by_year in facts.members.values():
        for people in by_year.values():
            person_ids.update(person.pk for person in people)

    _load_titles(facts, person_ids, unit_ids, first_year, last_year)
    _load_pending(facts, round_ids, person_ids, unit_ids)
    _load_classifications(facts, person_ids, unit_ids, first_year, last_year)
    _load_initiatives(facts, person_ids, first_year, last_year)
    _load_disciplines(facts, person_ids, first_year, last_year)
    _load_registrations(facts, person_ids, unit_ids, years)
    _load_quotas(facts, nominations, rules_by_form)
    return facts


def _load_members(facts, unit_ids, first_year, last_year):
    """Each unit's people per year: a membership covering the year; a person with no membership at all counts in
    their current unit (the record has not been kept for them yet)."""
    if not unit_ids:
        return
    memberships = (
        Membership.objects.filter(unit_id__in=unit_ids, start_on__lte=datetime.date(last_year, 12, 31))
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=datetime.date(first_year, 1, 1)))
        .select_related("person")
    )
    for membership in memberships:
        for year in range(first_year, last_year + 1):
            if membership.covers_year(year):
                people = facts.members[membership.unit_id][year]
                if membership.person not in people:
                    people.append(membership.person)
    unrecorded = Person.objects.filter(unit_id__in=unit_ids, is_active=True).exclude(
        Exists(Membership.objects.filter(person_id=OuterRef("pk")))
    )
    for person in unrecorded:
        for year in range(first_year, last_year + 1):
            facts.members[person.unit_id][year].append(person)
    for by_year in facts.members.values():
        for people in by_year.values():
            people.sort(key=lambda person: (person.full_name, person.pk))


def _load_titles(facts, person_ids, unit_ids, first_year, last_year):
    records = AwardRecord.objects.filter(year__gte=first_year, year__lte=last_year).filter(
        Q(person_id__in=person_ids)
        | Q(unit_id__in=unit_ids, person__isnull=True, recipient_kind=Nomination.NomineeKind.COLLECTIVE)
    )
    for record in records.order_by("year", "pk"):
        subject = ("person", record.person_id) if record.person_id else ("unit", record.unit_id)
        facts.titles[subject][record.year].append(record)


def _load_pending(facts, round_ids, person_ids, unit_ids):
    """Nominations of the same rounds for the same people and units, not turned down: titles being decided."""
    pending = Nomination.objects.filter(round_id__in=round_ids).exclude(status__in=TURNED_DOWN)
    pending = pending.filter(Q(person_id__in=person_ids) | Q(nominee_unit_id__in=unit_ids))
    for nomination in pending.only("pk", "round_id", "form_id", "person_id", "nominee_unit_id", "nominee_kind"):
        facts.pending[(nomination.round_id, subject_of(nomination))][nomination.form_id].append(nomination)


def _load_classifications(facts, person_ids, unit_ids, first_year, last_year):
    records = ClassificationRecord.objects.filter(year__gte=first_year, year__lte=last_year).filter(
        Q(person_id__in=person_ids) | Q(unit_id__in=unit_ids)
    )
    for record in records:
        subject = ("person", record.person_id) if record.person_id else ("unit", record.unit_id)
        facts.classifications[subject][record.year] = (record.classification, "hồ sơ thành tích", record)
    # A confirmed year-end assessment of the portal comes before what was entered or imported.
    entries = (
        AssessmentEntry.objects.filter(
            person_id__in=person_ids,
            assessment__status=Assessment.Status.CONFIRMED,
            assessment__year__year__gte=first_year,
            assessment__year__year__lte=last_year,
        )
        .exclude(decided_classification="")
        .select_related("assessment__year")
    )
    for entry in entries:
        year = entry.assessment.year.year
        facts.classifications[("person", entry.person_id)][year] = (
            entry.decided_classification,
            "bình xét cuối năm",
            entry,
        )


def _load_initiatives(facts, person_ids, first_year, last_year):
    for initiative in Initiative.objects.filter(person_id__in=person_ids, year__gte=first_year, year__lte=last_year):
        facts.initiatives[("person", initiative.person_id)].append(initiative)


def _load_disciplines(facts, person_ids, first_year, last_year):
    disciplines = Discipline.objects.filter(
        person_id__in=person_ids, start_on__lte=datetime.date(last_year, 12, 31)
    ).filter(Q(end_on__isnull=True) | Q(end_on__gte=datetime.date(first_year, 1, 1)))
    for discipline in disciplines.order_by("start_on", "pk"):
        facts.disciplines[("person", discipline.person_id)].append(discipline)


def _load_registrations(facts, person_ids, unit_ids, years):
    titles = RegisteredTitle.objects.filter(
        registration__status=Registration.Status.ACCEPTED, registration__year__year__in=years
    ).filter(Q(person_id__in=person_ids) | Q(person__isnull=True, registration__unit_id__in=unit_ids))
    for title in titles.select_related("registration__year"):
        subject = ("person", title.person_id) if title.person_id else ("unit", title.registration.unit_id)
        facts.registrations[(subject, title.registration.year.year)][title.title_code] = title


def _load_quotas(facts, nominations, rules_by_form):
    """Per form and year, across every round: the nominations sent and not turned down, the titles conferred outside
    the portal, and who holds or is pending the form each quota is a share of."""
    wanted = set()
    for nomination in nominations:
        for rule in rules_by_form.get(nomination.form_id, []):
            if rule.kind == "quota":
                of_form = facts.forms_by_code.get((rule.params or {}).get("of_form"))
                wanted.add((nomination.form_id, nomination.round.year))
                if of_form is not None:
                    wanted.add((of_form.pk, nomination.round.year))
    if not wanted:
        return
    form_ids = {form_id for form_id, _ in wanted}
    years = {year for _, year in wanted}
    sent = (
        Nomination.objects.filter(form_id__in=form_ids, round__year__in=years)
        .exclude(status__in=(*TURNED_DOWN, Nomination.Status.DRAFT))
        .select_related("round")
        .only("pk", "form_id", "round__year", "person_id", "nominee_unit_id", "nominee_kind", "nominee_name")
    )
    for nomination in sent:
        key = (nomination.form_id, nomination.round.year)
        facts.quota_taken[key].append(nomination)
        facts.recognised[key].add(subject_of(nomination))
    records = AwardRecord.objects.filter(form_id__in=form_ids, year__in=years)
    for record in records.only("pk", "form_id", "year", "person_id", "unit_id", "nomination_id"):
        key = (record.form_id, record.year)
        if record.person_id:
            holder = ("person", record.person_id)
        else:
            holder = ("unit", record.unit_id) if record.unit_id else ("record", record.pk)
        facts.recognised[key].add(holder)
        if record.nomination_id is None:
            facts.quota_conferred[key].append(record)
