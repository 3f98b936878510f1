"""Portal-wide views: the home page, sign-in, and the refusal pages (403, 404)."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import defaults

from .navigation import home_panels, menu_without_counts


def home(request):
    """The signed-in person's home page: the panels of what they may do, as the apps registered them."""
    panels = home_panels(request)
    context = {
        "banners": [panel for panel in panels if panel["wide"]],
        "cards": [panel for panel in panels if not panel["wide"]],
    }
    return render(request, "portal/home.html", context)


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """Sign-in; a person already signed in goes straight to the home page."""

    redirect_authenticated_user = True


# The refusal pages keep the menu, so the person can go on from there, without its counts: a refusal builds no
# waiting list (about twenty queries for the office), whoever asks and however often.
def permission_denied(request, exception):
    menu_without_counts(request)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    menu_without_counts(request)
    return defaults.page_not_found(request, exception)
