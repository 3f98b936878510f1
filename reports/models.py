"""Unit reports for a reporting period, their review by the office, evidence and notifications."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from campaign.models import ReportingPeriod
from portal.uploads import private_storage
from workflow.models import LeasedJobFields, TransitionRecord
from workflow.transitions import Move, StateMachine

from .errors import InvalidTransition


def history_upload_to(instance, filename):
    return f"history-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class HistoryImport(models.Model):
    """One spreadsheet of a past period's unit reports, brought in by the office; the source file is kept."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name="kỳ báo cáo", on_delete=models.PROTECT, related_name="history_imports"
    )
    source = models.FileField("tệp nguồn", storage=private_storage, upload_to=history_upload_to, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("sha256 của tệp", max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("nhập lúc", default=timezone.now)
    rows_created = models.PositiveIntegerField("số báo cáo đã nhập", default=0)

    class Meta:
        verbose_name = "lần nhập báo cáo các kỳ trước"
        verbose_name_plural = "lần nhập báo cáo các kỳ trước"
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.original_name} ({self.imported_at:%d/%m/%Y})"


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
    # A report of a past period brought in from a spreadsheet (reports/services/history.py): marked as history,
    # with its source file on the import; it counts in the overview, the trends and the phase review like any other.
    history_import = models.ForeignKey(
        HistoryImport,
        verbose_name="nhập từ tệp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    # A unit with its own seal (Chi cục, Trung tâm) numbers its report in its own register, kept in the
    # shared register under its own issuer code; a phòng's report carries no number.
    register_entry = models.OneToOneField(
        "documents.OutgoingDocument",
        verbose_name="số văn bản",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unit_report",
    )
    review_opened_at = models.DateTimeField("bắt đầu rà soát lúc", null=True, blank=True)
    review_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

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
    def is_imported_history(self):
        return self.history_import_id is not None

    @property
    def is_editable_state(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


_WAITING_FOR_REVIEW = "Báo cáo không ở trạng thái chờ rà soát (có thể người khác vừa xử lý)."
# The moves of a unit report (DESIGN.md section 3); reports/services/workflow.py makes them.
UnitReport.WORKFLOW = StateMachine(
    moves={
        "submit": Move(
            (UnitReport.Status.DRAFT, UnitReport.Status.RETURNED),
            UnitReport.Status.SUBMITTED,
            "Báo cáo đã được nộp hoặc đã được tiếp nhận; không nộp lại được.",
        ),
        "withdraw": Move(
            (UnitReport.Status.SUBMITTED,),
            UnitReport.Status.DRAFT,
            "Chỉ rút lại được báo cáo đã nộp mà Văn phòng chưa mở rà soát.",
        ),
        "open_review": Move((UnitReport.Status.SUBMITTED,), UnitReport.Status.SUBMITTED, _WAITING_FOR_REVIEW),
        "return": Move((UnitReport.Status.SUBMITTED,), UnitReport.Status.RETURNED, _WAITING_FOR_REVIEW),
        "accept": Move((UnitReport.Status.SUBMITTED,), UnitReport.Status.ACCEPTED, _WAITING_FOR_REVIEW),
    },
    record="reports.ReportTransition",
    subject="report",
    refusal=InvalidTransition,
)


class Addressee(models.TextChoices):
    """Whom a unit's proposal (đề xuất, kiến nghị) is addressed to: the Department itself, or above it."""

    DEPARTMENT = "department", "Sở Khoa học và Công nghệ"
    PROVINCE = "province", "UBND tỉnh, các sở, ngành của tỉnh"
    CENTRAL = "central", "Các bộ, ngành Trung ương"
    UNCLASSIFIED = "", "Chưa phân loại"


UPWARD = (Addressee.PROVINCE, Addressee.CENTRAL)


class ReportSection(models.Model):
    """One overall section of a report (kết quả nổi bật, tồn tại hạn chế, …), versioned for conflicts.

    The proposals section (RECOMMENDATIONS) holds a list of `items` — {"id", "text", "to"}, `to` an
    Addressee — instead of free text; a text written before that became one unclassified item.
    """

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
    items = models.JSONField("các đề xuất, kiến nghị", default=list, blank=True)
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


class ReportTransition(TransitionRecord):
    """Append-only record of every state change of a report, with the content as it stood."""

    class Action(models.TextChoices):
        CREATE = "create", "Tạo báo cáo"
        SUBMIT = "submit", "Nộp báo cáo"
        WITHDRAW = "withdraw", "Rút lại để sửa"
        OPEN_REVIEW = "open_review", "Bắt đầu rà soát"
        RETURN = "return", "Trả lại để bổ sung"
        ACCEPT = "accept", "Tiếp nhận"
        CLASSIFY = "classify", "Phân loại đề xuất, kiến nghị"

    report = models.ForeignKey(UnitReport, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=UnitReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=UnitReport.Status.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(default=dict)
    submission_number = models.PositiveIntegerField(default=0)

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử báo cáo"
        verbose_name_plural = "lịch sử báo cáo"

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


def issued_document_upload_to(instance, filename):
    return f"issued/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class ConsolidatedReport(LeasedJobFields):
    """The Department's report on a period to UBND tỉnh (qua Sở Nội vụ), compiled by a Celery job.

    The row is the truth of the job: a worker claims it with a lease (attempt token and heartbeat)
    by a conditional update; the sweeper re-enqueues queued rows and rows whose lease expired.
    The compiled data is frozen in `snapshot`; the office's edits live in `sections`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ tổng hợp"
        COMPILING = "compiling", "Đang tổng hợp"
        READY = "ready", "Dự thảo"
        PENDING_APPROVAL = "pending_approval", "Chờ lãnh đạo duyệt"
        RETURNED = "returned", "Lãnh đạo trả lại"
        APPROVED = "approved", "Đã duyệt"
        ISSUED = "issued", "Đã ban hành"
        FAILED = "failed", "Tổng hợp lỗi"
        SUPERSEDED = "superseded", "Đã thay bằng bản mới"

    period = models.ForeignKey(
        "campaign.ReportingPeriod", verbose_name="kỳ báo cáo", on_delete=models.PROTECT, related_name="consolidated"
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    compiled_at = models.DateTimeField(null=True, blank=True)
    # Content.
    snapshot = models.JSONField(default=dict, blank=True)
    sections = models.JSONField(default=dict, blank=True)
    carried_forward = models.BooleanField("mang nội dung đã sửa từ bản trước", default=False)
    previous_version = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Approval and issue.
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    signer_name = models.CharField(max_length=150, blank=True)
    signer_is_deputy = models.BooleanField(default=False)
    content_sha256 = models.CharField(max_length=64, blank=True)
    register_entry = models.OneToOneField(
        "documents.OutgoingDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consolidated_report",
    )
    signed_pdf = models.FileField(
        storage=private_storage, upload_to=issued_document_upload_to, max_length=200, blank=True
    )
    sent_on = models.DateField("ngày gửi", null=True, blank=True)
    sent_channel = models.CharField("hình thức gửi", max_length=200, blank=True)

    class Meta:
        verbose_name = "báo cáo tổng hợp"
        verbose_name_plural = "báo cáo tổng hợp"
        ordering = ["-period__end", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=~Q(status="superseded"),
                name="one_live_consolidated_report_per_period",
            ),
            models.UniqueConstraint(fields=["period", "version"], name="consolidated_version_unique"),
        ]

    def __str__(self):
        return f"Báo cáo tổng hợp {self.period.label} (bản {self.version})"

    def get_absolute_url(self):
        return reverse("reports:consolidated_detail", args=[self.pk])

    @property
    def has_content(self):
        """Compiled and not failed; a version replaced by a newer one keeps its (draft) documents."""
        Status = self.Status
        compiled = (Status.READY, Status.PENDING_APPROVAL, Status.RETURNED, Status.APPROVED, Status.ISSUED)
        return self.status in compiled or (self.status == Status.SUPERSEDED and self.compiled_at is not None)


_CONSOLIDATED_BUSY = "Báo cáo tổng hợp không ở trạng thái phù hợp (có thể người khác vừa xử lý)."
# The moves people make (the compile job's own moves are workflow.jobs' conditional updates); events that
# change no state — request, compile, fail, edit, send — are recorded with WORKFLOW.record.
ConsolidatedReport.WORKFLOW = StateMachine(
    moves={
        "send_for_approval": Move(
            (ConsolidatedReport.Status.READY, ConsolidatedReport.Status.RETURNED),
            ConsolidatedReport.Status.PENDING_APPROVAL,
            _CONSOLIDATED_BUSY,
        ),
        "approve": Move(
            (ConsolidatedReport.Status.PENDING_APPROVAL,), ConsolidatedReport.Status.APPROVED, _CONSOLIDATED_BUSY
        ),
        "return": Move(
            (ConsolidatedReport.Status.PENDING_APPROVAL,), ConsolidatedReport.Status.RETURNED, _CONSOLIDATED_BUSY
        ),
        "issue": Move(
            (ConsolidatedReport.Status.APPROVED,),
            ConsolidatedReport.Status.ISSUED,
            "Chỉ vào số được báo cáo tổng hợp đã được lãnh đạo duyệt.",
        ),
        "supersede": Move(
            (
                ConsolidatedReport.Status.READY,
                ConsolidatedReport.Status.RETURNED,
                ConsolidatedReport.Status.FAILED,
                ConsolidatedReport.Status.PENDING_APPROVAL,
            ),
            ConsolidatedReport.Status.SUPERSEDED,
            "Báo cáo tổng hợp của kỳ này đã được duyệt; không tổng hợp lại được.",
        ),
    },
    record="reports.ConsolidatedTransition",
    subject="report",
    refusal=InvalidTransition,
)


class ConsolidatedTransition(TransitionRecord):
    """Append-only history of a consolidated report: compile, edits, approval, issue, sending."""

    report = models.ForeignKey(ConsolidatedReport, on_delete=models.PROTECT, related_name="transitions")
    sections = models.JSONField(default=dict, blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử báo cáo tổng hợp"
        verbose_name_plural = "lịch sử báo cáo tổng hợp"

    def __str__(self):
        return f"{self.action} — {self.report}"


class ConsolidatedOutline(models.Model):
    """The outline of the consolidated report for one kind of period, which the office adapts.

    `sections` is a list of {"key", "heading", "source"}: the source names what the compile fills
    the section with (see reports.services.consolidation.SOURCES); "text" sections start with
    `text` and are written by the office.
    """

    period_kind = models.CharField("loại kỳ", max_length=20, unique=True, choices=ReportingPeriod.Kind.choices)
    sections = models.JSONField("các mục")
    recipients = models.JSONField("nơi nhận", default=list)

    class Meta:
        verbose_name = "đề cương báo cáo tổng hợp"
        verbose_name_plural = "đề cương báo cáo tổng hợp"

    SOURCES = (
        "direction",
        "results",
        "awards",
        "highlights",
        "shortcomings",
        "causes",
        "next_steps",
        "recommendations",
        "phase_assessment",
        "lessons",
        "text",
    )

    def __str__(self):
        return f"Đề cương báo cáo {self.get_period_kind_display().lower()}"

    def clean(self):
        if not isinstance(self.sections, list) or not self.sections:
            raise ValidationError({"sections": "Đề cương phải là một danh sách các mục."})
        keys = set()
        for number, item in enumerate(self.sections, start=1):
            if not isinstance(item, dict) or not item.get("key") or not item.get("heading"):
                raise ValidationError({"sections": f"Mục thứ {number} cần có “key” và “heading”."})
            if item.get("source", "text") not in self.SOURCES:
                raise ValidationError(
                    {
                        "sections": f"Mục thứ {number}: nguồn “{item.get('source')}” không hợp lệ; dùng một trong "
                        f"{', '.join(self.SOURCES)}."
                    }
                )
            if item["key"] in keys:
                raise ValidationError({"sections": f"Mục thứ {number}: khóa “{item['key']}” bị trùng."})
            keys.add(item["key"])
        if not isinstance(self.recipients, list) or not all(isinstance(line, str) for line in self.recipients):
            raise ValidationError({"recipients": "Nơi nhận phải là một danh sách các dòng chữ."})
