"""The register of outgoing documents (sổ đăng ký văn bản đi), one per issuing body, shared by every document."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RegisterCounter(models.Model):
    """The last number given in one register: per year, issuing body and document type. Row-locked."""

    year = models.PositiveSmallIntegerField()
    issuer_code = models.CharField(max_length=30)
    type_code = models.CharField(max_length=10)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm số văn bản"
        verbose_name_plural = "bộ đếm số văn bản"
        constraints = [
            models.UniqueConstraint(fields=["year", "issuer_code", "type_code"], name="one_counter_per_register"),
        ]

    def __str__(self):
        return f"{self.type_code}-{self.issuer_code} {self.year}: {self.last_number}"


class OutgoingDocument(models.Model):
    """An entry of the register of outgoing documents (sổ đăng ký văn bản đi): number, date, type.

    Numbers are unique per year, issuing body and type and never reused. `source` says whether the
    portal's own register gave the number or the clerk's register did (recorded here as given).
    """

    class Source(models.TextChoices):
        PORTAL = "portal", "Sổ đăng ký của Cổng"
        CLERK = "clerk", "Văn thư cấp số"

    year = models.PositiveSmallIntegerField("năm")
    issuer_code = models.CharField("cơ quan ban hành", max_length=30)
    type_code = models.CharField("loại văn bản", max_length=10)
    number = models.PositiveIntegerField("số")
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=500)
    source = models.CharField("nguồn số", max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # A number dated earlier than the number before it (or later than the one after it), recorded only once
    # the clerk confirmed it with a reason; the register's page marks it "Số lùi ngày".
    out_of_order = models.BooleanField("số lùi ngày", default=False)
    out_of_order_reason = models.CharField("lý do xác nhận số lùi ngày", max_length=500, blank=True)

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "sổ đăng ký văn bản đi"
        ordering = ["-year", "type_code", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "issuer_code", "type_code", "number"], name="document_number_unique_per_register"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]

    def __str__(self):
        return f"Số {self.number:02d}/{self.type_code}-{self.issuer_code} ngày {self.issued_on:%d/%m/%Y}"
