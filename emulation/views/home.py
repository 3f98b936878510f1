"""The emulation year's landing page: the years, and for each what the signed-in person has to do."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..forms.registration import YearCreateForm
from ..selectors.registration import home_years


def render_home(request, *, create_form=None, status=200):
    """The years with, for a unit's member, its registration's state and link, and for the office and leadership
    the counts by state; the office's form that opens a new year (shown again with its errors when refused)."""
    user = request.user
    can_manage = permissions.can_manage_year(user)
    context = {
        "years": home_years(user),
        "is_member": user.is_unit_member,
        "can_see_department": permissions.can_see_department(user),
        "can_manage": can_manage,
        "create_form": (create_form or YearCreateForm()) if can_manage else None,
    }
    return render(request, "emulation/home.html", context, status=status)


@require_GET
def index(request):
    if not permissions.can_see_emulation(request.user):
        raise Http404("Không tìm thấy trang.")
    return render_home(request)
