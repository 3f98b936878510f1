"""Capabilities beyond one's own unit, held as Django groups (DESIGN.md section 1).

One person may hold several: the head of Phòng Hành chính - Tổng hợp is a unit head, an office
reviewer and a council member at once. The group names are what administrators see.
"""

from django.contrib.auth.models import Group
from django.db import models


class Capability(models.TextChoices):
    OFFICE_REVIEWER = "Văn phòng - rà soát, tổng hợp báo cáo", "Rà soát, tổng hợp báo cáo (Phòng HC-TH)"
    LEADERSHIP = "Lãnh đạo Sở", "Lãnh đạo Sở"
    COUNCIL_MEMBER = "Hội đồng Thi đua - Khen thưởng", "Thành viên Hội đồng Thi đua - Khen thưởng"
    ADMINISTRATOR = "Quản trị hệ thống", "Quản trị hệ thống"


def grant(user, capability):
    """Give the user a capability (its group, made if an administrator removed it)."""
    group, _ = Group.objects.get_or_create(name=capability)
    user.groups.add(group)


def revoke(user, capability):
    user.groups.remove(*Group.objects.filter(name=capability))
