"""The emulation year: the Department's plan for the year, registration (đăng ký thi đua), the units' year-end
assessment (bình xét), scoring (chấm điểm) and ranking.

Every model with a workflow declares its StateMachine beside it (workflow/transitions.py); services in
emulation/services/ are the only code that moves them.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from portal.uploads import private_storage
from workflow.errors import InvalidTransition
from workflow.models import TransitionRecord
from workflow.transitions import Move, StateMachine

WAITING = "Không thực hiện được: hồ sơ không ở trạng thái chờ xử lý (có thể người khác vừa xử lý)."
NOT_EDITABLE = "Không thực hiện được: hồ sơ đã nộp; chỉ sửa được khi đang soạn hoặc bị trả lại."


def emulation_upload_to(instance, filename):
    return f"emulation/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


class Classification(models.TextChoices):
    """The annual quality classification of a civil servant or employee (xếp loại chất lượng)."""

    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    DONE = "done", "Hoàn thành nhiệm vụ"
    NOT_DONE = "not_done", "Không hoàn thành nhiệm vụ"


class EmulationYear(models.Model):
    """One emulation year: the Department's plan for it (Kế hoạch / phát động thi đua năm …) and its registration
    window.

    Recording the plan lets the office open registration; the window's dates are data; a registration after the
    due date needs a reason, and none is taken once the office closes the window.
    """

    campaign = models.ForeignKey("campaign.Campaign", on_delete=models.PROTECT, related_name="emulation_years")
    year = models.PositiveSmallIntegerField("năm", unique=True)
    plan_number = models.CharField("số kế hoạch", max_length=50, blank=True, help_text="Ví dụ: 15/KH-SKHCN.")
    plan_date = models.DateField("ngày ban hành kế hoạch", null=True, blank=True)
    plan_title = models.CharField("trích yếu", max_length=300, blank=True)
    plan_file = models.FileField(
        "tệp kế hoạch", storage=private_storage, upload_to=emulation_upload_to, max_length=200, blank=True
    )
    registration_opens_on = models.DateField("mở đăng ký từ ngày", null=True, blank=True)
    registration_due_on = models.DateField("hạn đăng ký", null=True, blank=True)
    registration_opened_at = models.DateTimeField("mở đăng ký lúc", null=True, blank=True)
    registration_closed_at = models.DateTimeField("đóng đăng ký lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "năm thi đua"
        verbose_name_plural = "năm thi đua"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_due_on__isnull=True)
                | Q(registration_opens_on__isnull=True)
                | Q(registration_due_on__gte=models.F("registration_opens_on")),
                name="emulation_year_window_in_order",
            ),
        ]

    def __str__(self):
        return f"Năm thi đua {self.year}"

    @property
    def has_plan(self):
        return bool(self.plan_number and self.plan_date)

    @property
    def registration_is_open(self):
        return self.registration_opened_at is not None and self.registration_closed_at is None

    @property
    def registration_state(self):
        if self.registration_opened_at is None:
            return "Chưa mở đăng ký"
        if self.registration_closed_at is not None:
            return "Đã đóng đăng ký"
        return "Đang mở đăng ký"

    def is_late_on(self, day):
        return self.registration_due_on is not None and day > self.registration_due_on


class Registration(models.Model):
    """One unit's registration for the year: the titles it and its people aim at and its commitments per criterion."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để bổ sung"
        ACCEPTED = "accepted", "Đã tiếp nhận"

    year = models.ForeignKey(EmulationYear, verbose_name="năm", on_delete=models.PROTECT, related_name="registrations")
    unit = models.ForeignKey("units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("tên đơn vị khi lập", max_length=255)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    submission_count = models.PositiveIntegerField("số lần gửi", default=0)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField("gửi muộn", default=False)
    late_reason = models.TextField("lý do gửi muộn", blank=True)
    accepted_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "đăng ký thi đua của đơn vị"
        verbose_name_plural = "đăng ký thi đua của đơn vị"
        ordering = ["-year__year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="one_registration_per_unit_and_year"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="registration_past_draft_submitted"
            ),
            models.CheckConstraint(
                condition=Q(is_late=False) | ~Q(late_reason=""), name="late_registration_has_reason"
            ),
        ]

    def __str__(self):
        return f"Đăng ký thi đua năm {self.year.year} — {self.unit_name}"

    @property
    def is_editable_state(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


Registration.WORKFLOW = StateMachine(
    moves={
        "submit": Move(
            (Registration.Status.DRAFT, Registration.Status.RETURNED), Registration.Status.SUBMITTED, NOT_EDITABLE
        ),
        "return": Move((Registration.Status.SUBMITTED,), Registration.Status.RETURNED, WAITING),
        "accept": Move((Registration.Status.SUBMITTED,), Registration.Status.ACCEPTED, WAITING),
    },
    record="emulation.RegistrationTransition",
    subject="registration",
    refusal=InvalidTransition,
)


class RegistrationTransition(TransitionRecord):
    """Append-only record of every move of a registration, with its content as it stood."""

    class Action(models.TextChoices):
        CREATE = "create", "Tạo đăng ký"
        SUBMIT = "submit", "Gửi đăng ký"
        RETURN = "return", "Trả lại để bổ sung"
        ACCEPT = "accept", "Tiếp nhận"

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=12, choices=Action.choices)
    snapshot = models.JSONField(default=dict)

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử đăng ký thi đua"
        verbose_name_plural = "lịch sử đăng ký thi đua"


