"""Awards: the catalogue, rounds, nominations, the council, outcome documents and the award register.

Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP (DESIGN.md section 7).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from campaign.models import PlanRecord
from emulation.models import Classification
from portal.text import fold_for_search  # re-exported: the search key and awards' callers use it
from portal.uploads import private_storage
from workflow.models import LeasedJobFields, TransitionRecord
from workflow.transitions import Move, StateMachine

from .errors import InvalidTransition


class AwardForm(PlanRecord):
    """A form of award or emulation title, with who confers it and how nominees are chosen.

    Names of bodies, forms and thresholds are data an administrator may change (DESIGN.md 7).
    """

    class RecipientKind(models.TextChoices):
        COLLECTIVE = "collective", "Tập thể"
        INDIVIDUAL = "individual", "Cá nhân"
        BOTH = "both", "Tập thể và cá nhân"

    class AwardType(models.TextChoices):
        THEMATIC = "thematic", "Khen thưởng phong trào thi đua theo chuyên đề"
        REGULAR = "regular", "Khen thưởng thường xuyên (danh hiệu thi đua hằng năm)"
        MERIT = "merit", "Khen thưởng công trạng"

    class ThresholdBase(models.TextChoices):
        ALL_MEMBERS = "all_members", "Tổng số thành viên Hội đồng"
        PRESENT_MEMBERS = "present_members", "Số thành viên có mặt"

    code = models.SlugField("mã", max_length=60, unique=True)
    name = models.CharField("hình thức, danh hiệu", max_length=200)
    award_class = models.CharField("hạng", max_length=50, blank=True, help_text="Ví dụ: hạng Nhất, hạng Nhì, hạng Ba.")
    plan_item = models.PositiveSmallIntegerField(
        "số thứ tự trong mục III.2.2 của Kế hoạch", null=True, blank=True, help_text="Để trống nếu không thuộc mục này."
    )
    is_annual_title = models.BooleanField("danh hiệu thi đua hằng năm", default=False)
    conferring_authority = models.CharField("thẩm quyền quyết định", max_length=200)
    recipient_kind = models.CharField("đối tượng", max_length=12, choices=RecipientKind.choices)
    conferred_by_department = models.BooleanField(
        "Giám đốc Sở quyết định", default=False, help_text="Bỏ chọn nếu Sở chỉ đề nghị cấp trên khen thưởng."
    )
    proposal_recipient = models.CharField(
        "nơi trình đề nghị",
        max_length=300,
        blank=True,
        help_text="Với hình thức do cấp trên quyết định, ví dụ: Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ).",
    )
    award_type = models.CharField("loại hình khen thưởng", max_length=12, choices=AwardType.choices)
    counts_towards_merit_awards = models.BooleanField(
        "được tính làm căn cứ khen thưởng công trạng",
        default=False,
        help_text="Nghị định 152/2025/NĐ-CP, Điều 4: kết quả thi đua theo chuyên đề không làm căn cứ.",
    )
    dossier_parts = models.JSONField(
        "thành phần hồ sơ", default=list, blank=True, help_text='Danh sách {"code", "label", "required"}.'
    )
    requires_council_ballot = models.BooleanField("phải bỏ phiếu tại Hội đồng", default=False)
    ballot_threshold_percent = models.DecimalField(
        "tỷ lệ phiếu đồng ý tối thiểu (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    threshold_base = models.CharField(
        "cơ sở tính tỷ lệ", max_length=20, choices=ThresholdBase.choices, default=ThresholdBase.ALL_MEMBERS
    )
    quorum_percent = models.DecimalField(
        "tỷ lệ thành viên dự họp tối thiểu (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("66.67"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    chair_breaks_ties = models.BooleanField(
        "Chủ tịch Hội đồng quyết định khi số phiếu ngang nhau",
        default=False,
        help_text="Chỉ với hình thức xét theo đa số đơn giản.",
    )
    proposal_route = models.CharField(
        "cấp trình tiếp",
        max_length=300,
        blank=True,
        help_text="Khi nơi nhận tờ trình không phải cấp quyết định, tờ trình đề nghị nơi nhận “xem xét, trình …”; "
        "ví dụ với Huân chương: Thủ tướng Chính phủ đề nghị Chủ tịch nước. Để trống nếu nơi nhận quyết định.",
    )
    # Amounts are set by the administrator from the rules in force; blank means the form carries no bonus.
    bonus_individual = models.DecimalField(
        "tiền thưởng mỗi cá nhân (đồng)",
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Để trống nếu hình thức này không kèm tiền thưởng.",
    )
    bonus_collective = models.DecimalField(
        "tiền thưởng mỗi tập thể (đồng)",
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Để trống nếu hình thức này không kèm tiền thưởng.",
    )
    prerequisites = models.ManyToManyField(
        "self",
        through="AwardPrerequisite",
        through_fields=("award_form", "required_form"),
        symmetrical=False,
        blank=True,
        verbose_name="điều kiện tiên quyết",
        related_name="required_by",
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "hình thức khen thưởng"
        verbose_name_plural = "hình thức khen thưởng"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requires_council_ballot=False) | Q(ballot_threshold_percent__isnull=False),
                name="ballot_form_has_threshold",
            ),
            models.CheckConstraint(
                condition=Q(conferred_by_department=True) | ~Q(proposal_recipient=""),
                name="proposed_form_names_recipient",
            ),
            models.CheckConstraint(
                condition=Q(bonus_individual__isnull=True) | Q(bonus_individual__gte=0),
                name="bonus_individual_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(bonus_collective__isnull=True) | Q(bonus_collective__gte=0),
                name="bonus_collective_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.award_class}".strip()

    @property
    def display_name(self):
        return str(self)


class AwardPrerequisite(PlanRecord):
    """A title the nominee must already hold (e.g. Chiến sĩ thi đua cơ sở needs Lao động tiên tiến)."""

    class Window(models.TextChoices):
        SAME_YEAR = "same_year", "Cùng năm xét"
        ANY_YEAR = "any_year", "Bất kỳ năm nào trước đó"

    award_form = models.ForeignKey(AwardForm, on_delete=models.PROTECT, related_name="prerequisite_rules")
    required_form = models.ForeignKey(AwardForm, on_delete=models.PROTECT, related_name="+")
    window = models.CharField("thời điểm", max_length=12, choices=Window.choices, default=Window.SAME_YEAR)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "điều kiện tiên quyết"
        verbose_name_plural = "điều kiện tiên quyết"
        constraints = [
            models.UniqueConstraint(fields=["award_form", "required_form"], name="one_rule_per_prerequisite"),
        ]

    def __str__(self):
        return f"{self.award_form} cần {self.required_form}"


# ---------------------------------------------------------------------------------------------
# Rounds and nominations
# ---------------------------------------------------------------------------------------------

# The structure of a report of achievement for a thematic campaign (Nghị định 152/2025/NĐ-CP,
# appendix): the parts a nomination's achievement summary is written in.
ACHIEVEMENT_PARTS = (
    ("situation", "I. Sơ lược đặc điểm, tình hình"),
    ("achievements", "II. Thành tích đạt được trong phong trào thi đua"),
    ("measures", "III. Các biện pháp, giải pháp đã thực hiện"),
    ("effects", "IV. Hiệu quả, tác dụng và khả năng nhân rộng"),
)


class AwardRound(models.Model):
    """Đợt xét khen thưởng: the annual round of a year or a phase review, opened by the office."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Xét khen thưởng hằng năm"
        PHASE_REVIEW = "phase_review", "Xét khen thưởng sơ kết, tổng kết giai đoạn"

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang chuẩn bị"
        OPEN = "open", "Đang nhận hồ sơ"
        CLOSED = "closed", "Đã hết hạn nhận hồ sơ"
        FINISHED = "finished", "Đã kết thúc"

    campaign = models.ForeignKey(
        "campaign.Campaign", verbose_name="phong trào", on_delete=models.PROTECT, related_name="award_rounds"
    )
    kind = models.CharField("loại đợt", max_length=15, choices=Kind.choices)
    title = models.CharField("tên đợt", max_length=255)
    year = models.PositiveSmallIntegerField("năm xét")
    phase = models.ForeignKey(
        "campaign.Phase", verbose_name="giai đoạn", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    periods = models.ManyToManyField(
        "campaign.ReportingPeriod",
        verbose_name="các kỳ báo cáo phải được tiếp nhận",
        blank=True,
        related_name="award_rounds",
    )
    forms = models.ManyToManyField(AwardForm, through="RoundForm", verbose_name="hình thức xét", related_name="rounds")
    deadline = models.DateField("hạn nộp hồ sơ")
    notice_starts_on = models.DateField("công khai từ ngày", null=True, blank=True)
    notice_ends_on = models.DateField("công khai đến ngày", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "đợt xét khen thưởng"
        verbose_name_plural = "đợt xét khen thưởng"
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="annual") | Q(phase__isnull=False), name="phase_review_names_phase"
            ),
            models.CheckConstraint(
                condition=Q(notice_starts_on__isnull=True)
                | Q(notice_ends_on__isnull=True)
                | Q(notice_ends_on__gte=F("notice_starts_on")),
                name="notice_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:round_detail", args=[self.pk])

    @property
    def accepts_nominations(self):
        return self.status == self.Status.OPEN

    def notice_runs_on(self, day):
        starts, ends = self.notice_starts_on, self.notice_ends_on
        return bool(starts and ends and starts <= day <= ends)


