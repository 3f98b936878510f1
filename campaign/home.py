"""The campaign's panel at the top of everyone's home page: the campaign, its plan and its phases."""

from portal.navigation import add_home_panel

from .models import Campaign


def campaign_panel(request):
    campaign = Campaign.objects.first()
    return {"campaign": campaign, "phases": list(campaign.phases.all()) if campaign else []}


def register():
    add_home_panel(order=0, template="campaign/home_campaign.html", wide=True, context=campaign_panel)
