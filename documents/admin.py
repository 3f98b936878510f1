"""The register of outgoing documents in the admin: for looking numbers up; only the issue services write it."""

from django.contrib import admin

from portal.admin import PortalModelAdmin, ReadOnlyAdminMixin

from .models import OutgoingDocument


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("__str__", "summary", "source", "out_of_order", "recorded_by", "recorded_at")
    list_filter = ("year", "type_code", "source", "out_of_order")
    search_fields = ("summary",)