AwardRound.WORKFLOW = StateMachine(
    moves={
        "open": Move((AwardRound.Status.DRAFT,), AwardRound.Status.OPEN, "Chỉ mở được đợt xét đang chuẩn bị."),
        "close": Move((AwardRound.Status.OPEN,), AwardRound.Status.CLOSED, "Chỉ đóng được đợt xét đang nhận hồ sơ."),
        "finish": Move(
            (AwardRound.Status.CLOSED,),
            AwardRound.Status.FINISHED,
            "Chỉ kết thúc được đợt xét đã hết hạn nhận hồ sơ.",
        ),
    },
    record="awards.RoundTransition",
    subject="round",
    refusal=InvalidTransition,
)


class RoundTransition(TransitionRecord):
    """Append-only history of a round: created, opened, closed, finished."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử đợt xét khen thưởng"
        verbose_name_plural = "lịch sử đợt xét khen thưởng"

    def __str__(self):
        return f"{self.action} — {self.round}"


class RoundForm(models.Model):
    """A form on offer in a round, with an optional quota (how many the Department may nominate)."""

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT, related_name="round_forms")
    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT, related_name="+")
    quota = models.PositiveIntegerField("chỉ tiêu", null=True, blank=True, help_text="Để trống nếu không giới hạn.")

    class Meta:
        verbose_name = "hình thức xét trong đợt"
        verbose_name_plural = "hình thức xét trong đợt"
        ordering = ["form__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "form"], name="form_once_per_round")]

    def __str__(self):
        return f"{self.form} — {self.round}"


class NominationQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Nomination.CLOSED)


class Nomination(models.Model):
    """Đề nghị khen thưởng: one nominee (the unit itself or one person) for one form in one round.

    A list (e.g. Lao động tiên tiến for many people) is many nominations sharing `batch`.
    The nominee's name, position and unit are kept as they stood when the unit submitted.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để bổ sung"
        ON_AGENDA = "on_agenda", "Chờ Hội đồng xét"
        RECOMMENDED = "recommended", "Hội đồng đề nghị khen thưởng"
        NOT_RECOMMENDED = "not_recommended", "Hội đồng không đề nghị"
        APPROVED = "approved", "Lãnh đạo đồng ý"
        REJECTED = "rejected", "Lãnh đạo không đồng ý"
        CONFERRED = "conferred", "Đã khen thưởng"
        FORWARDED = "forwarded", "Đã trình cấp trên"
        REFUSED_ABOVE = "refused_above", "Cấp trên không khen thưởng"
        WITHDRAWN = "withdrawn", "Đơn vị rút đề nghị"

    class NomineeKind(models.TextChoices):
        COLLECTIVE = "collective", "Tập thể"
        INDIVIDUAL = "individual", "Cá nhân"

    # A closed nomination no longer blocks a new one of the same nominee, form and round.
    CLOSED = (Status.WITHDRAWN,)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    round = models.ForeignKey(AwardRound, verbose_name="đợt xét", on_delete=models.PROTECT, related_name="nominations")
    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT, related_name="nominations")
    unit = models.ForeignKey(
        "units.Unit", verbose_name="đơn vị đề nghị", on_delete=models.PROTECT, related_name="nominations"
    )
    nominee_kind = models.CharField("đối tượng", max_length=12, choices=NomineeKind.choices)
    nominee_unit = models.ForeignKey(
        "units.Unit", verbose_name="tập thể", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "units.Person",
        verbose_name="cá nhân",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    batch = models.UUIDField("danh sách", null=True, blank=True, db_index=True)
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.DRAFT)
    # As the nominee stood when the unit submitted (DESIGN.md: snapshots keep history).
    nominee_name = models.CharField("tên tập thể, cá nhân", max_length=255)
    nominee_position = models.CharField("chức vụ", max_length=150, blank=True)
    nominee_unit_name = models.CharField("đơn vị công tác", max_length=255)
    achievement = models.JSONField("tóm tắt thành tích", default=dict, blank=True)
    evidence_reports = models.ManyToManyField(
        "reports.UnitReport", verbose_name="báo cáo làm minh chứng", blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Leadership's decision on the council's recommendation.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField("lý do không đồng ý", blank=True)
    # Outcome documents.
    decision = models.ForeignKey(
        "AwardDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="decided_nominations"
    )
    proposal = models.ForeignKey(
        "AwardDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="proposed_nominations"
    )
    # The higher authority's answer to a proposal.
    higher_decision_number = models.CharField("số quyết định của cấp trên", max_length=60, blank=True)
    higher_decision_date = models.DateField("ngày quyết định của cấp trên", null=True, blank=True)
    higher_result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        ordering = ["round", "form__sort_order", "unit__sort_order", "nominee_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(nominee_kind="collective") & Q(nominee_unit__isnull=False) & Q(person__isnull=True))
                | (Q(nominee_kind="individual") & Q(person__isnull=False) & Q(nominee_unit__isnull=True)),
                name="nominee_is_a_unit_or_a_person",
            ),
            models.UniqueConstraint(
                fields=["round", "form", "person"],
                condition=Q(person__isnull=False) & ~Q(status="withdrawn"),
                name="one_open_nomination_per_person_form_round",
            ),
            models.UniqueConstraint(
                fields=["round", "form", "nominee_unit"],
                condition=Q(nominee_unit__isnull=False) & ~Q(status="withdrawn"),
                name="one_open_nomination_per_unit_form_round",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="rejection_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"], name="nomination_round_status_idx")]

    def __str__(self):
        return f"{self.nominee_name} — {self.form}"

    def get_absolute_url(self):
        return reverse("awards:nomination_detail", args=[self.pk])

    @property
    def is_editable_state(self):
        return self.status in self.EDITABLE


