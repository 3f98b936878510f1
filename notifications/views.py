"""The signed-in person's notifications."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import services


@require_GET
def notification_list(request):
    """The signed-in person's notifications, newest first, unread in bold."""
    return render(request, "notifications/list.html", {"notifications": services.recent_for(request.user)})


@require_POST
def notifications_read(request):
    """Mark all the person's notifications read."""
    services.mark_all_read(request.user)
    messages.success(request, "Đã đánh dấu tất cả thông báo là đã đọc.")
    return redirect("notifications:list")
