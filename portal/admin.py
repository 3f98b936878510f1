"""The portal's Django admin: for administrators only, in Vietnamese; edits everything, deletes nothing.

Every model admin of the project derives from PortalModelAdmin (or an inline below), which lets
administrators in without per-model Django permissions, never grants delete (units, people,
criteria and periods are deactivated, not deleted), and keeps workflow status fields read-only:
states move only through the services.
"""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache


def is_administrator(request):
    return bool(getattr(request.user, "is_administrator", False))


class PortalAdminSite(admin.AdminSite):
    site_header = "Quản trị Cổng thi đua - Sở KH&CN Quảng Ngãi"
    site_title = "Quản trị Cổng thi đua"
    index_title = "Quản trị hệ thống"
    empty_value_display = "—"

    def __init__(self, name="admin"):
        super().__init__(name)
        self.disable_action("delete_selected")

    def has_permission(self, request):
        # Administrators need not be is_staff: the capability group is what counts.
        return request.user.is_active and is_administrator(request)

    def admin_view(self, view, cacheable=False):
        """Wrap an admin view: anonymous users go to the portal's sign-in, other users get 404.

        A 404 rather than a 403 or the admin's own login form, so the admin does not announce
        itself to people who may not use it.
        """
        checked = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise Http404
            return checked(request, *args, **kwargs)

        return update_wrapper(inner, checked)

    def get_urls(self):
        urls = super().get_urls()
        # LoginRequiredMiddleware sends anonymous visitors of site-wide views (the index) to the
        # view's login_url, which Django sets to the admin's login; send them to the portal's.
        for pattern in urls:
            callback = getattr(pattern, "callback", None)
            if getattr(callback, "admin_site", None) is self:
                callback.login_url = settings.LOGIN_URL
        return urls

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """No admin sign-in form: everyone signs in on the portal's own page."""
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise Http404
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, settings.LOGIN_URL)


class PortalAdminMixin:
    """Access and read-only rules shared by model admins and inlines."""

    # Extra fields that only services may change, besides any field named "status".
    workflow_fields = ()

    def get_workflow_fields(self):
        fields = list(self.workflow_fields)
        if any(field.name == "status" for field in self.model._meta.get_fields()) and "status" not in fields:
            fields.append("status")
        return tuple(fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        readonly.extend(name for name in self.get_workflow_fields() if name not in readonly)
        return tuple(readonly)

    def has_module_permission(self, request):
        return is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request)

    def has_add_permission(self, request, obj=None):
        return is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return False


class PortalModelAdmin(PortalAdminMixin, admin.ModelAdmin):
    def check(self, **kwargs):
        errors = super().check(**kwargs)
        editable_workflow = sorted(set(self.list_editable) & set(self.get_workflow_fields()))
        if editable_workflow:
            errors.append(
                checks.Error(
                    f"list_editable of {type(self).__name__} contains workflow fields {editable_workflow}; "
                    "only services may change them.",
                    obj=type(self),
                    id="portal.E001",
                )
            )
        return errors


class PortalTabularInline(PortalAdminMixin, admin.TabularInline):
    extra = 0


class PortalStackedInline(PortalAdminMixin, admin.StackedInline):
    extra = 0


class ReadOnlyAdminMixin:
    """For what has a workflow or side effects: administrators look it up; only its services change it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
