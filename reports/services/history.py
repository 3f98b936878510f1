"""A past period's unit reports brought in from a spreadsheet (periods before the campaign's portal start date).

The office fills the period's template — per unit, the self-assessment and a short text per criterion, the
indicators' quantities as the editor stores them (numerator and denominator, or the value of a sum), the overall
sections — and imports it through the one import mechanism (documents.imports): every row is read and checked
first, problems listed by sheet, row and column, and all reports are written in one transaction or none. Each
imported report is created accepted, marked by its `HistoryImport` (the source file kept in private storage), and
so counts in the trends, the consolidated report and the overview like a report made in the portal.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from campaign.models import AssessmentLevel, Criterion, CriterionApplicability, Indicator, ReportingPeriod
from documents import imports
from documents.xlsx import Sheet, sheets_bytes
from notifications.services import notify
from portal.text import fold_for_search
from units.models import Unit
from units.selectors import office_reviewers

from .. import permissions
from ..errors import NotAllowed, ReportError
from ..models import CriterionResult, HistoryImport, ReportSection, ReportTransition, UnitReport
from ..parts import PROPOSALS, parse_quantity
from .editing import section_keys_for
from .snapshots import report_snapshot

OFFICE_ONLY = "Chỉ Phòng Hành chính - Tổng hợp nhập báo cáo các kỳ trước."
CRITERIA = "Tiêu chí"
INDICATORS = "Chỉ số"
TEXTS = "Nhận xét chung"
UNIT = imports.Column("Đơn vị", example="Phòng Quản lý khoa học", width=34)
CRITERION_COLUMNS = (
    UNIT,
    imports.Column("Mã tiêu chí", example="III.1.1.2", width=12),
    imports.Column("Tiêu chí (để đọc, không kiểm tra)", example="Chuyển đổi số", width=30),
    imports.Column("Mức tự đánh giá", example="Hoàn thành tốt", width=18),
    imports.Column("Kết quả thực hiện (tóm tắt)", example="Số hóa 95% hồ sơ, thủ tục", width=60),
    imports.Column("Lý do không áp dụng", example="", width=30),
)
INDICATOR_COLUMNS = (
    UNIT,
    imports.Column("Mã chỉ số", example="disbursement-rate", width=24),
    imports.Column("Chỉ số (để đọc, không kiểm tra)", example="Tỷ lệ giải ngân vốn đầu tư công", width=34),
    imports.Column("Tử số (hoặc giá trị)", example="9.350.000.000", width=20),
    imports.Column("Mẫu số", example="10.000.000.000", width=20),
)
NO_TEXT = ""


def _problem_at(index, message):
    return [(index, message)]


# --- What the rows are matched against -------------------------------------------------------------------------


class _HistoryContext:
    """The period, its reporting units, the criteria, indicators and levels (diacritics and case aside), and the
    units that already have a report for the period; a fixed number of queries."""

    def __init__(self, period):
        self.period = period
        units = list(Unit.objects.reporting(period.end).order_by("sort_order", "name"))
        candidates = {}
        for unit in units:
            for label in {unit.name, unit.abbreviation, unit.code}:
                if label:
                    candidates.setdefault(fold_for_search(label), set()).add(unit)
        self.units = {key: next(iter(found)) for key, found in candidates.items() if len(found) == 1}
        self.criteria = {}
        for criterion in (
            Criterion.objects.active()
            .filter(group__campaign=period.campaign)
            .select_related("group")
            .order_by("group__sort_order", "number")
        ):
            self.criteria.setdefault(fold_for_search(criterion.code), criterion)
            self.criteria.setdefault(fold_for_search(criterion.short_label), criterion)
        self.order = {criterion.pk: index for index, criterion in enumerate(self.criteria_list())}
        self.indicators = {}
        for indicator in Indicator.objects.filter(is_active=True).select_related("criterion__group"):
            self.indicators.setdefault(fold_for_search(indicator.code), indicator)
            self.indicators.setdefault(fold_for_search(indicator.name), indicator)
        self.levels = {}
        for level in AssessmentLevel.objects.filter(is_active=True).order_by("sort_order"):
            self.levels.setdefault(fold_for_search(level.label), level)
            self.levels.setdefault(fold_for_search(level.code), level)
        self.level_names = ", ".join(
            level.label for level in sorted(set(self.levels.values()), key=lambda level: level.sort_order)
        )
        self.reported = set(UnitReport.objects.filter(period=period).values_list("unit_id", flat=True))

    def criteria_list(self):
        return list(dict.fromkeys(self.criteria.values()))

    def unit(self, cell, problems):
        """The unit a row names, or None with its problem (unknown, or already reported in the portal)."""
        name = imports.text(cell)
        if not name:
            problems.append((0, "thiếu tên đơn vị"))
            return None
        unit = self.units.get(fold_for_search(name))
        if unit is None:
            problems.append((0, f"không có đơn vị “{name}” báo cáo trong {self.period.label}"))
            return None
        if unit.pk in self.reported:
            problems.append((0, f"{unit.name} đã có báo cáo {self.period.label}; không nhập đè báo cáo đã có"))
            return None
        return unit


# --- Reading a row ---------------------------------------------------------------------------------------------


def _blank(cells):
    return all(imports.text(cell) == "" for cell in cells)


def _criterion_row(line, cells, context):
    unit_cell, code_cell, _label, level_cell, activities_cell, reason_cell = cells
    if _blank((level_cell, activities_cell, reason_cell)):
        return None, []  # a row of the template left empty: nothing of this criterion for this unit
    problems = []
    unit = context.unit(unit_cell, problems)
    code = imports.text(code_cell)
    criterion = context.criteria.get(fold_for_search(code)) if code else None
    if criterion is None:
        problems.append((1, f"không có tiêu chí “{code}”; ghi mã tiêu chí như trang “Danh mục” (ví dụ III.1.1.2)"))
    level_name = imports.text(level_cell)
    level = context.levels.get(fold_for_search(level_name)) if level_name else None
    if not level_name:
        problems.append((3, f"thiếu mức tự đánh giá ({context.level_names})"))
    elif level is None:
        problems.append((3, f"mức tự đánh giá “{level_name}” không có trong thang ({context.level_names})"))
    if problems:
        return None, problems
    return {
        "unit": unit,
        "criterion": criterion,
        "level": level,
        "activities": imports.text(activities_cell),
        "reason": imports.text(reason_cell),
    }, []


def _quantity(cell):
    """A quantity cell as the editor stores it (a decimal string), None if blank; ValueError with the message."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, bool):
        raise ValueError("không phải một số")
    if isinstance(cell, int | float | Decimal):
        try:
            value = Decimal(str(cell))
        except InvalidOperation:
            raise ValueError("không phải một số") from None
        if not value.is_finite():
            raise ValueError("không phải một số")
        text = format(value.normalize(), "f")
    else:
        try:
            text = parse_quantity(imports.text(cell))
        except ValueError:
            raise ValueError(f"“{imports.text(cell)}” không phải một số (ví dụ 1.250.000.000)") from None
    if Decimal(text) < 0:
        raise ValueError("số liệu không được âm")
    return text


