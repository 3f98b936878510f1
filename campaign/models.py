"""The plan as data: the campaign, its phases, contents, criteria, indicators and reporting periods."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class PlanRecord(models.Model):
    """A row that `load_plan` writes from the plan's data file.

    `plan_key` is the stable key of the row in the file. `plan_digest` is the digest of the values
    the loader last wrote: when the row's current values no longer match it, an administrator has
    edited the row and the loader leaves it alone.
    """

    plan_key = models.CharField("khóa trong tệp kế hoạch", max_length=100, unique=True, editable=False)
    plan_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True


class Campaign(PlanRecord):
    """The campaign; the plan that runs it and the documents it rests on are its CitedDocuments."""

    name = models.CharField("tên phong trào", max_length=500)
    short_name = models.CharField("tên ngắn", max_length=200)
    issuing_unit = models.ForeignKey(
        "units.Unit",
        verbose_name="cơ quan ban hành",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    governing_body = models.CharField(
        "cơ quan chủ quản", max_length=200, help_text="Dòng đầu của khối tên cơ quan, ví dụ UBND TỈNH QUẢNG NGÃI."
    )
    issuing_body = models.CharField("cơ quan ban hành văn bản", max_length=200)
    issuing_body_abbreviation = models.CharField("chữ viết tắt cơ quan ban hành", max_length=30)
    place_name = models.CharField("địa danh", max_length=100)
    report_recipient = models.CharField(
        "nơi nhận báo cáo tổng hợp", max_length=300, help_text="Dòng “Kính gửi” của báo cáo tổng hợp."
    )
    coordinating_unit_name = models.CharField("đơn vị đầu mối", max_length=200)
    start_year = models.PositiveSmallIntegerField("năm bắt đầu")
    end_year = models.PositiveSmallIntegerField("năm kết thúc")
    portal_start_date = models.DateField(
        "ngày bắt đầu thu báo cáo trên cổng",
        help_text="Các kỳ kết thúc trước ngày này là dữ liệu lịch sử: không phải nộp, không nhắc hạn, có thể nhập lại.",
    )

    class Meta:
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="campaign_years_ordered"),
        ]

    def __str__(self):
        return self.short_name


class CitedDocument(PlanRecord):
    """A document the portal's documents cite in full: the plan itself, the province's plan it implements, and
    the legal bases of award decisions — kind, number, date, issuer and title as data the office edits.

    `title` is written as it reads after the issuer in a citation ("quy định chi tiết thi hành …",
    "về tổ chức thực hiện Phong trào thi đua “…”"); campaign.citations builds the citation. A blank number
    or date is cited without it, and the pages that cite the document warn the office.
    """

    class Role(models.TextChoices):
        PLAN = "plan", "Kế hoạch của Sở tổ chức thực hiện Phong trào"
        PROVINCIAL_PLAN = "provincial_plan", "Kế hoạch của UBND tỉnh mà Sở thực hiện"
        LAW = "law", "Luật Thi đua, khen thưởng"
        DECREE = "decree", "Nghị định quy định chi tiết Luật Thi đua, khen thưởng"
        FUNCTIONS = "functions", "Quyết định quy định chức năng, nhiệm vụ của Sở"
        EMULATION_RULES = "emulation_rules", "Quy định về công tác thi đua, khen thưởng của tỉnh"
        OTHER = "other", "Căn cứ khác"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="cited_documents")
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    kind = models.CharField("loại văn bản", max_length=50, help_text="Ví dụ: Luật, Nghị định, Quyết định, Kế hoạch.")
    number = models.CharField(
        "số, ký hiệu", max_length=50, blank=True, help_text="Ví dụ 152/2025/NĐ-CP; để trống nếu chưa rõ."
    )
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    issuer = models.CharField("cơ quan ban hành", max_length=200, blank=True, help_text="Ví dụ: Chính phủ.")
    title = models.CharField(
        "trích yếu",
        max_length=500,
        help_text="Viết như khi trích dẫn, sau tên cơ quan ban hành, ví dụ “quy định chi tiết thi hành …”.",
    )
    signer = models.CharField("người ký", max_length=200, blank=True)
    confirmed = models.BooleanField(
        "đã đối chiếu bản gốc",
        default=True,
        help_text="Bỏ chọn khi số, ngày lấy từ nguồn chưa kiểm chứng (cần đối chiếu Công báo, bản gốc).",
    )
    decision_basis = models.BooleanField(
        "là căn cứ của quyết định khen thưởng",
        default=False,
        help_text="In trong phần “Căn cứ” của mọi quyết định khen thưởng của Sở.",
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "văn bản căn cứ"
        verbose_name_plural = "văn bản căn cứ"
        ordering = ["campaign", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "role"], condition=~Q(role="other"), name="one_cited_document_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.number}".strip() + f" — {self.get_role_display()}"


class Phase(PlanRecord):
    class ReviewKind(models.TextChoices):
        INTERIM = "interim", "Sơ kết"
        FINAL = "final", "Tổng kết"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="phases")
    number = models.PositiveSmallIntegerField("giai đoạn số")
    name = models.CharField("tên giai đoạn", max_length=200)
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")
    review_kind = models.CharField("hình thức đánh giá", max_length=10, choices=ReviewKind.choices)
    review_year = models.PositiveSmallIntegerField("năm sơ kết, tổng kết")
    description = models.TextField("nội dung", blank=True)

    class Meta:
        verbose_name = "giai đoạn"
        verbose_name_plural = "giai đoạn"
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="phase_number_unique"),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="phase_years_ordered"),
        ]

    def __str__(self):
        return self.name


class ContentArea(PlanRecord):
    """One item of plan section II (contents of the campaign)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="content_areas")
    section = models.CharField("mục", max_length=20, help_text="Ví dụ II.1.a")
    group_title = models.CharField("nhóm nội dung", max_length=300)
    text = models.TextField("nội dung")
    sort_order = models.PositiveIntegerField("thứ tự")

    class Meta:
        verbose_name = "nội dung thi đua"
        verbose_name_plural = "nội dung thi đua"
        ordering = ["campaign", "sort_order"]

    def __str__(self):
        return f"{self.section} {self.text[:60]}"


