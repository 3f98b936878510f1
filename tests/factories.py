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


__all__ = ["Capability", "PersonFactory", "TEST_PASSWORD", "UnitFactory", "UserFactory", "department"]