_NOMINATION_STATUS = Nomination.Status
_NOT_WAITING_FOR_THE_COUNCIL = "Đề nghị không ở trạng thái chờ Hội đồng xét."
_NOT_WAITING_FOR_LEADERSHIP = (
    "Có đề nghị không còn chờ lãnh đạo quyết định (có thể người khác vừa xử lý); chưa có thay đổi nào được lưu."
)
# The moves of a nomination (DESIGN.md section 3); awards.services make them through it.
Nomination.WORKFLOW = StateMachine(
    moves={
        "submit": Move(
            (_NOMINATION_STATUS.DRAFT,),
            _NOMINATION_STATUS.SUBMITTED,
            "Đề nghị đã được gửi hoặc đang được xét; không gửi lại được.",
        ),
        "resubmit": Move(
            (_NOMINATION_STATUS.RETURNED,),
            _NOMINATION_STATUS.SUBMITTED,
            "Đề nghị đã được gửi hoặc đang được xét; không gửi lại được.",
        ),
        "withdraw": Move(
            (_NOMINATION_STATUS.DRAFT, _NOMINATION_STATUS.SUBMITTED, _NOMINATION_STATUS.RETURNED),
            _NOMINATION_STATUS.WITHDRAWN,
            "Không rút được đề nghị này: chỉ rút được đề nghị chưa đưa ra Hội đồng xét.",
        ),
        "return": Move(
            (_NOMINATION_STATUS.SUBMITTED,),
            _NOMINATION_STATUS.RETURNED,
            "Đề nghị không ở trạng thái chờ kiểm tra hồ sơ (có thể người khác vừa xử lý).",
        ),
        "put_on_agenda": Move((_NOMINATION_STATUS.SUBMITTED,), _NOMINATION_STATUS.ON_AGENDA),
        "remove_from_agenda": Move(
            (_NOMINATION_STATUS.ON_AGENDA,), _NOMINATION_STATUS.SUBMITTED, _NOT_WAITING_FOR_THE_COUNCIL
        ),
        "recommend": Move(
            (_NOMINATION_STATUS.ON_AGENDA,), _NOMINATION_STATUS.RECOMMENDED, _NOT_WAITING_FOR_THE_COUNCIL
        ),
        "not_recommend": Move(
            (_NOMINATION_STATUS.ON_AGENDA,), _NOMINATION_STATUS.NOT_RECOMMENDED, _NOT_WAITING_FOR_THE_COUNCIL
        ),
        "approve": Move((_NOMINATION_STATUS.RECOMMENDED,), _NOMINATION_STATUS.APPROVED, _NOT_WAITING_FOR_LEADERSHIP),
        "reject": Move((_NOMINATION_STATUS.RECOMMENDED,), _NOMINATION_STATUS.REJECTED, _NOT_WAITING_FOR_LEADERSHIP),
        "confer": Move((_NOMINATION_STATUS.APPROVED,), _NOMINATION_STATUS.CONFERRED),
        "forward": Move((_NOMINATION_STATUS.APPROVED,), _NOMINATION_STATUS.FORWARDED),
        "confer_above": Move((_NOMINATION_STATUS.FORWARDED,), _NOMINATION_STATUS.CONFERRED),
        "refuse_above": Move((_NOMINATION_STATUS.FORWARDED,), _NOMINATION_STATUS.REFUSED_ABOVE),
    },
    record="awards.NominationTransition",
    subject="nomination",
    refusal=InvalidTransition,
)


