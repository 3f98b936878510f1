"""The emulation year's scores where the council reads them: a collective nomination's score and place, and the top
units suggested when the office prepares a round. Read-only.

The kind always matches the award form (Nghị định 152/2025/NĐ-CP, Điều 4): the campaign's scoring for a form of the
thematic campaign (award_type "thematic"), the Department's annual scoring for a regular annual title ("regular"); a
merit award reads neither. Only a confirmed scheme of the round's year counts — never a provisional score, never the
other kind.
"""

from dataclasses import dataclass

from emulation.models import ScoringScheme
from emulation.selectors.scoring import place_of, scheme_ranking

from .models import AwardForm, Nomination

SCHEME_KIND = {
    AwardForm.AwardType.THEMATIC: ScoringScheme.Kind.CAMPAIGN,
    AwardForm.AwardType.REGULAR: ScoringScheme.Kind.ANNUAL,
}
SUGGESTED = 5


@dataclass(frozen=True)
class EmulationScore:
    scheme: ScoringScheme
    total: object
    place: int
    count: int
    tie_rule: str


def scheme_kind(form):
    """The scoring kind whose scores may be shown for this form, or None (a merit award)."""
    return SCHEME_KIND.get(form.award_type)


def confirmed_scheme(year, kind):
    if kind is None:
        return None
    return (
        ScoringScheme.objects.filter(year__year=year, kind=kind, status=ScoringScheme.Status.CONFIRMED)
        .select_related("year")
        .first()
    )


def nomination_score(nomination):
    """The nominee unit's confirmed score and place of the kind matching the form, or None."""
    if nomination.nominee_kind != Nomination.NomineeKind.COLLECTIVE or nomination.nominee_unit_id is None:
        return None
    scheme = confirmed_scheme(nomination.round.year, scheme_kind(nomination.form))
    if scheme is None:
        return None
    rows = scheme_ranking(scheme)
    row = place_of(rows, nomination.nominee_unit_id)
    if row is None:
        return None
    return EmulationScore(scheme, row.total, row.place, len(rows), row.tie_rule)


def round_suggestions(award_round, offers, limit=SUGGESTED):
    """[(form, scheme, top rows)] for each collective form offered in the round that a confirmed ranking of its
    kind exists for; one ranking per kind."""
    rankings = {}
    suggestions = []
    for offer in offers:
        form = offer.form
        if form.recipient_kind == AwardForm.RecipientKind.INDIVIDUAL:
            continue
        kind = scheme_kind(form)
        if kind not in rankings:
            scheme = confirmed_scheme(award_round.year, kind)
            rankings[kind] = (scheme, scheme_ranking(scheme) if scheme else [])
        scheme, rows = rankings[kind]
        if scheme is not None and rows:
            suggestions.append((form, scheme, rows[:limit]))
    return suggestions
