"""The emulation year's landing page: the years, and for each what the signed-in person has to do."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import permissions
from ..models import EmulationYear


@require_GET
def index(request):
    if not permissions.can_see_emulation(request.user):
        raise Http404("Không tìm thấy trang.")
    years = EmulationYear.objects.all()
    return render(request, "emulation/home.html", {"years": years})