def _indicator_row(line, cells, context):
    unit_cell, code_cell, _label, top_cell, bottom_cell = cells
    if _blank((top_cell, bottom_cell)):
        return None, []
    problems = []
    unit = context.unit(unit_cell, problems)
    code = imports.text(code_cell)
    indicator = context.indicators.get(fold_for_search(code)) if code else None
    if indicator is None:
        problems.append((1, f"không có chỉ số “{code}”; ghi mã chỉ số như trang “Danh mục”"))
    values = {}
    for index, cell in ((3, top_cell), (4, bottom_cell)):
        try:
            values[index] = _quantity(cell)
        except ValueError as error:
            problems.append((index, str(error)))
    if indicator is not None and not problems:
        ratio = indicator.formula == Indicator.Formula.RATIO
        if values[3] is None:
            problems.append((3, "thiếu tử số" if ratio else "thiếu giá trị"))
        if ratio and values[4] is None:
            problems.append((4, "thiếu mẫu số"))
        elif not ratio and values[4] is not None:
            problems.append((4, f"chỉ số “{indicator.name}” là một tổng, không có mẫu số; để trống ô này"))
        elif ratio and Decimal(values[4]) == 0 and Decimal(values[3] or 0) > 0:
            problems.append((4, "mẫu số bằng 0 trong khi tử số lớn hơn 0"))
    if problems:
        return None, problems
    quantities = {indicator.numerator_key: values[3]}
    if indicator.formula == Indicator.Formula.RATIO:
        quantities[indicator.denominator_key] = values[4]
    return {"unit": unit, "indicator": indicator, "quantities": quantities}, []


