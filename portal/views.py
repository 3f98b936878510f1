"""Portal-wide views: the home page per capability and sign-in."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator

from campaign.models import Campaign

# One card per capability, in the order shown: (user property, card template).
HOME_CARDS = (
    ("is_unit_member", "portal/card_unit.html"),
    ("is_office_reviewer", "portal/card_office.html"),
    ("is_leadership", "portal/card_leadership.html"),
    ("is_council_member", "portal/card_council.html"),
    ("is_administrator", "portal/card_administrator.html"),
)


def home(request):
    """The signed-in person's home page: one panel per thing they may do."""
    user = request.user
    campaign = Campaign.objects.first()
    context = {
        "cards": [template for capability, template in HOME_CARDS if getattr(user, capability)],
        "campaign": campaign,
        "phases": list(campaign.phases.all()) if campaign else [],
    }
    return render(request, "portal/home.html", context)


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """Sign-in; a person already signed in goes straight to the home page."""

    redirect_authenticated_user = True