class CriterionGroup(PlanRecord):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="criterion_groups")
    section = models.CharField("mục", max_length=20, help_text="Ví dụ III.1.1")
    name = models.CharField("tên nhóm tiêu chí", max_length=300)
    sort_order = models.PositiveIntegerField("thứ tự")

    class Meta:
        verbose_name = "nhóm tiêu chí"
        verbose_name_plural = "nhóm tiêu chí"
        ordering = ["campaign", "sort_order"]

    def __str__(self):
        return self.name


class CriterionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def applicable_to(self, unit):
        """Active criteria that concern the unit: its own rule if it has one, else the default."""
        applicability = CriterionApplicability.objects.filter(criterion=models.OuterRef("pk"), unit=unit)
        return (
            self.active()
            .annotate(unit_rule=models.Subquery(applicability.values("applies")[:1]))
            .filter(Q(unit_rule=True) | Q(unit_rule__isnull=True, applies_to_all_units=True))
        )


class Criterion(PlanRecord):
    group = models.ForeignKey(CriterionGroup, verbose_name="nhóm", on_delete=models.PROTECT, related_name="criteria")
    number = models.PositiveSmallIntegerField("số thứ tự trong nhóm")
    text = models.TextField("nội dung tiêu chí")
    short_label = models.CharField("nhãn ngắn", max_length=80, help_text="Tiêu đề cột trong bảng.")
    applies_to_all_units = models.BooleanField(
        "áp dụng cho mọi đơn vị",
        default=True,
        help_text="Bỏ chọn nếu tiêu chí chỉ áp dụng cho các đơn vị được chỉ định riêng.",
    )
    is_active = models.BooleanField("đang áp dụng", default=True)
    content_areas = models.ManyToManyField(
        ContentArea,
        verbose_name="nội dung thi đua",
        related_name="criteria",
        blank=True,
        help_text="Các nội dung của mục II Kế hoạch mà kết quả tiêu chí này phản ánh (phần tổng hợp theo nội dung).",
    )

    objects = CriterionQuerySet.as_manager()

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["group__sort_order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="criterion_number_unique_in_group"),
        ]

    def __str__(self):
        return f"{self.code} {self.short_label}"

    @property
    def code(self):
        return f"{self.group.section}.{self.number}"