class NominationTransition(TransitionRecord):
    """Append-only history of a nomination, with a snapshot of what was submitted."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="transitions")
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử đề nghị khen thưởng"
        verbose_name_plural = "lịch sử đề nghị khen thưởng"

    def __str__(self):
        return f"{self.action} — {self.nomination}"


def dossier_upload_to(instance, filename):
    return f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class DossierFile(models.Model):
    """A part of a nomination's dossier (báo cáo thành tích, biên bản bình xét, …), via the one validator."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="dossier_files")
    part = models.CharField("thành phần hồ sơ", max_length=60)
    file = models.FileField(storage=private_storage, upload_to=dossier_upload_to, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng")
    content_type = models.CharField(max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tệp hồ sơ khen thưởng"
        verbose_name_plural = "tệp hồ sơ khen thưởng"
        ordering = ["part", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


# ---------------------------------------------------------------------------------------------
# The council (Hội đồng Thi đua - Khen thưởng)
# ---------------------------------------------------------------------------------------------


class CouncilRole(models.TextChoices):
    CHAIR = "chair", "Chủ tịch Hội đồng"
    VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
    MEMBER = "member", "Ủy viên"
    SECRETARY = "secretary", "Thư ký"


class CouncilMember(models.Model):
    """A member of the Department's council, with a role, for as long as the member serves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="thành viên", on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField("vai trò", max_length=12, choices=CouncilRole.choices)
    title_in_council = models.CharField("chức danh trong Hội đồng", max_length=200, blank=True)
    since = models.DateField("từ ngày", default=timezone.localdate)
    until = models.DateField("đến ngày", null=True, blank=True)
    is_active = models.BooleanField("đang là thành viên", default=True)

    class Meta:
        verbose_name = "thành viên Hội đồng Thi đua - Khen thưởng"
        verbose_name_plural = "thành viên Hội đồng Thi đua - Khen thưởng"
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_active=True), name="one_active_seat_per_user"),
            models.UniqueConstraint(
                fields=["role"], condition=Q(is_active=True, role="chair"), name="one_active_chair"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class CouncilMeeting(models.Model):
    """A meeting of the council; its members and roles are recorded as they stood at that moment."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Đã lên lịch"
        HELD = "held", "Đang họp"
        CLOSED = "closed", "Đã kết thúc"

    class Voting(models.TextChoices):
        PAPER = "paper", "Bỏ phiếu kín bằng giấy (Thư ký nhập kết quả kiểm phiếu)"
        ELECTRONIC = "electronic", "Bỏ phiếu kín điện tử"

    round = models.ForeignKey(AwardRound, verbose_name="đợt xét", on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField("tên cuộc họp", max_length=255)
    scheduled_at = models.DateTimeField("thời gian họp")
    # Set when the meeting is opened before its scheduled time: the minutes print the time it really began.
    started_at = models.DateTimeField("thời gian bắt đầu thực tế", null=True, blank=True)
    ended_at = models.DateTimeField("thời gian kết thúc", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    voting = models.CharField("hình thức bỏ phiếu", max_length=10, choices=Voting.choices, default=Voting.PAPER)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PLANNED)
    member_count = models.PositiveSmallIntegerField("tổng số thành viên Hội đồng", default=0)
    notes = models.TextField("ý kiến tại cuộc họp", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    minutes = models.OneToOneField(
        "AwardDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="minutes_of"
    )

    class Meta:
        verbose_name = "cuộc họp Hội đồng"
        verbose_name_plural = "cuộc họp Hội đồng"
        ordering = ["-scheduled_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:meeting_detail", args=[self.pk])

    @property
    def began_at(self):
        """When the meeting began: the time recorded when it was opened early, otherwise the scheduled time."""
        return self.started_at or self.scheduled_at


CouncilMeeting.WORKFLOW = StateMachine(
    moves={
        # Recording who attended opens the meeting.
        "hold": Move((CouncilMeeting.Status.PLANNED,), CouncilMeeting.Status.HELD, "Cuộc họp đã bắt đầu."),
        "close": Move((CouncilMeeting.Status.HELD,), CouncilMeeting.Status.CLOSED, "Cuộc họp đã kết thúc."),
    },
    record="awards.MeetingTransition",
    subject="meeting",
    refusal=InvalidTransition,
)


class MeetingTransition(TransitionRecord):
    """Append-only history of a council meeting: convened, held, closed, its minutes asked for."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử cuộc họp Hội đồng"
        verbose_name_plural = "lịch sử cuộc họp Hội đồng"

    def __str__(self):
        return f"{self.action} — {self.meeting}"


class MeetingMember(models.Model):
    """A council member as they stood when the meeting was convened, and whether they attended."""

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_seats")
    role = models.CharField("vai trò", max_length=12, choices=CouncilRole.choices)
    name = models.CharField("họ và tên", max_length=150)
    attended = models.BooleanField("có mặt", default=False)

    class Meta:
        verbose_name = "thành viên dự họp"
        verbose_name_plural = "thành viên dự họp"
        ordering = ["role", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="member_once_per_meeting")]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class AgendaItem(models.Model):
    """A nomination on a meeting's agenda and the council's result on it.

    With the paper ballot the secretary enters the tally from the biên bản kiểm phiếu; with the
    electronic ballot the counts come from its `BallotTally` when the vote closes.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", "Chưa xét"
        PASSED = "passed", "Đạt"
        FAILED = "failed", "Không đạt"

    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.PROTECT, related_name="agenda")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField("thứ tự", default=0)
    agree = models.PositiveSmallIntegerField("số phiếu đồng ý", null=True, blank=True)
    disagree = models.PositiveSmallIntegerField("số phiếu không đồng ý", null=True, blank=True)
    chair_casting_vote = models.BooleanField("Chủ tịch Hội đồng quyết định khi ngang phiếu", null=True, blank=True)
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    tally_entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tally_entered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "nội dung xét tại cuộc họp"
        verbose_name_plural = "nội dung xét tại cuộc họp"
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "nomination"], name="nomination_once_per_meeting"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.nomination}"


class BallotCast(models.Model):
    """Who has voted on an agenda item (electronic ballot): who, never what, and no time of its own.

    Written in the same transaction as the item's `BallotTally`; the unique pair refuses a second vote.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="casts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "thành viên đã bỏ phiếu"
        verbose_name_plural = "thành viên đã bỏ phiếu"
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="one_vote_per_member_and_item")]

    def __str__(self):
        return f"{self.user} đã bỏ phiếu"


class BallotTally(models.Model):
    """The electronic ballot of one agenda item: all its counts in one row, rewritten in place by every vote.

    There is no row per vote, so nothing pairs a vote with the `BallotCast` written beside it. The counts are
    sealed (awards/ballot_seal.py: encrypted with a key kept outside the database, a fresh nonce each write)
    until the vote closes; closing copies them, in the clear, to the agenda item (`agree`, `disagree`).
    """

    class Choice(models.TextChoices):
        AGREE = "agree", "Đồng ý"
        DISAGREE = "disagree", "Không đồng ý"

    item = models.OneToOneField(AgendaItem, on_delete=models.PROTECT, primary_key=True, related_name="tally")
    sealed = models.CharField("số phiếu (đã niêm phong)", max_length=120)
    closed = models.BooleanField("đã kết thúc bỏ phiếu", default=False)

    class Meta:
        verbose_name = "kết quả bỏ phiếu điện tử"
        verbose_name_plural = "kết quả bỏ phiếu điện tử"

    def __str__(self):
        return f"Kết quả bỏ phiếu — {self.item}"


# ---------------------------------------------------------------------------------------------
# Outcome documents: decisions (QĐ), proposals upward (TTr), council minutes (BB)
# ---------------------------------------------------------------------------------------------


def award_document_upload_to(instance, filename):
    return f"awards/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class AwardDocument(LeasedJobFields):
    """A document of the awards workflow and the Celery job that renders it.

    Like the consolidated report, the row is the truth of the render job: a worker claims it with
    a lease (attempt token and heartbeat) by a conditional update; the sweeper re-enqueues queued
    rows and rows whose lease expired. `content` is the frozen data the files are rendered from.
    """

    class Kind(models.TextChoices):
        DECISION = "decision", "Quyết định khen thưởng"
        PROPOSAL = "proposal", "Tờ trình đề nghị khen thưởng"
        MINUTES = "minutes", "Biên bản họp Hội đồng"

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"
        SENT = "sent", "Đã gửi"
        ANSWERED = "answered", "Cấp trên đã có kết quả"

    class RenderStatus(models.TextChoices):
        QUEUED = "queued", "Đang chờ tạo văn bản"
        RENDERING = "rendering", "Đang tạo văn bản"
        READY = "ready", "Đã tạo văn bản"
        FAILED = "failed", "Tạo văn bản lỗi"

    TYPE_CODES = {Kind.DECISION: "QĐ", Kind.PROPOSAL: "TTr", Kind.MINUTES: "BB"}

    kind = models.CharField("loại văn bản", max_length=10, choices=Kind.choices)
    round = models.ForeignKey(AwardRound, verbose_name="đợt xét", on_delete=models.PROTECT, related_name="documents")
    recipient = models.CharField("nơi nhận tờ trình", max_length=300, blank=True)
    summary = models.CharField("trích yếu", max_length=500)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    content = models.JSONField(default=dict, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    signer_name = models.CharField("người ký", max_length=150, blank=True)
    signer_is_deputy = models.BooleanField("Phó Giám đốc ký thay", default=False)
    register_entry = models.OneToOneField(
        "documents.OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="award_document"
    )
    signed_pdf = models.FileField(
        storage=private_storage, upload_to=award_document_upload_to, max_length=200, blank=True
    )
    sent_on = models.DateField("ngày gửi", null=True, blank=True)
    sent_channel = models.CharField("hình thức gửi", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The render job (workflow.jobs; its lease in LeasedJobFields) and its files.
    render_status = models.CharField(max_length=10, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    rendered_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(storage=private_storage, upload_to=award_document_upload_to, max_length=200, blank=True)
    docx = models.FileField(storage=private_storage, upload_to=award_document_upload_to, max_length=200, blank=True)
    bundle = models.FileField(
        "hồ sơ kèm theo (zip)", storage=private_storage, upload_to=award_document_upload_to, max_length=200, blank=True
    )
    certificates = models.FileField(
        "giấy chứng nhận", storage=private_storage, upload_to=award_document_upload_to, max_length=200, blank=True
    )
    # The SHA-256 of each file as the job stored it ({"pdf": …, "docx": …}): an issued document's files, rendered
    # once more with its number and date, never change after, and the page shows these digests.
    file_sha256 = models.JSONField("mã SHA-256 của các tệp", default=dict, blank=True)

    class Meta:
        verbose_name = "văn bản khen thưởng"
        verbose_name_plural = "văn bản khen thưởng"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="proposal") | ~Q(recipient=""), name="proposal_names_recipient"),
        ]

    def __str__(self):
        if self.register_entry_id:
            return f"{self.get_kind_display()} {self.register_entry}"
        return f"{self.get_kind_display()} (dự thảo) — {self.round}"

    def get_absolute_url(self):
        return reverse("awards:document_detail", args=[self.pk])

    @property
    def type_code(self):
        return self.TYPE_CODES[self.kind]


# The moves of the document itself; its render job's states (render_status) move by workflow.jobs.
AwardDocument.WORKFLOW = StateMachine(
    moves={
        "issue": Move((AwardDocument.Status.DRAFT,), AwardDocument.Status.ISSUED, "Văn bản này đã được vào số."),
        "send": Move(
            (AwardDocument.Status.ISSUED,),
            AwardDocument.Status.SENT,
            "Chỉ ghi nhận gửi được văn bản đã ban hành và chưa gửi.",
        ),
        "answer": Move(
            (AwardDocument.Status.SENT,),
            AwardDocument.Status.ANSWERED,
            "Chỉ ghi kết quả được cho tờ trình đã gửi và chưa có kết quả.",
        ),
    },
    record="awards.AwardDocumentTransition",
    subject="document",
    refusal=InvalidTransition,
)


class AwardDocumentTransition(TransitionRecord):
    """Append-only history of an award document: rendering, issue, sending, the higher answer."""

    document = models.ForeignKey(AwardDocument, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "lịch sử văn bản khen thưởng"
        verbose_name_plural = "lịch sử văn bản khen thưởng"

    def __str__(self):
        return f"{self.action} — {self.document}"


# ---------------------------------------------------------------------------------------------
# The award register (sổ theo dõi khen thưởng) and public comments
# ---------------------------------------------------------------------------------------------


class RegisterImport(models.Model):
    """One import of past decisions from an xlsx file."""

    original_name = models.CharField("tên tệp", max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    rows_created = models.PositiveIntegerField(default=0)
    rows_skipped = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "lần nhập sổ khen thưởng"
        verbose_name_plural = "lần nhập sổ khen thưởng"
        ordering = ["-imported_at"]

    def __str__(self):
        return f"{self.original_name} ({self.imported_at:%d/%m/%Y})"


class AwardRecordQuerySet(models.QuerySet):
    def held_by(self, *, person=None, unit=None):
        if person is not None:
            return self.filter(person=person)
        return self.filter(unit=unit, recipient_kind=Nomination.NomineeKind.COLLECTIVE)


class AwardRecord(models.Model):
    """A conferred title or award: who, what, which year, by which decision. Feeds eligibility."""

    class Source(models.TextChoices):
        DEPARTMENT = "department", "Quyết định của Sở"
        HIGHER = "higher", "Quyết định của cấp trên"
        IMPORTED = "imported", "Nhập từ quyết định cũ"

    year = models.PositiveSmallIntegerField("năm")
    form = models.ForeignKey(
        AwardForm, verbose_name="hình thức", on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    form_name = models.CharField("hình thức, danh hiệu", max_length=255)
    recipient_kind = models.CharField("đối tượng", max_length=12, choices=Nomination.NomineeKind.choices)
    recipient_name = models.CharField("tên tập thể, cá nhân", max_length=255)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    unit_name = models.CharField("đơn vị", max_length=255, blank=True)
    unit = models.ForeignKey(
        "units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "units.Person", verbose_name="cá nhân", on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    decision_number = models.CharField("số quyết định", max_length=60)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    conferring_authority = models.CharField("cấp quyết định", max_length=200, blank=True)
    source = models.CharField("nguồn", max_length=10, choices=Source.choices)
    nomination = models.OneToOneField(
        Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="award_record"
    )
    imported_in = models.ForeignKey(
        RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Derived, for search without diacritics (users type "nguyen van an"); see fold_for_search.
    search_key = models.TextField(editable=False, blank=True, default="")

    objects = AwardRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "khen thưởng đã được công nhận"
        verbose_name_plural = "sổ theo dõi khen thưởng"
        ordering = ["-year", "form_name", "recipient_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "form_name", "recipient_name", "unit_name", "decision_number"],
                name="award_record_once",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "form"], name="award_record_year_form_idx"),
            models.Index(fields=["person", "year"], name="award_record_person_idx"),
            models.Index(fields=["unit", "year"], name="award_record_unit_idx"),
        ]

    def __str__(self):
        return f"{self.form_name} — {self.recipient_name} ({self.year})"

    def save(self, *args, **kwargs):
        # Kept in step here because records are written from several areas; bulk writers call
        # fill_search_key() themselves (bulk_create skips save()).
        self.fill_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_key"]
        super().save(*args, **kwargs)

    def fill_search_key(self):
        parts = (
            self.recipient_name,
            self.position,
            self.unit_name,
            self.form_name,
            self.decision_number,
            self.conferring_authority,
            str(self.year or ""),
        )
        self.search_key = fold_for_search(" ".join(part for part in parts if part))


class PublicComment(models.Model):
    """A comment from the public on a nominee under notice; read by the office, never published."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="public_comments")
    sender_name = models.CharField("họ và tên người góp ý", max_length=150)
    sender_contact = models.CharField("điện thoại hoặc thư điện tử", max_length=150)
    message = models.TextField("nội dung góp ý", max_length=4000)
    received_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "ý kiến góp ý của công chúng"
        verbose_name_plural = "ý kiến góp ý của công chúng"
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.sender_name}: {self.nomination}"


# --- The person's and the unit's record (hồ sơ thành tích) across years -----------------------------------------
# Besides the award register (AwardRecord) and the confirmed year-end assessments (emulation), the record keeps what
# the award rules read and the portal did not see happen: past classifications, initiatives, discipline, and the
# units a person belonged to. Each row says where it came from (entered by the office, or an import).


class RecordSource(models.TextChoices):
    ENTERED = "entered", "Văn phòng nhập"
    IMPORTED = "imported", "Nhập từ tệp"


class Membership(models.Model):
    """A person's time in a unit: people move between units (the 2025 reorganisation moved many)."""

    person = models.ForeignKey(
        "units.Person", verbose_name="cá nhân", on_delete=models.PROTECT, related_name="memberships"
    )
    unit = models.ForeignKey("units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    start_on = models.DateField("từ ngày")
    end_on = models.DateField("đến ngày", null=True, blank=True, help_text="Để trống nếu đang công tác.")
    source = models.CharField("nguồn", max_length=10, choices=RecordSource.choices, default=RecordSource.ENTERED)
    imported_in = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "quá trình công tác"
        verbose_name_plural = "quá trình công tác"
        ordering = ["person", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="membership_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.unit}"

    def covers_year(self, year):
        return self.start_on.year <= year and (self.end_on is None or self.end_on.year >= year)


class ClassificationRecord(models.Model):
    """A year's quality classification of a person or of a collective, for years the portal's year-end assessment
    does not hold (entered or imported); a confirmed assessment of the portal is read from emulation directly."""

    person = models.ForeignKey(
        "units.Person",
        verbose_name="cá nhân",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="classification_records",
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="tập thể", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm")
    classification = models.CharField("xếp loại", max_length=12, choices=Classification.choices)
    decided_by = models.CharField("cấp xếp loại", max_length=200, blank=True)
    source = models.CharField("nguồn", max_length=10, choices=RecordSource.choices, default=RecordSource.ENTERED)
    imported_in = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "xếp loại hằng năm"
        verbose_name_plural = "xếp loại hằng năm"
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(unit__isnull=True))
                | (Q(person__isnull=True) & Q(unit__isnull=False)),
                name="classification_of_a_person_or_a_unit",
            ),
            models.UniqueConstraint(
                fields=["person", "year"], condition=Q(person__isnull=False), name="one_classification_per_person_year"
            ),
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(unit__isnull=False), name="one_classification_per_unit_year"
            ),
        ]

    def __str__(self):
        return f"{self.person or self.unit} {self.year}: {self.get_classification_display()}"