def _texts_row(keys):
    def parse(line, cells, context):
        unit_cell, *texts = cells
        if _blank(texts):
            return None, []
        problems = []
        unit = context.unit(unit_cell, problems)
        if problems:
            return None, problems
        return {"unit": unit, "texts": dict(zip(keys, (imports.text(cell) for cell in texts), strict=True))}, []

    return parse


# --- Across rows -----------------------------------------------------------------------------------------------


def _check(rows, context):
    """A unit's criterion, indicator or texts given twice; a file with nothing filled in."""
    problems = []
    for sheet, key, column in (
        (CRITERIA, lambda value: (value["unit"].pk, value["criterion"].pk), "Mã tiêu chí"),
        (INDICATORS, lambda value: (value["unit"].pk, value["indicator"].pk), "Mã chỉ số"),
        (TEXTS, lambda value: value["unit"].pk, "Đơn vị"),
    ):
        seen = {}
        for row in rows.get(sheet, []):
            if row.value is None:
                continue
            identity = key(row.value)
            if identity in seen:
                problems.append(
                    imports.Problem(
                        sheet, row.line, column, f"{row.value['unit'].name}: trùng với dòng {seen[identity]}"
                    )
                )
            else:
                seen[identity] = row.line
    if not _by_unit(rows):
        problems.append(
            imports.Problem("", None, "", "Tệp chưa có dòng nào được điền (mức tự đánh giá, số liệu hoặc nhận xét).")
        )
    return problems


def _by_unit(rows):
    """{unit: {"criteria": {criterion: value}, "quantities": {criterion: {key: value}}, "texts": {key: text}}}."""
    units = {}

    def entry(unit):
        return units.setdefault(unit, {"criteria": {}, "quantities": {}, "texts": {}})

    for row in rows.get(CRITERIA, []):
        if row.value is not None:
            entry(row.value["unit"])["criteria"][row.value["criterion"]] = row.value
    for row in rows.get(INDICATORS, []):
        if row.value is not None:
            criterion = row.value["indicator"].criterion
            entry(row.value["unit"])["quantities"].setdefault(criterion, {}).update(row.value["quantities"])
    for row in rows.get(TEXTS, []):
        if row.value is not None:
            entry(row.value["unit"])["texts"].update(row.value["texts"])
    return units


# --- Writing ---------------------------------------------------------------------------------------------------


def _begin(preview, actor):
    """The import's row, with the source file kept in private storage under a random name."""
    upload = preview.upload
    upload.seek(0)
    batch = HistoryImport(
        period=preview.context.period,
        original_name=preview.original_name,
        sha256=preview.sha256,
        imported_by=actor,
    )
    batch.source.save(preview.original_name or "nhap-bao-cao.xlsx", ContentFile(upload.read()), save=False)
    upload.seek(0)
    batch.save()
    return batch


def _finish(batch, created, skipped):
    batch.rows_created = created
    batch.save(update_fields=["rows_created"])


