"""The catalogue of award forms and titles (Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from campaign.models import PlanRecord


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
