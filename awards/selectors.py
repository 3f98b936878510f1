"""Reads of the award register and of what the public may see, each in a fixed number of queries.

Who may read what is decided in awards.permissions; the public selectors return plain dicts with
the few fields a public page shows, so nothing private can reach a public template by accident.
"""

from collections import OrderedDict

from django.db.models import Count, F, Q
from django.utils import timezone

from emulation.extensions import Title

from . import permissions
from .models import AwardForm, AwardRecord, Nomination, PublicComment, RegisterImport, fold_for_search

# Nominations shown under public notice while their round's notice window runs: the council has
# recommended them and they are not yet conferred, refused or turned down — the time the law
# gives the public to object. Conferred ones then appear in the list of conferred awards.
NOTICE_STATES = (
    Nomination.Status.RECOMMENDED,
    Nomination.Status.APPROVED,
    Nomination.Status.FORWARDED,
)

RECIPIENT_WORDS = {
    Nomination.NomineeKind.COLLECTIVE: "tập thể",
    Nomination.NomineeKind.INDIVIDUAL: "cá nhân",
}
KIND_ORDER = (Nomination.NomineeKind.COLLECTIVE, Nomination.NomineeKind.INDIVIDUAL)


# ---------------------------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------------------------


def search_condition(text):
    """Every word of the query in the record's folded key, or (for rows written without a key) in its fields."""
    condition = Q()
    for word in text.split():
        folded = fold_for_search(word)
        if not folded:
            continue
        condition &= (
            Q(search_key__contains=folded)
            | Q(recipient_name__icontains=word)
            | Q(unit_name__icontains=word)
            | Q(form_name__icontains=word)
            | Q(decision_number__icontains=word)
        )
    return condition


def register_records(user, *, query="", year=None, form=None, kind=""):
    """The register as the user may see it, filtered; ordered newest year first."""
    records = AwardRecord.objects.filter(permissions.visible_records_filter(user))
    if query:
        records = records.filter(search_condition(query))
    if year:
        records = records.filter(year=year)
    if form is not None:
        records = records.filter(form=form)
    if kind:
        records = records.filter(recipient_kind=kind)
    return records.order_by("-year", "form_name", "unit_name", "recipient_name", "pk")


