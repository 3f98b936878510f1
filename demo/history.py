"""The demo's history: the reports of the demo units for the periods before the portal (2022–2024, half-years and
years), brought in through the office's import (reports.services.history) from a workbook filled here as the office
fills the period's template, so that the overview, the trends and the 2022–2025 phase review cover the whole phase.

Loaded by `manage.py load_demo` after `demo.data.load_demo` (it needs the demo's units and the office's account); a
period that already holds a report is left alone, so a second run imports nothing.
"""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from campaign.models import AssessmentLevel, Criterion, Indicator, ReportingPeriod
from notifications.models import Notification
from reports.models import ReportSection, UnitReport
from reports.services import history
from reports.services.editing import section_keys_for
from units.models import Unit, User

from .data import (
    ACTIVITIES,
    DEFAULT_ACTIVITIES,
    DEMO_UNITS,
    NOT_APPLICABLE,
    UNIT_NOUNS,
    _proposals,
    _quantities,
    _section_text,
)

HISTORY_PERIODS = ("2022-H1", "2022-FY", "2023-H1", "2023-FY", "2024-H1", "2024-FY")
OFFICE_USERNAME = "vanphong"


def load_history():
    """Import the demo's history periods that hold no report yet; return their labels."""
    office = User.objects.filter(username=OFFICE_USERNAME, is_active=True).first()
    if office is None:
        return []
    units = list(Unit.objects.filter(code__in=[unit.code for unit in DEMO_UNITS]).order_by("sort_order", "name"))
    imported = []
    with transaction.atomic():
        for index, code in enumerate(HISTORY_PERIODS):
            period = ReportingPeriod.objects.filter(code=code).select_related("campaign", "phase").first()
            if period is None or not period.is_history() or UnitReport.objects.filter(period=period).exists():
                continue
            upload = _workbook(period, units, period_index=index - len(HISTORY_PERIODS))
            history.history_import_upload(period=period, upload=upload, actor=office)
            imported.append(period.label)
        # The demo's addresses have no mailboxes: the office's notifications stay unread in the portal, never e-mailed.
        Notification.objects.filter(url=reverse("reports:history_import"), emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    return imported


def _workbook(period, units, *, period_index):
    """The period's workbook for the demo units, with the values the demo's own reports are made of."""
    spec = history.history_spec(period)
    levels = {level.code: level.label for level in AssessmentLevel.objects.filter(is_active=True)}
    indicators = list(Indicator.objects.filter(is_active=True).select_related("criterion"))
    book = Workbook()
    book.remove(book.active)
    criteria_sheet, indicators_sheet, texts_sheet = (book.create_sheet(sheet.name) for sheet in spec.sheets)
    for sheet, sheet_spec in zip((criteria_sheet, indicators_sheet, texts_sheet), spec.sheets, strict=True):
        sheet.append(list(sheet_spec.header))
    text_keys = section_keys_for(period)  # the columns of the texts sheet, in order
    for unit_index, unit in enumerate(units):
        noun = UNIT_NOUNS.get(unit.kind, "Đơn vị")
        criteria = list(
            Criterion.objects.applicable_to(unit).select_related("group").order_by("group__sort_order", "number")
        )
        for order, criterion in enumerate(criteria, start=1):
            reason = NOT_APPLICABLE.get((unit.code, criterion.plan_key))
            if reason is not None:
                criteria_sheet.append(
                    [unit.name, criterion.code, criterion.short_label, levels["khong-ap-dung"], "", reason]
                )
                continue
            lines = ACTIVITIES.get(criterion.plan_key, DEFAULT_ACTIVITIES)
            seed = unit_index * 7 + order * 5
            numbers = {"n": 3 + seed % 9, "m": 2 + seed % 5, "k": 12 + seed % 17, "p": 85 + seed % 15}
            activity = lines[(unit_index + order) % len(lines)].format(**numbers).lstrip("- ")
            level = "hoan-thanh" if (unit_index + period_index + order) % 6 == 0 else "hoan-thanh-tot"
            criteria_sheet.append([unit.name, criterion.code, criterion.short_label, levels[level], activity, ""])
            quantities = _quantities(criterion.plan_key, period, unit, unit_index)
            for indicator in indicators:
                if indicator.criterion_id == criterion.pk and quantities.get(indicator.numerator_key) is not None:
                    indicators_sheet.append(
                        [
                            unit.name,
                            indicator.code,
                            indicator.name,
                            int(quantities[indicator.numerator_key]),
                            int(quantities[indicator.denominator_key]) if indicator.denominator_key else None,
                        ]
                    )
        texts = []
        for key in text_keys:
            if key == ReportSection.Key.RECOMMENDATIONS:
                texts.append("; ".join(item["text"] for item in _proposals(noun, unit_index)))
            else:
                texts.append(" ".join(_section_text(key, period, noun, unit_index).split()))
        texts_sheet.append([unit.name, *texts])
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(f"bao-cao-{period.code}-nhap-tu-ho-so-cu.xlsx", buffer.getvalue())