def _write(rows, batch, actor, context):
    """One accepted report per unit of the file, with its criteria, quantities and sections; marked as history."""
    period = context.period
    now = timezone.now()
    # When the paper report reached the office is not in the file: the reports are dated as received on their due
    # date (on time), the moment of the import is the batch's and the transition's.
    received = timezone.make_aware(datetime.datetime.combine(period.unit_due_date, datetime.time()))
    units = _by_unit(rows)
    reports = UnitReport.objects.bulk_create(
        UnitReport(
            unit=unit,
            period=period,
            status=UnitReport.Status.ACCEPTED,
            unit_name=unit.name,
            submission_count=1,
            submitted_at=received,
            accepted_at=received,
            created_by=actor,
            history_import=batch,
        )
        for unit in sorted(units, key=lambda unit: (unit.sort_order, unit.name))
    )
    results, sections = [], []
    for report in reports:
        given = units[report.unit]
        for criterion in sorted(
            set(given["criteria"]) | set(given["quantities"]), key=lambda criterion: context.order[criterion.pk]
        ):
            value = given["criteria"].get(criterion)
            results.append(
                CriterionResult(
                    report=report,
                    criterion=criterion,
                    criterion_code=criterion.code,
                    criterion_text=criterion.text,
                    sort_order=context.order[criterion.pk] + 1,
                    activities=value["activities"] if value else "",
                    quantities=given["quantities"].get(criterion, {}),
                    assessment=value["level"] if value else None,
                    not_applicable_reason=value["reason"] if value else "",
                )
            )
        for key in section_keys_for(period):
            text = given["texts"].get(key, NO_TEXT)
            if key == PROPOSALS:
                # A proposal's addressee was not recorded then: unclassified, for the office to classify.
                items = [{"text": line.strip(" -;"), "to": ""} for line in text.split(";") if line.strip(" -;")]
                sections.append(ReportSection(report=report, key=key, items=items))
            else:
                sections.append(ReportSection(report=report, key=key, text=text))
    CriterionResult.objects.bulk_create(results)
    ReportSection.objects.bulk_create(sections)
    comment = f"Nhập báo cáo {period.label} từ tệp “{batch.original_name}” (kỳ trước khi thu báo cáo trên Cổng)."
    ReportTransition.objects.bulk_create(
        ReportTransition(
            report=report,
            action=ReportTransition.Action.ACCEPT,
            from_status="",
            to_status=UnitReport.Status.ACCEPTED,
            actor=actor,
            at=now,
            comment=comment,
            snapshot=report_snapshot(report),
            submission_number=1,
        )
        for report in reports
    )
    notify(
        office_reviewers(),
        f"{actor.get_full_name()} đã nhập {len(reports)} báo cáo {period.label} từ tệp “{batch.original_name}”.",
        reverse("reports:history_import"),
        actor=actor,
    )
    return len(reports), 0, {"units": [report.unit_name for report in reports]}


# --- The spec of a period --------------------------------------------------------------------------------------


def _texts_columns(period):
    keys = section_keys_for(period)
    labels = dict(ReportSection.Key.choices)
    columns = [UNIT]
    for key in keys:
        label = labels[key]
        if key == PROPOSALS:
            label = f"{label} (mỗi ý cách nhau bởi dấu ;)"
        columns.append(imports.Column(label, example="", width=40))
    return keys, tuple(columns)


def history_spec(period):
    """The importer of a period: its kind decides the overall sections (a phase review adds two)."""
    keys, text_columns = _texts_columns(period)
    return imports.ImportSpec(
        slug=f"history-{period.code}",
        label=f"báo cáo {period.label}",
        sheets=(
            imports.SheetSpec(
                CRITERIA, CRITERION_COLUMNS, _criterion_row, title="Mỗi dòng một tiêu chí của một đơn vị."
            ),
            imports.SheetSpec(
                INDICATORS, INDICATOR_COLUMNS, _indicator_row, title="Mỗi dòng số liệu một chỉ số của một đơn vị."
            ),
            imports.SheetSpec(
                TEXTS, text_columns, _texts_row(keys), title="Mỗi dòng phần nhận xét chung của một đơn vị."
            ),
        ),
        context=lambda: _HistoryContext(period),
        begin=_begin,
        write=_write,
        check=_check,
        finish=_finish,
    )


