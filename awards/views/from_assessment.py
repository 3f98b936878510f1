"""Nominations drawn in one step from the unit's confirmed year-end assessment ("Đề nghị từ kết quả bình xét").

GET shows what would be created and what would be skipped and why; POST creates the drafts through
awards.services.from_assessment and says what it made and what it skipped.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from workflow.errors import Refused

from ..services import from_assessment as services
from .nominations import _nominating_round


def _names(candidates):
    return "; ".join(f"{candidate.person.full_name} ({candidate.title})" for candidate in candidates)


@require_http_methods(["GET", "POST"])
def nomination_from_assessment(request, round_pk):
    """The unit's staff or head draws draft nominations from its confirmed assessment of the round's year."""
    user = request.user
    award_round = _nominating_round(user, round_pk)
    if request.method == "POST":
        try:
            drawn = services.nominations_from_assessment(award_round=award_round, unit=user.unit, actor=user)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("awards:nomination_from_assessment", round_pk=award_round.pk)
        if drawn.created:
            messages.success(
                request,
                f"Đã lập {len(drawn.created)} đề nghị từ kết quả bình xét: {_names(drawn.created_candidates)}. "
                "Hãy nhập tóm tắt thành tích và tải lên hồ sơ của từng đề nghị.",
            )
        else:
            messages.info(request, "Không lập thêm đề nghị nào từ kết quả bình xét.")
        for candidate in drawn.skipped:
            messages.warning(request, f"Bỏ qua {candidate.person.full_name} ({candidate.title}): {candidate.skip}")
        return redirect("awards:nomination_list")
    context = {"award_round": award_round, "refusal": "", "to_create": [], "to_skip": []}
    try:
        found = services.candidates(award_round=award_round, unit=user.unit)
    except Refused as refusal:
        context["refusal"] = refusal.message
    else:
        context["to_create"] = [candidate for candidate in found if not candidate.skip]
        context["to_skip"] = [candidate for candidate in found if candidate.skip]
    return render(request, "awards/nominations/from_assessment.html", context)


urlpatterns = [
    path(
        "rounds/<int:round_pk>/nominate-from-assessment/",
        nomination_from_assessment,
        name="nomination_from_assessment",
    ),
]