class InitiativeScope(models.TextChoices):
    """How far a recognised initiative's effect reaches; ordered from narrowest (INITIATIVE_SCOPE_RANK)."""

    BASE = "base", "Cấp cơ sở"
    PROVINCE = "province", "Cấp tỉnh"
    NATIONAL = "national", "Toàn quốc"


INITIATIVE_SCOPE_RANK = {InitiativeScope.BASE: 1, InitiativeScope.PROVINCE: 2, InitiativeScope.NATIONAL: 3}


class Initiative(models.Model):
    """A recognised initiative (sáng kiến) or research work of a person, with the scope of its effect."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", "Sáng kiến"
        RESEARCH = "research", "Đề tài nghiên cứu khoa học"

    person = models.ForeignKey(
        "units.Person", verbose_name="cá nhân", on_delete=models.PROTECT, related_name="initiatives"
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.INITIATIVE)
    title = models.CharField("tên sáng kiến, đề tài", max_length=500)
    year = models.PositiveSmallIntegerField("năm được công nhận")
    recognised_by = models.CharField("cơ quan công nhận", max_length=255)
    scope = models.CharField("phạm vi ảnh hưởng", max_length=10, choices=InitiativeScope.choices)
    decision_number = models.CharField("số quyết định công nhận", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    file = models.FileField(
        "tệp quyết định", storage=private_storage, upload_to="records/%Y/%m/", max_length=200, blank=True
    )
    source = models.CharField("nguồn", max_length=10, choices=RecordSource.choices, default=RecordSource.ENTERED)
    imported_in = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "sáng kiến, đề tài được công nhận"
        verbose_name_plural = "sáng kiến, đề tài được công nhận"
        ordering = ["person", "year", "pk"]

    def __str__(self):
        return self.title

    @property
    def scope_rank(self):
        return INITIATIVE_SCOPE_RANK[self.scope]


class DisciplineKind(models.TextChoices):
    """Forms of discipline of civil servants and employees, from the lightest (DISCIPLINE_SEVERITY)."""

    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    SALARY_DOWNGRADE = "salary", "Hạ bậc lương"
    DEMOTION = "demotion", "Giáng chức"
    REMOVAL = "removal", "Cách chức"
    DISMISSAL = "dismissal", "Buộc thôi việc"


DISCIPLINE_SEVERITY = {kind: rank for rank, kind in enumerate(DisciplineKind, start=1)}


class Discipline(models.Model):
    """A disciplinary measure on a person, in force from `start_on` to `end_on` (the decision's period)."""

    person = models.ForeignKey(
        "units.Person", verbose_name="cá nhân", on_delete=models.PROTECT, related_name="disciplines"
    )
    kind = models.CharField("hình thức kỷ luật", max_length=10, choices=DisciplineKind.choices)
    start_on = models.DateField("có hiệu lực từ ngày")
    end_on = models.DateField("đến ngày", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=60, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    source = models.CharField("nguồn", max_length=10, choices=RecordSource.choices, default=RecordSource.ENTERED)
    imported_in = models.ForeignKey(RegisterImport, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["person", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="discipline_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.person}"

    @property
    def severity(self):
        return DISCIPLINE_SEVERITY[self.kind]


# --- Award rules as data ------------------------------------------------------------------------------------------


class AwardRule(PlanRecord):
    """One condition of an award form, as the law writes it, evaluated on the nominee's record.

    `kind` names the evaluation (awards/services/rules.py) and `params` its numbers and windows; every figure is
    here, never in code. `article` cites where the condition comes from; `verified` says it was checked against the
    law's own text (an unverified rule cites a secondary source by address in `source_url` and the office sees the
    mark). A rule that fails blocks the nomination unless `blocking` is off (then it is a warning).
    """

    class Kind(models.TextChoices):
        TITLE_STREAK = "title_streak", "Đạt danh hiệu liên tục số năm"
        CLASSIFICATION = "classification", "Xếp loại chất lượng liên tục số năm"
        INITIATIVE = "initiative", "Có sáng kiến, đề tài được công nhận"
        NO_DISCIPLINE = "no_discipline", "Không bị kỷ luật"
        MEMBERS_SHARE = "members_share", "Tỷ lệ thành viên tập thể đạt danh hiệu"
        MEMBERS_COUNT = "members_count", "Số thành viên tập thể đạt danh hiệu"
        MEMBERS_CLASSIFICATION = "members_class", "Mọi thành viên tập thể đạt xếp loại"
        MEMBERS_NO_DISCIPLINE = "members_discipline", "Không thành viên nào bị kỷ luật"
        REGISTERED = "registered", "Đã đăng ký thi đua"
        QUOTA = "quota", "Tỷ lệ tối đa so với danh hiệu khác"

    form = models.ForeignKey(AwardForm, verbose_name="hình thức", on_delete=models.PROTECT, related_name="rules")
    code = models.SlugField("mã điều kiện", max_length=80)
    kind = models.CharField("loại điều kiện", max_length=20, choices=Kind.choices)
    params = models.JSONField("tham số", default=dict, blank=True)
    label = models.CharField(
        "điều kiện",
        max_length=300,
        help_text="Cách Văn phòng đọc điều kiện, ví dụ: 03 lần liên tục đạt Chiến sĩ thi đua cơ sở.",
    )
    article = models.CharField(
        "căn cứ", max_length=300, help_text="Ví dụ: Điều 24 khoản 2 Luật Thi đua, khen thưởng 2022."
    )
    source_url = models.CharField("địa chỉ nguồn (nếu chưa đối chiếu văn bản gốc)", max_length=300, blank=True)
    verified = models.BooleanField("đã đối chiếu văn bản gốc", default=False)
    blocking = models.BooleanField("không đạt thì không gửi được", default=True, help_text="Bỏ chọn: chỉ cảnh báo.")
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "điều kiện khen thưởng"
        verbose_name_plural = "điều kiện khen thưởng"
        ordering = ["form__sort_order", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="award_rule_code_unique_in_form"),
        ]

    def __str__(self):
        return f"{self.form}: {self.label}"