class CriterionApplicability(models.Model):
    """Whether a criterion concerns a particular unit, overriding the criterion's default."""

    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="applicability"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="criterion_rules"
    )
    applies = models.BooleanField("áp dụng", default=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "phạm vi áp dụng tiêu chí"
        verbose_name_plural = "phạm vi áp dụng tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["criterion", "unit"], name="one_applicability_rule_per_unit"),
        ]

    def __str__(self):
        return f"{self.criterion} — {self.unit}: {'áp dụng' if self.applies else 'không áp dụng'}"


class Indicator(PlanRecord):
    """A measurable indicator of a criterion: the raw quantities units enter and how they combine.

    `quantities` is a list of {"key", "label", "unit"}. A RATIO indicator divides the numerator
    quantity by the denominator one; the Department's value is Σ numerator ÷ Σ denominator, never
    the mean of the units' ratios. A SUM indicator adds one quantity up.
    """

    class Formula(models.TextChoices):
        RATIO = "ratio", "Tỷ lệ (tử số ÷ mẫu số)"
        SUM = "sum", "Tổng"

    class Comparison(models.TextChoices):
        FIXED_TARGET = "target", "So với chỉ tiêu"
        PREVIOUS_YEAR = "previous_year", "So với cùng kỳ năm trước"

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", "Càng cao càng tốt"
        LOWER_IS_BETTER = "lower", "Càng thấp càng tốt"

    criterion = models.ForeignKey(
        Criterion, verbose_name="tiêu chí", on_delete=models.PROTECT, related_name="indicators"
    )
    code = models.SlugField("mã chỉ số", max_length=50, unique=True)
    name = models.CharField("tên chỉ số", max_length=200)
    quantities = models.JSONField("các đại lượng đơn vị nhập")
    formula = models.CharField("công thức", max_length=10, choices=Formula.choices)
    numerator_key = models.CharField("đại lượng tử số", max_length=50)
    denominator_key = models.CharField("đại lượng mẫu số", max_length=50, blank=True)
    result_unit = models.CharField("đơn vị kết quả", max_length=20, default="%")
    comparison = models.CharField("cách đánh giá", max_length=20, choices=Comparison.choices)
    target_value = models.DecimalField(
        "chỉ tiêu", max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    half_year_target = models.DecimalField(
        "mốc 6 tháng",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Nếu Kế hoạch đặt mốc cho 6 tháng đầu năm; để trống thì kết quả 6 tháng chỉ báo tiến độ so với "
        "chỉ tiêu cả năm.",
    )
    direction = models.CharField("chiều đánh giá", max_length=10, choices=Direction.choices)
    aggregation_note = models.CharField("cách tổng hợp", max_length=300, blank=True)
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "chỉ số"
        verbose_name_plural = "chỉ số"
        ordering = ["criterion__group__sort_order", "criterion__number", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(formula="sum") | ~Q(denominator_key=""), name="ratio_indicator_has_denominator"
            ),
            models.CheckConstraint(
                condition=Q(comparison="previous_year") | Q(target_value__isnull=False),
                name="target_indicator_has_target",
            ),
        ]

    def __str__(self):
        return self.name

    def quantity_keys(self):
        return [quantity["key"] for quantity in self.quantities]

    def compute(self, values):
        """The indicator's value from one set of quantities, or None when it cannot be computed."""
        return self.aggregate([values])

    def aggregate(self, value_sets):
        """The indicator over several units' quantities: Σ numerator ÷ Σ denominator for a ratio."""
        numerator = Decimal(0)
        denominator = Decimal(0)
        seen = False
        for values in value_sets:
            top = values.get(self.numerator_key)
            if top is None:
                continue
            if self.formula == self.Formula.RATIO:
                bottom = values.get(self.denominator_key)
                if bottom is None:
                    continue
                denominator += Decimal(bottom)
            numerator += Decimal(top)
            seen = True
        if not seen:
            return None
        if self.formula == self.Formula.SUM:
            return numerator
        if denominator == 0:
            return None
        scale = Decimal(100) if self.result_unit == "%" else Decimal(1)
        return (numerator * scale / denominator).quantize(Decimal("0.01"))

    def meets(self, value, previous=None):
        """True when the value meets the target (or improves on the previous year), None if unknown."""
        if value is None:
            return None
        reference = self.target_value if self.comparison == self.Comparison.FIXED_TARGET else previous
        if reference is None:
            return None
        if self.direction == self.Direction.HIGHER_IS_BETTER:
            return value >= reference
        return value <= reference


