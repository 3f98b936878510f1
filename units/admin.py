"""Admin of units, user accounts, nominees, capability groups and sign-in lockouts."""

import logging

from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Count

from portal.admin import PortalAdminMixin, PortalModelAdmin

from .capabilities import Capability
from .models import Person, Unit, User

security_logger = logging.getLogger("portal.security")


@admin.register(Unit)
class UnitAdmin(PortalModelAdmin):
    list_display = (
        "name",
        "code",
        "abbreviation",
        "parent",
        "kind",
        "valid_from",
        "valid_to",
        "successor",
        "is_sample",
    )
    list_display_links = ("name", "code")
    list_filter = ("kind", "is_sample")
    list_select_related = ("parent", "successor")
    search_fields = ("code", "name", "abbreviation")
    fieldsets = (
        (None, {"fields": ("code", "name", "abbreviation", "kind", "parent", "sort_order")}),
        (
            "Thời gian hoạt động",
            {
                "fields": ("valid_from", "valid_to", "successor"),
                "description": "Đơn vị giải thể, sáp nhập được ghi ngày kết thúc và đơn vị kế thừa, không xóa.",
            },
        ),
        ("Khác", {"fields": ("is_sample",)}),
    )


class PortalUserCreationForm(UserCreationForm):
    """New account: a password is required and must pass the project's validators (12+ characters)."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "unit", "position")


@admin.register(User)
class UserAdmin(PortalAdminMixin, auth_admin.UserAdmin):
    add_form = PortalUserCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Thông tin cá nhân", {"fields": ("full_name", "position_title", "email")}),
        ("Đơn vị", {"fields": ("unit", "position")}),
        ("Quyền", {"fields": ("is_active", "groups", "is_superuser")}),
        ("Thời điểm", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "unit", "position", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "full_name", "unit", "position", "position_title", "capabilities", "is_active")
    list_filter = ("is_active", "position", "unit", "groups", "is_superuser")
    list_select_related = ("unit",)
    search_fields = ("username", "full_name", "email", "position_title")
    ordering = ("full_name", "username")
    filter_horizontal = ()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Only a superuser may make or unmake superusers: an administrator could otherwise raise
        # their own account above the administrator capability.
        if not request.user.is_superuser and "is_superuser" not in readonly:
            readonly += ("is_superuser",)
        return readonly

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["widget"] = forms.CheckboxSelectMultiple
            kwargs["label"] = "Vai trò"
            kwargs["help_text"] = "Các quyền ngoài đơn vị của mình: rà soát, lãnh đạo, hội đồng, quản trị."
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="Vai trò")
    def capabilities(self, user):
        return ", ".join(group.name for group in user.groups.all())


@admin.register(Person)
class PersonAdmin(PortalModelAdmin):
    list_display = ("full_name", "position_title", "unit", "user", "date_of_birth", "is_active")
    list_filter = ("is_active", "unit")
    list_select_related = ("unit", "user")
    search_fields = ("full_name", "position_title", "user__username")
    autocomplete_fields = ("user",)
    fields = ("full_name", "position_title", "unit", "user", "date_of_birth", "is_active")


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PortalModelAdmin):
    """Capabilities are groups checked by name; their Django permissions are not used, so not shown."""

    list_display = ("name", "member_count")
    search_fields = ("name",)
    ordering = ("name",)
    fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("user"))

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # The code finds a capability by its group's name: renaming the group would revoke it.
        if obj is not None and obj.name in Capability.values:
            readonly += ("name",)
        return readonly

    @admin.display(description="số người dùng", ordering="member_count")
    def member_count(self, group):
        return group.member_count


# Sign-in records of django-axes: administrators read them and unlock locked accounts; nobody edits
# or deletes them by hand. Re-registered because axes' own admins rely on Django model permissions.
for axes_model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(axes_model):
        admin.site.unregister(axes_model)


class SignInRecordAdmin(PortalAdminMixin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class AccessAttemptAdmin(SignInRecordAdmin, axes_admin.AccessAttemptAdmin):
    actions = ("unlock",)

    @admin.action(description="Mở khóa đăng nhập cho các tài khoản đã chọn")
    def unlock(self, request, queryset):
        pairs = set(queryset.values_list("username", "ip_address"))
        for username, ip_address in pairs:
            AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)
            security_logger.info("unlock username=%s ip=%s by=%s", username, ip_address, request.user.get_username())
        self.message_user(request, f"Đã mở khóa {len(pairs)} lượt đăng nhập bị chặn.")


@admin.register(AccessLog)
class AccessLogAdmin(SignInRecordAdmin, axes_admin.AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(SignInRecordAdmin, axes_admin.AccessFailureLogAdmin):
    pass
