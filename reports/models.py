"""Unit reports for a reporting period, their review by the office, evidence and notifications."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.uploads import private_storage


class UnitReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports the user may read: their own unit's, and every submitted one for reviewers and leadership."""
        from .permissions import visible_reports_filter

        return self.filter(visible_reports_filter(user))


class UnitReport(models.Model):
    """One unit's report on one period: criterion results, overall sections, and its review state."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã nộp"
        RETURNED = "returned", "Trả lại để bổ sung"
        ACCEPTED = "accepted", "Đã tiếp nhận"

    unit = models.ForeignKey("units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(
        "campaign.ReportingPeriod", verbose_name="kỳ báo cáo", on_delete=models.PROTECT, related_name="unit_reports"
    )
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    unit_name = models.CharField("tên đơn vị khi lập", max_length=255)
    prefilled_from = models.ForeignKey(
        "self", verbose_name="lấy dữ liệu từ báo cáo", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_count = models.PositiveIntegerField("số lần nộp", default=0)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField("nộp muộn", default=False)
    review_opened_at = models.DateTimeField("bắt đầu rà soát lúc", null=True, blank=True)
    review_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = UnitReportQuerySet.as_manager()

    class Meta:
        verbose_name = "báo cáo của đơn vị"
        verbose_name_plural = "báo cáo của đơn vị"
        ordering = ["period__end", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_report_per_unit_and_period"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="report_past_draft_has_submission"
            ),
        ]

    def __str__(self):
        return f"{self.unit_name} — {self.period.label}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def is_editable_state(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class ReportSection(models.Model):
    """One overall section of a report (kết quả nổi bật, tồn tại hạn chế, …), versioned for conflicts."""

    class Key(models.TextChoices):
        HIGHLIGHTS = "highlights", "Kết quả nổi bật"
        SHORTCOMINGS = "shortcomings", "Tồn tại, hạn chế và nguyên nhân"
        NEXT_STEPS = "next_steps", "Phương hướng, nhiệm vụ kỳ tới"
        RECOMMENDATIONS = "recommendations", "Đề xuất, kiến nghị"
        PHASE_ASSESSMENT = "phase_assessment", "Đánh giá cả giai đoạn"
        LESSONS = "lessons", "Bài học kinh nghiệm"

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=20, choices=Key.choices)
    text = models.TextField("nội dung", blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "phần báo cáo"
        verbose_name_plural = "phần báo cáo"
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="one_section_per_key")]

    def __str__(self):
        return self.get_key_display()


class CriterionResult(models.Model):
    """What a unit did on one criterion in the period, its indicator quantities and self-assessment."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey("campaign.Criterion", on_delete=models.PROTECT, related_name="results")
    criterion_code = models.CharField("mã tiêu chí khi lập", max_length=20)
    criterion_text = models.TextField("nội dung tiêu chí khi lập")
    sort_order = models.PositiveIntegerField(default=0)
    activities = models.TextField("kết quả thực hiện", blank=True)
    quantities = models.JSONField("số liệu", default=dict, blank=True)
    assessment = models.ForeignKey(
        "campaign.AssessmentLevel", verbose_name="tự đánh giá", on_delete=models.PROTECT, null=True, blank=True
    )
    not_applicable_reason = models.TextField("lý do không áp dụng", blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kết quả theo tiêu chí"
        verbose_name_plural = "kết quả theo tiêu chí"
        ordering = ["sort_order"]
        constraints = [models.UniqueConstraint(fields=["report", "criterion"], name="one_result_per_criterion")]

    def __str__(self):
        return f"{self.criterion_code} — {self.report}"

    @property
    def is_not_applicable(self):
        return self.assessment is not None and self.assessment.means_not_applicable


class ReportTransition(models.Model):
    """Append-only record of every state change of a report, with the content as it stood."""

    class Action(models.TextChoices):
        CREATE = "create", "Tạo báo cáo"
        SUBMIT = "submit", "Nộp báo cáo"
        WITHDRAW = "withdraw", "Rút lại để sửa"
        OPEN_REVIEW = "open_review", "Bắt đầu rà soát"
        RETURN = "return", "Trả lại để bổ sung"
        ACCEPT = "accept", "Tiếp nhận"

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=UnitReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=UnitReport.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)
    submission_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "lịch sử báo cáo"
        verbose_name_plural = "lịch sử báo cáo"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} — {self.report}"


class ReviewComment(models.Model):
    """A reviewer's comment on one criterion or on the report as a whole."""

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="comments")
    result = models.ForeignKey(
        CriterionResult, on_delete=models.PROTECT, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("nhận xét")
    submission_number = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "nhận xét rà soát"
        verbose_name_plural = "nhận xét rà soát"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


def evidence_upload_to(instance, filename):
    # Random stored name; the original Vietnamese name is kept in `original_name` for download.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """An evidence file attached to a criterion result; immutable once the report is submitted."""

    result = models.ForeignKey(CriterionResult, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng")
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tài liệu minh chứng"
        verbose_name_plural = "tài liệu minh chứng"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class Notification(models.Model):
    """An in-portal notification; e-mail copies are sent by Celery from the same row."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField("nội dung", max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.message


class Dispatch(models.Model):
    """A message recorded under a unique key before it is sent, so no reminder goes out twice."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "lượt gửi nhắc việc"
        verbose_name_plural = "lượt gửi nhắc việc"

    def __str__(self):
        return self.key
