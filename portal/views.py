"""Portal-wide views: the home page per capability and sign-in."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator


def home(request):
    """The signed-in person's home page: one panel per thing they may do."""
    return render(request, "portal/home.html")


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    redirect_authenticated_user = True