# --- Services --------------------------------------------------------------------------------------------------


def history_periods(campaign):
    """The periods whose reports may be imported: those that ended before the portal's start, oldest first."""
    return list(ReportingPeriod.objects.history(campaign).select_related("campaign").order_by("end", "start"))


@dataclass
class PeriodRow:
    period: ReportingPeriod
    reports: int  # the period's reports already held (imported or not)


def period_rows(periods):
    """The history periods with how many reports each already holds; one query."""
    counts = dict(UnitReport.objects.filter(period__in=periods).values_list("period").annotate(count=Count("pk")))
    return [PeriodRow(period, counts.get(period.pk, 0)) for period in periods]


def recent_imports(limit=20):
    """The latest imports, newest first, with their period and who imported them; one query."""
    return list(HistoryImport.objects.select_related("period", "imported_by").order_by("-imported_at")[:limit])


def _require(actor, period):
    if not permissions.can_import_history(actor):
        raise NotAllowed(OFFICE_ONLY)
    if not period.is_history():
        raise ReportError(
            f"{period.label} kết thúc sau ngày bắt đầu thu báo cáo trên Cổng "
            f"({period.campaign.portal_start_date:%d/%m/%Y}): các đơn vị nộp báo cáo kỳ này trên Cổng, "
            "không nhập từ tệp."
        )


def history_preview(*, period, upload, actor):
    """Read and check an uploaded file of a past period's reports; nothing is written."""
    _require(actor, period)
    return imports.read(history_spec(period), upload)


@dataclass
class HistoryImported:
    history_import: HistoryImport
    units: list


def history_import(*, period, session, token, actor):
    """Write the previewed file (kept in the session) in one transaction; refused while any problem remains."""
    _require(actor, period)
    applied = imports.apply_kept(history_spec(period), session, token, actor=actor)
    return HistoryImported(history_import=applied.batch, units=applied.details["units"])


def history_import_upload(*, period, upload, actor):
    """Read, check and write an upload at once (tests, the demo): all reports or none."""
    _require(actor, period)
    spec = history_spec(period)
    applied = imports.apply(spec, imports.read(spec, upload), actor=actor)
    return HistoryImported(history_import=applied.batch, units=applied.details["units"])


# --- The template ----------------------------------------------------------------------------------------------


def _instructions(period, context):
    return (
        f"Mẫu nhập báo cáo {period.label} của các đơn vị (kỳ trước ngày bắt đầu thu báo cáo trên Cổng "
        f"{period.campaign.portal_start_date:%d/%m/%Y}). Giữ nguyên tên trang, dòng tiêu đề và thứ tự các cột.",
        "Trang “Tiêu chí”: mỗi dòng một tiêu chí của một đơn vị; điền mức tự đánh giá và tóm tắt kết quả. "
        f"Mức tự đánh giá: {context.level_names}; “Không áp dụng” kèm lý do.",
        "Trang “Chỉ số”: số liệu gốc như đơn vị nhập trên Cổng — tỷ lệ thì tử số và mẫu số (ví dụ vốn đã giải ngân "
        "và kế hoạch vốn), tổng thì chỉ giá trị; số viết 1.250.000.000 hoặc để dạng số của Excel.",
        "Trang “Nhận xét chung”: mỗi dòng một đơn vị; các đề xuất, kiến nghị cách nhau bởi dấu chấm phẩy.",
        "Dòng để trống (chưa điền mức, số liệu hay nhận xét) được bỏ qua; đơn vị không có dòng nào được điền thì "
        "không có báo cáo. Đơn vị đã có báo cáo kỳ này thì không nhập lại.",
        "Cổng kiểm tra mọi dòng và liệt kê lỗi (trang, dòng, cột) trước khi ghi; chỉ khi không còn lỗi mới bấm "
        "“Nhập”, và mọi báo cáo được nhập cùng lúc, ở trạng thái đã tiếp nhận, tệp gốc được lưu lại.",
    )