def register_years(user):
    """The years the user's part of the register covers, newest first (one query)."""
    return list(
        AwardRecord.objects.filter(permissions.visible_records_filter(user))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def recent_imports(limit=10):
    return list(RegisterImport.objects.select_related("imported_by")[:limit])


# ---------------------------------------------------------------------------------------------
# The consolidated report's section on awards
# ---------------------------------------------------------------------------------------------


def _decision_label(number, day, *, kind="Quyết định"):
    """ "(Quyết định số 05/QĐ-SKHCN ngày 20/12/2025)"; "" when neither the number nor the date is known."""
    number = (number or "").strip()
    if number.lower().startswith("số "):
        number = number[3:].strip()  # imported history sometimes writes "Số 12/QĐ-UBND"
    parts = [f"số {number}"] if number else []
    if day:
        parts.append(f"ngày {day:%d/%m/%Y}")
    return f" ({kind} {' '.join(parts)})" if parts else ""


def _count_phrase(counts):
    """{"individual": 12, "collective": 3} → "3 tập thể và 12 cá nhân"."""
    return " và ".join(f"{counts[kind]} {RECIPIENT_WORDS[kind]}" for kind in KIND_ORDER if counts.get(kind))


def _form_phrase(form_name, is_title, counts):
    """ "danh hiệu “Lao động tiên tiến” cho 12 cá nhân"; "Giấy khen của … cho 1 tập thể và 2 cá nhân"."""
    name = f"danh hiệu “{form_name}”" if is_title else form_name
    return f"{name} cho {_count_phrase(counts)}"


def _outcome_phrase(proposal, kinds):
    """ "trong đó 1 tập thể, cá nhân đã được khen thưởng, 2 đang chờ xét"; "tất cả đã được khen thưởng"."""
    outcomes = [
        (proposal["conferred"], "đã được khen thưởng"),
        (proposal["refused"], "không được khen thưởng"),
        (proposal["pending"], "đang chờ xét"),
    ]
    given = [(count, words) for count, words in outcomes if count]
    if len(given) == 1:
        return f"tất cả {given[0][1]}"
    who = ", ".join(RECIPIENT_WORDS[kind] for kind in KIND_ORDER if kind in kinds)
    first, *rest = given
    return "trong đó " + ", ".join([f"{first[0]} {who} {first[1]}", *(f"{count} {words}" for count, words in rest)])


def _period_records(period):
    """Records decided within the period; undated history counts for an annual or phase period by its year."""
    dated = Q(decision_date__gte=period.start, decision_date__lte=period.end)
    if period.kind == period.Kind.HALF_YEAR:
        return dated
    return dated | Q(decision_date__isnull=True, year__gte=period.start.year, year__lte=period.end.year)


def awards_for_period(period):
    """Short paragraphs on the awards of a reporting period, for section III of the consolidated report.

    One paragraph per decision ("Giám đốc Sở Khoa học và Công nghệ tặng danh hiệu “Lao động tiên tiến” cho
    12 cá nhân; … (Quyết định số 05/QĐ-SKHCN ngày 20/12/2026).") and one per proposal sent upward in the
    period, with how many were conferred and how many still wait ("…; trong đó 1 tập thể, cá nhân đã được
    khen thưởng, 2 đang chờ xét."). Two queries whatever the numbers.
    """
    paragraphs = []
    rows = (
        AwardRecord.objects.filter(_period_records(period))
        .values(
            "decision_number",
            "decision_date",
            "conferring_authority",
            "form_name",
            "form__is_annual_title",
            "form__sort_order",
            "recipient_kind",
        )
        .annotate(count=Count("pk"))
        .order_by(
            F("decision_date").asc(nulls_last=True),
            "decision_number",
            "conferring_authority",
            F("form__sort_order").asc(nulls_last=True),
            "form_name",
        )
    )
    decisions = OrderedDict()
    for row in rows:
        key = (row["decision_number"], row["decision_date"], row["conferring_authority"])
        forms = decisions.setdefault(key, OrderedDict())
        form_key = (row["form_name"], bool(row["form__is_annual_title"]))
        forms.setdefault(form_key, {})[row["recipient_kind"]] = row["count"]
    for (number, day, authority), forms in decisions.items():
        # "tặng danh hiệu “Lao động tiên tiến” cho 12 cá nhân; danh hiệu “Tập thể lao động tiên tiến” cho 3 tập thể"
        parts = [_form_phrase(form_name, is_title, counts) for (form_name, is_title), counts in forms.items()]
        subject = authority or "Cấp có thẩm quyền"
        paragraphs.append(f"{subject} tặng {'; '.join(parts)}{_decision_label(number, day)}.")
    paragraphs.extend(_proposal_paragraphs(period))
    return paragraphs


def _proposal_paragraphs(period):
    rows = (
        Nomination.objects.filter(
            proposal__isnull=False,
            proposal__register_entry__issued_on__gte=period.start,
            proposal__register_entry__issued_on__lte=period.end,
        )
        .values(
            "proposal_id",
            "proposal__recipient",
            "proposal__register_entry__number",
            "proposal__register_entry__type_code",
            "proposal__register_entry__issuer_code",
            "proposal__register_entry__issued_on",
            "form__name",
            "form__award_class",
            "form__is_annual_title",
            "form__sort_order",
            "nominee_kind",
            "status",
        )
        .annotate(count=Count("pk"))
        .order_by("proposal__register_entry__issued_on", "proposal_id", "form__sort_order", "form__name")
    )
    proposals = OrderedDict()
    for row in rows:
        proposal = proposals.setdefault(
            row["proposal_id"],
            {"row": row, "forms": OrderedDict(), "kinds": set(), "conferred": 0, "refused": 0, "pending": 0},
        )
        proposal["kinds"].add(row["nominee_kind"])
        form_name = f"{row['form__name']} {row['form__award_class']}".strip()
        counts = proposal["forms"].setdefault((form_name, row["form__is_annual_title"]), {})
        counts[row["nominee_kind"]] = counts.get(row["nominee_kind"], 0) + row["count"]
        if row["status"] == Nomination.Status.CONFERRED:
            proposal["conferred"] += row["count"]
        elif row["status"] == Nomination.Status.REFUSED_ABOVE:
            proposal["refused"] += row["count"]
        else:
            proposal["pending"] += row["count"]
    paragraphs = []
    for proposal in proposals.values():
        row = proposal["row"]
        number = (
            f"{row['proposal__register_entry__number']:02d}/"
            f"{row['proposal__register_entry__type_code']}-{row['proposal__register_entry__issuer_code']}"
        )
        forms = "; ".join(
            _form_phrase(name, is_title, counts) for (name, is_title), counts in proposal["forms"].items()
        )
        paragraphs.append(
            f"Sở đã trình {row['proposal__recipient']} đề nghị tặng {forms}"
            f"{_decision_label(number, row['proposal__register_entry__issued_on'], kind='Tờ trình')}; "
            f"{_outcome_phrase(proposal, proposal['kinds'])}."
        )
    return paragraphs


# ---------------------------------------------------------------------------------------------
# The public pages: plain dicts, never model instances
# ---------------------------------------------------------------------------------------------


def _notice_queryset(today):
    return Nomination.objects.filter(
        status__in=NOTICE_STATES,
        round__notice_starts_on__lte=today,
        round__notice_ends_on__gte=today,
    )


def notice_rows(today=None):
    """The nominees under public notice today as plain rows (values), in the order the notice lists them: the round
    ending last first, then by form, unit and name. A queryset: a page of it is one query."""
    today = today or timezone.localdate()
    rows = _notice_queryset(today).values(
        "pk",
        "nominee_name",
        "nominee_position",
        "nominee_unit_name",
        "nominee_kind",
        "form__name",
        "form__award_class",
        "round_id",
        "round__title",
        "round__notice_starts_on",
        "round__notice_ends_on",
    )
    return rows.order_by(
        "-round__notice_ends_on",
        "round_id",
        "form__sort_order",
        "form__name",
        "nominee_unit_name",
        "nominee_name",
        "pk",
    )


def notice_groups(rows):
    """Rows of notice_rows() grouped by round, in their order: [{title, starts_on, ends_on, nominees}]."""
    rounds = OrderedDict()
    for row in rows:
        group = rounds.setdefault(
            row["round_id"],
            {
                "title": row["round__title"],
                "starts_on": row["round__notice_starts_on"],
                "ends_on": row["round__notice_ends_on"],
                "nominees": [],
            },
        )
        group["nominees"].append(_public_nominee(row))
    return list(rounds.values())


def nominations_under_notice(today=None):
    """Nominees under public notice today: name, position, unit and form, grouped by round. One query."""
    return notice_groups(notice_rows(today))


def _public_nominee(row):
    return {
        "pk": row["pk"],
        "name": row["nominee_name"],
        "position": row["nominee_position"],
        "unit": row["nominee_unit_name"],
        "kind": RECIPIENT_WORDS.get(row["nominee_kind"], ""),
        "form": f"{row['form__name']} {row['form__award_class']}".strip(),
    }


def nominee_under_notice(pk, today=None):
    """One nominee under notice as the public sees it, or None."""
    today = today or timezone.localdate()
    row = (
        _notice_queryset(today)
        .filter(pk=pk)
        .values(
            "pk",
            "nominee_name",
            "nominee_position",
            "nominee_unit_name",
            "nominee_kind",
            "form__name",
            "form__award_class",
            "round__title",
            "round__notice_ends_on",
        )
        .first()
    )
    if row is None:
        return None
    nominee = _public_nominee(row)
    nominee["round"] = row["round__title"]
    nominee["ends_on"] = row["round__notice_ends_on"]
    return nominee


def public_award_years():
    return list(AwardRecord.objects.order_by("-year").values_list("year", flat=True).distinct())


def public_award_rows(year):
    """The awards conferred in a year, as the public sees them (plain rows): by decision date (undated last), then
    by name. A queryset: a page of it is one query."""
    return (
        AwardRecord.objects.filter(year=year)
        .order_by(F("decision_date").asc(nulls_last=True), "recipient_name", "unit_name", "pk")
        .values(
            "form_name",
            "recipient_kind",
            "recipient_name",
            "position",
            "unit_name",
            "decision_number",
            "decision_date",
            "conferring_authority",
        )
    )


def public_awards(year):
    """Every award conferred in a year (public_award_rows), as a list. One query."""
    return list(public_award_rows(year))


def public_comments(*, handled=None):
    comments = PublicComment.objects.select_related("nomination", "nomination__form", "handled_by")
    if handled is True:
        comments = comments.filter(handled_at__isnull=False)
    elif handled is False:
        comments = comments.filter(handled_at__isnull=True)
    # Unhandled first, newest first within each.
    return comments.order_by(F("handled_at").asc(nulls_first=True), "-received_at", "-pk")


def emulation_titles():
    """The catalogue's active forms as the emulation year names them (registration, the year-end assessment)."""
    forms = AwardForm.objects.filter(is_active=True).order_by("sort_order", "pk")
    return [
        Title(code=form.code, name=form.name, recipient_kind=form.recipient_kind, is_annual_title=form.is_annual_title)
        for form in forms
    ]
