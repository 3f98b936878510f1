"""The campaign's panel at the top of everyone's home page: the campaign, its plan and its phases."""

from portal.navigation import add_home_panel

from . import permissions
from .citations import cited
from .models import Campaign, CitedDocument


def campaign_panel(request):
    campaign = Campaign.objects.prefetch_related("cited_documents", "phases").first()
    if campaign is None:
        return {"campaign": None, "phases": []}
    plan = cited(campaign, CitedDocument.Role.PLAN)
    return {
        "campaign": campaign,
        "plan": plan,
        "phases": list(campaign.phases.all()),
        "cited_documents": permissions.can_see_cited_documents(request.user),
    }


def register():
    add_home_panel(order=0, template="campaign/home_campaign.html", wide=True, context=campaign_panel)
