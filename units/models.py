"""Units of the Department (a tree), the people who sign in, and the people who may be nominated."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .capabilities import Capability


class UnitQuerySet(models.QuerySet):
    def active(self, on=None):
        """Units in existence on the given local date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def reporting(self, on=None):
        """Active units that report to the Department (every unit but the Department itself)."""
        return self.active(on).filter(parent__isnull=False)


class Unit(models.Model):
    """The Department (root) or one of its units. Deactivated by valid_to, never deleted."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Sở"
        OFFICE = "office", "Văn phòng, phòng tham mưu tổng hợp"
        DIVISION = "division", "Phòng chuyên môn"
        SUB_DEPARTMENT = "sub_department", "Chi cục"
        PUBLIC_SERVICE = "public_service", "Đơn vị sự nghiệp"

    code = models.CharField("mã đơn vị", max_length=20, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    abbreviation = models.CharField(
        "chữ viết tắt",
        max_length=30,
        blank=True,
        help_text="Dùng trong ký hiệu văn bản và dòng “Lưu: VT, …”, ví dụ SKHCN, HCTH.",
    )
    kind = models.CharField("loại đơn vị", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField("hoạt động từ ngày", null=True, blank=True)
    valid_to = models.DateField("hoạt động đến ngày", null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name="đơn vị kế thừa",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    is_sample = models.BooleanField(
        "dữ liệu mẫu", default=False, help_text="Đơn vị do lệnh load_demo tạo để trình diễn."
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    @property
    def issuer_code(self):
        """The unit's part of a document's symbol (…/BC-TTUD), and the key of its register."""
        return self.abbreviation or self.code

    @property
    def has_own_seal(self):
        """A Chi cục or a Trung tâm issues documents under its own seal and number; a phòng does not."""
        return self.kind in (self.Kind.SUB_DEPARTMENT, self.Kind.PUBLIC_SERVICE)

    @property
    def head_title(self):
        """The head's title as a signature block prints it, without the unit's name: "Trưởng phòng",
        "Chánh Văn phòng", "Chi cục trưởng", "Giám đốc"."""
        if self.kind == self.Kind.SUB_DEPARTMENT:
            return "Chi cục trưởng"
        if self.kind in (self.Kind.PUBLIC_SERVICE, self.Kind.DEPARTMENT):
            return "Giám đốc"
        if self.name.lower().startswith("văn phòng"):
            return "Chánh Văn phòng"
        return "Trưởng phòng"

    def is_active_on(self, day=None):
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class User(AbstractUser):
    """A person who signs in: a member of one unit, with a position in it and capabilities."""

    class Position(models.TextChoices):
        HEAD = "head", "Trưởng đơn vị"
        DEPUTY = "deputy", "Phó trưởng đơn vị"
        STAFF = "staff", "Cán bộ, công chức, viên chức"

    full_name = models.CharField("họ và tên", max_length=150)
    position_title = models.CharField(
        "chức vụ", max_length=150, blank=True, help_text="Ví dụ: Trưởng phòng, Phó Giám đốc."
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    position = models.CharField("vị trí trong đơn vị", max_length=10, choices=Position.choices, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "người dùng"
        verbose_name_plural = "người dùng"
        ordering = ["full_name", "username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name or self.username

    # Capabilities. The group names are cached per request object to avoid a query per check.
    @property
    def capability_names(self):
        if not self.is_authenticated:
            return frozenset()
        cached = getattr(self, "_capability_names", None)
        if cached is None:
            cached = frozenset(self.groups.values_list("name", flat=True))
            self._capability_names = cached
        return cached

    def has_capability(self, capability):
        return self.is_active and capability in self.capability_names

    @property
    def is_office_reviewer(self):
        return self.has_capability(Capability.OFFICE_REVIEWER)

    @property
    def is_leadership(self):
        return self.has_capability(Capability.LEADERSHIP)

    @property
    def is_council_member(self):
        return self.has_capability(Capability.COUNCIL_MEMBER)

    @property
    def is_administrator(self):
        return self.is_active and (self.is_superuser or Capability.ADMINISTRATOR in self.capability_names)

    @property
    def is_unit_manager(self):
        """Head or deputy of a unit: may submit the unit's reports and nominations."""
        return self.is_unit_member and self.position in (self.Position.HEAD, self.Position.DEPUTY)

    @property
    def is_unit_member(self):
        """A member of a unit that reports to the Department; the Department's own leaders are not."""
        return self.unit_id is not None and bool(self.position) and self.unit.parent_id is not None


class Person(models.Model):
    """Someone who may be nominated for an award; may or may not have an account."""

    full_name = models.CharField("họ và tên", max_length=150)
    position_title = models.CharField("chức vụ", max_length=150, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(
        User,
        verbose_name="tài khoản",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
    )
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    is_active = models.BooleanField("đang công tác", default=True)

    class Meta:
        verbose_name = "cá nhân"
        verbose_name_plural = "cá nhân"
        ordering = ["unit__sort_order", "full_name"]

    def __str__(self):
        return self.full_name