class RegisteredTitle(models.Model):
    """A title of the catalogue registered for: by the unit itself (no person) or by one of its people."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="titles")
    person = models.ForeignKey(
        "units.Person", verbose_name="cá nhân", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title_code = models.SlugField("mã danh hiệu", max_length=60)
    title_name = models.CharField("danh hiệu", max_length=200)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "danh hiệu đăng ký"
        verbose_name_plural = "danh hiệu đăng ký"
        ordering = ["registration", "person__full_name", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "title_code"],
                condition=Q(person__isnull=True),
                name="collective_title_registered_once",
            ),
            models.UniqueConstraint(
                fields=["registration", "person", "title_code"],
                condition=Q(person__isnull=False),
                name="individual_title_registered_once",
            ),
        ]

    def __str__(self):
        return self.title_name

    @property
    def is_collective(self):
        return self.person_id is None


class Commitment(models.Model):
    """The unit's commitment on one criterion: a target for an indicator that applies to it, or a short text."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="commitments")
    criterion = models.ForeignKey(
        "campaign.Criterion", verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.ForeignKey(
        "campaign.Indicator", verbose_name="chỉ số", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target = models.DecimalField(
        "chỉ tiêu đăng ký", max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    text = models.TextField("nội dung cam kết", blank=True)

    class Meta:
        verbose_name = "cam kết theo tiêu chí"
        verbose_name_plural = "cam kết theo tiêu chí"
        ordering = ["registration", "criterion__group__sort_order", "criterion__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "criterion"],
                condition=Q(indicator__isnull=True),
                name="one_text_commitment_per_criterion",
            ),
            models.UniqueConstraint(
                fields=["registration", "indicator"],
                condition=Q(indicator__isnull=False),
                name="one_target_per_indicator",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(target__gte=0), name="commitment_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.criterion} — {self.target if self.target is not None else self.text}"


class DepartmentRegistration(models.Model):
    """The Department's registration for the year, compiled from the units' accepted lists plus its own collective
    titles, sent as a công văn "V/v đăng ký thi đua năm …" with the list as its annex, once the Director approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        PENDING_APPROVAL = "pending", "Chờ lãnh đạo duyệt"
        RETURNED = "returned", "Lãnh đạo trả lại"
        APPROVED = "approved", "Đã duyệt"
        ISSUED = "issued", "Đã ban hành"

    year = models.OneToOneField(EmulationYear, on_delete=models.PROTECT, related_name="department_registration")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    own_titles = models.JSONField(
        "danh hiệu tập thể Sở đăng ký", default=list, blank=True, help_text="Mã các danh hiệu tập thể của Sở."
    )
    recipients = models.TextField(
        "kính gửi",
        blank=True,
        help_text="Mỗi dòng một nơi nhận, ví dụ: Sở Nội vụ; Trưởng Khối thi đua.",
    )
    snapshot = models.JSONField("danh sách khi tổng hợp", default=dict, blank=True)
    compiled_at = models.DateTimeField("tổng hợp lúc", null=True, blank=True)
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    register_entry = models.OneToOneField(
        "documents.OutgoingDocument",
        verbose_name="số văn bản",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="department_registration",
    )

    class Meta:
        verbose_name = "đăng ký thi đua của Sở"
        verbose_name_plural = "đăng ký thi đua của Sở"

    def __str__(self):
        return f"Đăng ký thi đua năm {self.year.year} của Sở"


DepartmentRegistration.WORKFLOW = StateMachine(
    moves={
        "send_for_approval": Move(
            (DepartmentRegistration.Status.DRAFT, DepartmentRegistration.Status.RETURNED),
            DepartmentRegistration.Status.PENDING_APPROVAL,
        ),
        "approve": Move((DepartmentRegistration.Status.PENDING_APPROVAL,), DepartmentRegistration.Status.APPROVED),
        "return": Move((DepartmentRegistration.Status.PENDING_APPROVAL,), DepartmentRegistration.Status.RETURNED),
        "issue": Move((DepartmentRegistration.Status.APPROVED,), DepartmentRegistration.Status.ISSUED),
    },
    record="emulation.DepartmentRegistrationTransition",
    subject="department_registration",
    refusal=InvalidTransition,
)


class DepartmentRegistrationTransition(TransitionRecord):
    department_registration = models.ForeignKey(
        DepartmentRegistration, on_delete=models.PROTECT, related_name="transitions"
    )

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử đăng ký thi đua của Sở"
        verbose_name_plural = "lịch sử đăng ký thi đua của Sở"


class Assessment(models.Model):
    """A unit's year-end assessment (bình xét): its meeting's proposal for each of its people, the minutes, and the
    classifications decided by the competent person, which the office enters or confirms."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để bổ sung"
        CONFIRMED = "confirmed", "Đã xác nhận xếp loại"

    year = models.ForeignKey(EmulationYear, verbose_name="năm", on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey("units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    meeting_date = models.DateField("ngày họp bình xét", null=True, blank=True)
    meeting_attendance = models.CharField("thành phần, số người dự họp", max_length=300, blank=True)
    minutes_file = models.FileField(
        "biên bản họp (tệp)", storage=private_storage, upload_to=emulation_upload_to, max_length=200, blank=True
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "bình xét cuối năm của đơn vị"
        verbose_name_plural = "bình xét cuối năm của đơn vị"
        ordering = ["-year__year", "unit__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="one_assessment_per_unit_and_year"),
        ]

    def __str__(self):
        return f"Bình xét năm {self.year.year} — {self.unit}"

    @property
    def is_editable_state(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


Assessment.WORKFLOW = StateMachine(
    moves={
        "submit": Move(
            (Assessment.Status.DRAFT, Assessment.Status.RETURNED), Assessment.Status.SUBMITTED, NOT_EDITABLE
        ),
        "return": Move((Assessment.Status.SUBMITTED,), Assessment.Status.RETURNED, WAITING),
        "confirm": Move((Assessment.Status.SUBMITTED,), Assessment.Status.CONFIRMED, WAITING),
    },
    record="emulation.AssessmentTransition",
    subject="assessment",
    refusal=InvalidTransition,
)


class AssessmentTransition(TransitionRecord):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="transitions")
    snapshot = models.JSONField(default=dict)

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử bình xét"
        verbose_name_plural = "lịch sử bình xét"


class AssessmentEntry(models.Model):
    """One person in the unit's assessment: the meeting's proposal and the classification decided."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey("units.Person", verbose_name="cá nhân", on_delete=models.PROTECT, related_name="+")
    proposed_classification = models.CharField("đơn vị đề xuất xếp loại", max_length=12, choices=Classification.choices)
    proposed_titles = models.JSONField("danh hiệu đề xuất", default=list, blank=True, help_text="Mã các danh hiệu.")
    decided_classification = models.CharField(
        "xếp loại được quyết định", max_length=12, choices=Classification.choices, blank=True
    )
    decided_by = models.CharField("người có thẩm quyền xếp loại", max_length=200, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "kết quả bình xét cá nhân"
        verbose_name_plural = "kết quả bình xét cá nhân"
        ordering = ["assessment", "person__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "person"], name="one_entry_per_person_in_assessment"),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_proposed_classification_display()}"


class ScoringScheme(models.Model):
    """How units are scored for one year, of one kind: the Department's annual whole-of-work scoring (feeds the annual
    titles) or the campaign's (feeds the campaign's own awards). The two never mix (Nghị định 152/2025, Điều 4).

    Its state is the scores' state: draft (office scoring) → published (provisional scores shown to each unit, which
    may explain until `explain_until`) → reviewed (by the council, in a minuted session) → confirmed (by leadership:
    the scores are locked).
    """

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Chấm điểm thi đua hằng năm (toàn diện nhiệm vụ)"
        CAMPAIGN = "campaign", "Chấm điểm Phong trào thi đua theo chuyên đề"

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang chấm"
        PUBLISHED = "published", "Đã công bố điểm tạm tính"
        REVIEWED = "reviewed", "Hội đồng đã xem xét"
        CONFIRMED = "confirmed", "Lãnh đạo đã xác nhận"

    class TieBreak(models.TextChoices):
        ON_TIME = "on_time", "Nộp báo cáo đúng hạn xếp trên"
        FEWER_DEDUCTIONS = "fewer_deductions", "Ít điểm trừ hơn xếp trên"
        HIGHER_FIRST_ITEM = "items_in_order", "Điểm cao hơn ở các mục theo thứ tự của bảng điểm xếp trên"
        UNIT_ORDER = "unit_order", "Theo thứ tự đơn vị trong danh sách của Sở"

    year = models.ForeignKey(EmulationYear, verbose_name="năm", on_delete=models.PROTECT, related_name="schemes")
    kind = models.CharField("loại chấm điểm", max_length=10, choices=Kind.choices)
    name = models.CharField("tên bảng điểm", max_length=300)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    tie_break = models.JSONField(
        "quy tắc xếp hạng khi bằng điểm",
        default=list,
        help_text="Các quy tắc theo thứ tự áp dụng (mã trong TieBreak).",
    )
    explain_until = models.DateField("hạn đơn vị giải trình", null=True, blank=True)
    council_session_on = models.DateField("ngày Hội đồng họp xem xét", null=True, blank=True)
    council_minutes = models.TextField("kết luận của Hội đồng (biên bản)", blank=True)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bảng điểm thi đua"
        verbose_name_plural = "bảng điểm thi đua"
        ordering = ["-year__year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="one_scheme_per_year_and_kind"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_locked(self):
        return self.status == self.Status.CONFIRMED

    def tie_break_labels(self):
        labels = dict(self.TieBreak.choices)
        return [labels[code] for code in self.tie_break if code in labels]


ScoringScheme.WORKFLOW = StateMachine(
    moves={
        "publish": Move((ScoringScheme.Status.DRAFT,), ScoringScheme.Status.PUBLISHED),
        "review": Move((ScoringScheme.Status.PUBLISHED,), ScoringScheme.Status.REVIEWED),
        "confirm": Move(
            (ScoringScheme.Status.REVIEWED,),
            ScoringScheme.Status.CONFIRMED,
            "Không thực hiện được: điểm chỉ được xác nhận sau khi Hội đồng đã xem xét.",
        ),
    },
    record="emulation.SchemeTransition",
    subject="scheme",
    refusal=InvalidTransition,
)


class SchemeTransition(TransitionRecord):
    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử bảng điểm"
        verbose_name_plural = "lịch sử bảng điểm"


class SchemeItem(models.Model):
    """One scored item: its maximum and how points follow from the unit's annual report."""

    class Basis(models.TextChoices):
        SELF_ASSESSMENT = "assessment", "Theo mức tự đánh giá của đơn vị"
        INDICATOR = "indicator", "Theo kết quả chỉ số so với chỉ tiêu đăng ký"
        TIMELINESS = "timeliness", "Theo thời hạn nộp báo cáo"
        OFFICE = "office", "Văn phòng chấm trực tiếp"

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="items")
    label = models.CharField("nội dung chấm điểm", max_length=300)
    criterion = models.ForeignKey(
        "campaign.Criterion",
        verbose_name="tiêu chí",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    basis = models.CharField("cách tính điểm", max_length=12, choices=Basis.choices)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    level_points = models.JSONField(
        "điểm theo mức tự đánh giá", default=dict, blank=True, help_text='{"mã mức đánh giá": điểm}.'
    )
    indicator = models.ForeignKey(
        "campaign.Indicator", verbose_name="chỉ số", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proportional = models.BooleanField(
        "tính theo tỷ lệ đạt",
        default=True,
        help_text="Có: điểm tối đa × kết quả ÷ chỉ tiêu (không quá điểm tối đa). Không: đủ điểm khi đạt chỉ tiêu, "
        "0 điểm khi không đạt.",
    )
    late_points = models.DecimalField(
        "điểm khi nộp muộn", max_digits=6, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "mục chấm điểm"
        verbose_name_plural = "mục chấm điểm"
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=0), name="scheme_item_max_not_negative"),
            models.CheckConstraint(
                condition=Q(late_points__lte=models.F("max_points")), name="scheme_item_late_points_within_max"
            ),
        ]

    def __str__(self):
        return self.label


class SchemeAdjustment(models.Model):
    """A bonus or a deduction of a scheme, with the event that triggers it and its points per occurrence."""

    class Kind(models.TextChoices):
        BONUS = "bonus", "Điểm thưởng"
        DEDUCTION = "deduction", "Điểm trừ"

    class Trigger(models.TextChoices):
        LATE_REPORT = "late_report", "Báo cáo nộp muộn (mỗi báo cáo trong năm)"
        RETURNED_REPORT = "returned_report", "Báo cáo bị trả lại để bổ sung (mỗi lần)"
        REGISTRATION_MISSING = "no_registration", "Không đăng ký thi đua"
        DISCIPLINE = "discipline", "Cá nhân bị kỷ luật (mỗi trường hợp, Văn phòng nhập)"
        OFFICE = "office", "Văn phòng nhập số lần"

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="adjustments")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    trigger = models.CharField("căn cứ", max_length=20, choices=Trigger.choices)
    label = models.CharField("nội dung", max_length=300)
    points = models.DecimalField(
        "điểm mỗi lần",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="Số dương; điểm trừ được trừ vào tổng.",
    )
    max_occurrences = models.PositiveSmallIntegerField(
        "tính tối đa số lần", null=True, blank=True, help_text="Để trống nếu không giới hạn."
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "điểm thưởng, điểm trừ"
        verbose_name_plural = "điểm thưởng, điểm trừ"
        ordering = ["scheme", "sort_order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0), name="scheme_adjustment_points_not_negative"),
        ]

    def __str__(self):
        return self.label

    @property
    def sign(self):
        return Decimal(1) if self.kind == self.Kind.BONUS else Decimal(-1)


class UnitScore(models.Model):
    """One unit's score under a scheme: its lines, the totals, its explanation (giải trình)."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.PROTECT, related_name="scores")
    unit = models.ForeignKey("units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField("tên đơn vị", max_length=255)
    self_total = models.DecimalField("điểm tự chấm", max_digits=8, decimal_places=2, default=Decimal(0))
    total = models.DecimalField("điểm", max_digits=8, decimal_places=2, default=Decimal(0))
    on_time = models.BooleanField("nộp báo cáo năm đúng hạn", default=False)
    deductions = models.DecimalField("tổng điểm trừ", max_digits=8, decimal_places=2, default=Decimal(0))
    explanation = models.TextField("giải trình của đơn vị", blank=True)
    explained_at = models.DateTimeField("giải trình lúc", null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField("tính lúc", null=True, blank=True)

    class Meta:
        verbose_name = "điểm thi đua của đơn vị"
        verbose_name_plural = "điểm thi đua của đơn vị"
        ordering = ["scheme", "-total"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="one_score_per_unit_and_scheme"),
        ]

    def __str__(self):
        return f"{self.unit_name}: {self.total}"


class ScoreLine(models.Model):
    """One line of a unit's score: an item or an adjustment, the points computed from the report (self) and the
    office's points where it differs, never without its reason. An adjustment's points carry their sign (a
    deduction is negative)."""

    score = models.ForeignKey(UnitScore, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(SchemeItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    adjustment = models.ForeignKey(SchemeAdjustment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    occurrences = models.PositiveSmallIntegerField("số lần", default=0)
    self_points = models.DecimalField("điểm tự chấm", max_digits=8, decimal_places=2, default=Decimal(0))
    office_points = models.DecimalField("điểm Văn phòng chấm", max_digits=8, decimal_places=2, null=True, blank=True)
    reason = models.TextField("lý do", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scored_at = models.DateTimeField("chấm lúc", null=True, blank=True)

    class Meta:
        verbose_name = "dòng điểm"
        verbose_name_plural = "dòng điểm"
        ordering = ["score", "item__sort_order", "adjustment__sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(item__isnull=False) & Q(adjustment__isnull=True))
                | (Q(item__isnull=True) & Q(adjustment__isnull=False)),
                name="score_line_item_or_adjustment",
            ),
            models.CheckConstraint(
                condition=Q(office_points__isnull=True) | ~Q(reason=""), name="office_points_have_reason"
            ),
            models.UniqueConstraint(
                fields=["score", "item"], condition=Q(item__isnull=False), name="one_line_per_item"
            ),
            models.UniqueConstraint(
                fields=["score", "adjustment"], condition=Q(adjustment__isnull=False), name="one_line_per_adjustment"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.points}"

    @property
    def points(self):
        """The line's points as they count: the office's where it scored differently, else the computed ones."""
        return self.self_points if self.office_points is None else self.office_points

    @property
    def label(self):
        return (self.item or self.adjustment).label
