"""The register of outgoing documents (sổ đăng ký văn bản đi), one per issuing body, shared by every document."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.uploads import private_storage
from workflow.models import LeasedJobFields


def document_symbol(number, type_code, issuer_code):
    """A number with its symbol (số, ký hiệu): "07/BC-SKHCN"; a công văn has no type code, and its issuer code
    names the drafting unit after the issuing body (Nghị định 30, Phụ lục I): "12/SKHCN-HCTH"."""
    return f"{number:02d}/{type_code}-{issuer_code}" if type_code else f"{number:02d}/{issuer_code}"


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
        return f"Số {self.symbol} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def symbol(self):
        return document_symbol(self.number, self.type_code, self.issuer_code)


def stored_file_upload_to(instance, filename):
    """Under a random name, so one rendering never overwrites another still being served."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{filename}"


class StoredFiles(LeasedJobFields):
    """The files of one document (a consolidated report, a unit report), rendered once by the background job
    and served from here: a download never renders. `wanted_digest` is the content the files should show,
    `content_digest` the content they do show; a draft whose content changed is rendered again while its
    previous files are still served. Once `final` (the document was issued or accepted), they never change.
    """

    class RenderStatus(models.TextChoices):
        QUEUED = "queued", "Đang chờ tạo tệp"
        RENDERING = "rendering", "Đang tạo tệp"
        READY = "ready", "Đã tạo tệp"
        FAILED = "failed", "Tạo tệp lỗi"

    FORMATS = ("pdf", "docx", "xlsx")

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    render_status = models.CharField(max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    wanted_digest = models.CharField(max_length=64, blank=True)
    content_digest = models.CharField(max_length=64, blank=True)
    final = models.BooleanField("đã ban hành, không tạo lại", default=False)
    rendered_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(storage=private_storage, upload_to=stored_file_upload_to, max_length=200, blank=True)
    docx = models.FileField(storage=private_storage, upload_to=stored_file_upload_to, max_length=200, blank=True)
    xlsx = models.FileField(storage=private_storage, upload_to=stored_file_upload_to, max_length=200, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "tệp văn bản đã tạo"
        verbose_name_plural = "tệp văn bản đã tạo"
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id"], name="one_set_of_files_per_document"),
        ]

    def __str__(self):
        return f"{self.owner_type.model} {self.owner_id}: {self.get_render_status_display()}"

    @property
    def is_current(self):
        return bool(self.content_digest) and self.content_digest == self.wanted_digest

    def files(self):
        """(format, file field, sha256) of the files there are."""
        return [
            (name, getattr(self, name), getattr(self, f"{name}_sha256"))
            for name in self.FORMATS
            if getattr(self, name).name
        ]