def history_template_bytes(period):
    """The period's template: the reporting units × the criteria that concern them, their indicators, one row of
    texts per unit, the instructions and the catalogue of codes and levels."""
    spec = history_spec(period)
    context = _HistoryContext(period)
    units = list(Unit.objects.reporting(period.end).order_by("sort_order", "name"))
    criteria = context.criteria_list()
    rules = {
        (rule.criterion_id, rule.unit_id): rule.applies
        for rule in CriterionApplicability.objects.filter(unit__in=units)
    }
    # Criterion.objects.applicable_to(unit), for every unit at once.
    applicable = {
        unit.pk: {
            criterion.pk for criterion in criteria if rules.get((criterion.pk, unit.pk), criterion.applies_to_all_units)
        }
        for unit in units
    }
    indicators = list(Indicator.objects.filter(is_active=True).select_related("criterion__group").order_by("code"))
    criteria_sheet, indicators_sheet, texts_sheet = spec.sheets
    title = f"Mẫu nhập báo cáo {period.label}"
    sheets = [
        Sheet(
            CRITERIA,
            list(criteria_sheet.header),
            [
                (unit.name, criterion.code, criterion.short_label, "", "", "")
                for unit in units
                for criterion in criteria
                if criterion.pk in applicable[unit.pk]
            ],
            title=[f"{title} — {CRITERIA}", criteria_sheet.title],
            widths=[column.width for column in criteria_sheet.columns],
        ),
        Sheet(
            INDICATORS,
            list(indicators_sheet.header),
            [
                (unit.name, indicator.code, indicator.name, "", "")
                for unit in units
                for indicator in indicators
                if indicator.criterion_id in applicable[unit.pk]
            ],
            title=[f"{title} — {INDICATORS}", indicators_sheet.title],
            widths=[column.width for column in indicators_sheet.columns],
        ),
        Sheet(
            TEXTS,
            list(texts_sheet.header),
            [(unit.name, *([""] * (len(texts_sheet.columns) - 1))) for unit in units],
            title=[f"{title} — {TEXTS}", texts_sheet.title],
            widths=[column.width for column in texts_sheet.columns],
        ),
        Sheet(
            "Hướng dẫn",
            ["Hướng dẫn điền"],
            [(line,) for line in _instructions(period, context)],
            title=[f"Hướng dẫn điền mẫu nhập báo cáo {period.label}"],
            widths=[110],
        ),
        Sheet(
            "Danh mục",
            ["Loại", "Mã", "Tên", "Cách nhập"],
            [
                *(("Tiêu chí", criterion.code, criterion.short_label, "") for criterion in criteria),
                *(
                    (
                        "Chỉ số",
                        indicator.code,
                        indicator.name,
                        _quantity_help(indicator),
                    )
                    for indicator in indicators
                ),
                *(
                    ("Mức tự đánh giá", level.code, level.label, "")
                    for level in sorted(set(context.levels.values()), key=lambda level: level.sort_order)
                ),
            ],
            title=["Danh mục mã tiêu chí, chỉ số và mức tự đánh giá"],
            widths=[16, 24, 50, 60],
        ),
    ]
    return sheets_bytes(sheets)


def _quantity_help(indicator):
    labels = {quantity["key"]: quantity["label"] for quantity in indicator.quantities}
    if indicator.formula == Indicator.Formula.RATIO:
        return (
            f"Tử số: {labels.get(indicator.numerator_key, indicator.numerator_key)}; "
            f"mẫu số: {labels.get(indicator.denominator_key, indicator.denominator_key)}"
        )
    return f"Giá trị: {labels.get(indicator.numerator_key, indicator.numerator_key)}"