class Theme(PlanRecord):
    """A theme under which the consolidated report groups what units wrote (strengths, shortcomings, next steps):
    a sentence belongs to the first theme, in order, one of whose keywords it contains."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="themes")
    label = models.CharField("chủ đề", max_length=200)
    keywords = models.JSONField(
        "từ khóa", default=list, help_text="Danh sách từ, cụm từ (không phân biệt hoa thường) nhận ra chủ đề."
    )
    sort_order = models.PositiveIntegerField("thứ tự")

    class Meta:
        verbose_name = "chủ đề tổng hợp"
        verbose_name_plural = "chủ đề tổng hợp"
        ordering = ["campaign", "sort_order"]

    def __str__(self):
        return self.label


class AssessmentLevel(PlanRecord):
    """One step of the self-assessment scale (Hoàn thành tốt, Hoàn thành, …)."""

    code = models.SlugField("mã", max_length=30, unique=True)
    label = models.CharField("mức đánh giá", max_length=100)
    sort_order = models.PositiveIntegerField("thứ tự")
    means_not_applicable = models.BooleanField(
        "nghĩa là không áp dụng",
        default=False,
        help_text="Câu trả lời này cần lý do và được bỏ qua khi kiểm tra, cộng số liệu.",
    )
    is_active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "mức tự đánh giá"
        verbose_name_plural = "thang tự đánh giá"
        ordering = ["sort_order"]

    def __str__(self):
        return self.label


class ReportingPeriodQuerySet(models.QuerySet):
    def owed(self, campaign):
        """Periods units report on through the portal (not history)."""
        return self.filter(campaign=campaign, end__gte=campaign.portal_start_date)

    def history(self, campaign):
        return self.filter(campaign=campaign, end__lt=campaign.portal_start_date)


class ReportingPeriod(PlanRecord):
    class Kind(models.TextChoices):
        HALF_YEAR = "half_year", "6 tháng"
        ANNUAL = "annual", "Năm"
        PHASE_REVIEW = "phase_review", "Sơ kết, tổng kết giai đoạn"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="periods")
    phase = models.ForeignKey(Phase, verbose_name="giai đoạn", on_delete=models.PROTECT, related_name="periods")
    code = models.CharField("mã kỳ", max_length=20, unique=True, help_text="Ví dụ 2025-H1, 2025-FY, 2022-2025.")
    kind = models.CharField("loại kỳ", max_length=20, choices=Kind.choices)
    label = models.CharField("tên kỳ", max_length=100)
    year = models.PositiveSmallIntegerField("năm")
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    data_cutoff = models.DateField("ngày chốt số liệu")
    unit_due_date = models.DateField("hạn đơn vị nộp báo cáo")
    department_due_date = models.DateField("hạn Sở báo cáo Sở Nội vụ")

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "kỳ báo cáo"
        verbose_name_plural = "kỳ báo cáo"
        ordering = ["end", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start"),
            models.CheckConstraint(
                condition=Q(department_due_date__gte=models.F("unit_due_date")),
                name="department_due_after_unit_due",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_phase_review(self):
        return self.kind == self.Kind.PHASE_REVIEW

    def is_history(self):
        return self.end < self.campaign.portal_start_date

    def days_left(self, today=None):
        today = today or timezone.localdate()
        return (self.unit_due_date - today).days
