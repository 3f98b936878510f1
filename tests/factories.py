"""factory_boy factories for the fast tests. Data that has a service is built through the service."""

import factory
from django.contrib.auth.models import Group

from units.capabilities import Capability
from units.models import Person, Unit, User

TEST_PASSWORD = "mat-khau-thu-nghiem-2026"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DV{n:03d}")
    name = factory.Sequence(lambda n: f"Phòng thử nghiệm {n}")
    abbreviation = factory.LazyAttribute(lambda unit: unit.code)
    kind = Unit.Kind.DIVISION
    parent = factory.LazyFunction(lambda: department())
    sort_order = factory.Sequence(lambda n: n + 1)


def department():
    unit, _ = Unit.objects.get_or_create(
        code="SKHCN",
        defaults={
            "name": "Sở Khoa học và Công nghệ",
            "abbreviation": "SKHCN",
            "kind": Unit.Kind.DEPARTMENT,
        },
    )
    return unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    unit = factory.SubFactory(UnitFactory)
    position = User.Position.STAFF
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def capabilities(self, create, extracted, **kwargs):
        for capability in extracted or ():
            # get_or_create: a transactional test's flush removes the groups the data migration made.
            self.groups.add(Group.objects.get_or_create(name=capability)[0])
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Trần Thị Cá Nhân {n}")
    position_title = "Chuyên viên"
    unit = factory.SubFactory(UnitFactory)


# The fixed personas of the suite (tests/conftest.py's fixtures and the access matrix's worlds), each made
# once: the factories get or create by code and username.


def own_unit():
    return UnitFactory(code="PQLKH", name="Phòng Quản lý khoa học")


def other_unit():
    return UnitFactory(code="PKT", name="Phòng Kế hoạch - Tài chính")


def office_unit():
    return UnitFactory(code="HCTH", name="Phòng Hành chính - Tổng hợp", kind="office")


def staff_of_own_unit():
    return UserFactory(username="canbo", full_name="Lê Văn Cán Bộ", unit=own_unit(), position="staff")


def head_of_own_unit():
    return UserFactory(username="truongphong", full_name="Phạm Thị Trưởng", unit=own_unit(), position="head")


def staff_of_other_unit():
    return UserFactory(username="canbokhac", full_name="Võ Văn Khác", unit=other_unit(), position="staff")


def office_reviewer():
    return UserFactory(
        username="vanphong",
        full_name="Đỗ Thị Văn Phòng",
        unit=office_unit(),
        position="staff",
        capabilities=[Capability.OFFICE_REVIEWER],
    )


def director():
    return UserFactory(
        username="giamdoc",
        full_name="Nguyễn Văn Giám Đốc",
        position_title="Giám đốc",
        unit=department(),
        position="head",
        capabilities=[Capability.LEADERSHIP],
    )


def administrator():
    return UserFactory(
        username="quantri",
        full_name="Quản Trị Viên",
        unit=department(),
        position="staff",
        capabilities=[Capability.ADMINISTRATOR],
    )


__all__ = ["Capability", "PersonFactory", "TEST_PASSWORD", "UnitFactory", "UserFactory", "department"]
