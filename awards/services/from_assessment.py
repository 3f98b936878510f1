"""Nominations drawn in one step from the unit's year-end assessment (bình xét, emulation/).

For a round of the assessment's year, each person whose entry proposes a title the round offers gets a draft
nomination, made by the one creation service (nominations.nomination_create, which checks the round, the form,
the nominee and duplicates). The assessment must be confirmed by the office: the classification decided by the
competent person is what a title rests on, so a proposal the office has not confirmed nominates nobody. A person
whose decided classification is below "Hoàn thành tốt nhiệm vụ" is not nominated for a danh hiệu thi đua.
"""

from dataclasses import dataclass, field

from django.db import transaction

from emulation.models import Assessment, Classification
from workflow.errors import Refused

from ..errors import AwardError, NotAllowed
from ..models import Nomination, RoundForm
from . import nominations

# A danh hiệu thi đua (Lao động tiên tiến and above) needs "Hoàn thành tốt nhiệm vụ" or better (Luật Thi đua, khen
# thưởng 2022, Điều 24–26: a title is considered for those who completed their tasks well).
TITLE_CLASSIFICATIONS = (Classification.EXCELLENT, Classification.GOOD)


@dataclass
class Candidate:
    """One proposed title of one person: the nomination to make, or why none is made."""

    person: object
    form: object  # the AwardForm, or None when the round does not offer the title
    title: str  # the title's name (or code when it is no longer in the catalogue)
    skip: str = ""


@dataclass
class Drawn:
    created: list = field(default_factory=list)  # Nomination
    created_candidates: list = field(default_factory=list)  # the Candidate each was made from
    skipped: list = field(default_factory=list)  # Candidate with its reason


def confirmed_assessment(award_round, unit):
    """The unit's assessment of the round's year, confirmed by the office; refused otherwise (with why)."""
    assessment = Assessment.objects.filter(year__year=award_round.year, unit=unit).first()
    if assessment is None:
        raise AwardError(f"Đơn vị chưa có kết quả bình xét năm {award_round.year}.")
    if assessment.status != Assessment.Status.CONFIRMED:
        raise AwardError(
            f"Kết quả bình xét năm {award_round.year} của đơn vị chưa được Văn phòng xác nhận xếp loại "
            f"({assessment.get_status_display().lower()}); chỉ đề nghị được từ kết quả đã xác nhận."
        )
    return assessment


def candidates(*, award_round, unit):
    """Every title proposed in the unit's confirmed assessment, with the reason it will be skipped, if any.
    A fixed number of queries: the entries, the round's forms, the open nominations of the round."""
    assessment = confirmed_assessment(award_round, unit)
    offers = {
        offer.form.code: offer.form for offer in RoundForm.objects.filter(round=award_round).select_related("form")
    }
    existing = set(
        Nomination.objects.filter(round=award_round, person__isnull=False).open().values_list("person_id", "form_id")
    )
    labels = dict(Classification.choices)
    found = []
    for entry in assessment.entries.select_related("person__unit").order_by("person__full_name", "pk"):
        for code in entry.proposed_titles or []:
            form = offers.get(code)
            candidate = Candidate(person=entry.person, form=form, title=str(form) if form else code)
            if form is None:
                candidate.skip = "Đợt xét không có hình thức này."
            elif (entry.person_id, form.pk) in existing:
                candidate.skip = "Đã có đề nghị trong đợt này."
            elif form.is_annual_title and entry.decided_classification not in TITLE_CLASSIFICATIONS:
                decided = labels.get(entry.decided_classification, "chưa xếp loại")
                candidate.skip = (
                    f"Được xếp loại “{decided}”: danh hiệu thi đua chỉ xét cho người hoàn thành tốt nhiệm vụ trở lên."
                )
            elif not entry.person.is_active or entry.person.unit_id != unit.pk:
                candidate.skip = "Không còn công tác tại đơn vị."
            found.append(candidate)
    return found


def nominations_from_assessment(*, award_round, unit, actor):
    """Draft nominations for every candidate not skipped; what the creation service refuses is skipped with its
    reason. Returns what was created and what was skipped."""
    drawn = Drawn()
    with transaction.atomic():
        for candidate in candidates(award_round=award_round, unit=unit):
            if candidate.skip:
                drawn.skipped.append(candidate)
                continue
            try:
                nomination = nominations.nomination_create(
                    award_round=award_round, form=candidate.form, unit=unit, actor=actor, person=candidate.person
                )
            except NotAllowed:
                raise  # not the actor's to nominate for the unit: nothing is made
            except Refused as refusal:
                candidate.skip = refusal.message
                drawn.skipped.append(candidate)
            else:
                drawn.created.append(nomination)
                drawn.created_candidates.append(candidate)
    return drawn
