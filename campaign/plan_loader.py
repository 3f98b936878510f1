"""Load the plan's data file (campaign/data/plan.toml) into the database.

Every row of the file has a stable key (`PlanRecord.plan_key`; units: their `code`). For each loaded
model, `LOADED_FIELDS` declares the fields the loader writes; `plan_digest` is the sha256 of the
canonical JSON of those fields' values as the loader last wrote them. On load:

- a missing row is created;
- a row whose current values still match its digest (nobody touched it) is updated to the file's
  values when they differ;
- a row whose current values no longer match its digest was edited by an administrator: it is left
  alone and counted as "kept".

Units and per-unit criterion rules are created when missing and never changed afterwards: once they
exist, the administrator (or the office) owns them. Foreign keys enter the digest as their target's
stable key, so the digest does not depend on database ids.

The file has sections owned by other apps, which load them with a `PlanLoader` through a function they
register (`register_plan_section`, from their AppConfig.ready): the units the plan names (units/plan.py)
before the campaign, the award catalogue (awards/catalogue.py) after it. This module imports no app
above campaign.
"""

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from campaign.models import (
    AssessmentLevel,
    Campaign,
    CitedDocument,
    ContentArea,
    Criterion,
    CriterionApplicability,
    CriterionGroup,
    Indicator,
    Phase,
    ReportingPeriod,
    Theme,
)

DEFAULT_PLAN_PATH = Path(__file__).resolve().parent / "data" / "plan.toml"
FORMAT_VERSION = 1

# The fields the loader writes, per model. Fields not listed (is_active, …) belong to the administrator.
LOADED_FIELDS = {
    Campaign: (
        "name",
        "short_name",
        "issuing_unit",
        "governing_body",
        "issuing_body",
        "issuing_body_abbreviation",
        "place_name",
        "report_recipient",
        "coordinating_unit_name",
        "start_year",
        "end_year",
        "portal_start_date",
    ),
    CitedDocument: (
        "campaign",
        "role",
        "kind",
        "number",
        "issued_on",
        "issuer",
        "title",
        "signer",
        "confirmed",
        "decision_basis",
        "sort_order",
    ),
    Phase: ("campaign", "number", "name", "start_year", "end_year", "review_kind", "review_year", "description"),
    ContentArea: ("campaign", "section", "group_title", "text", "sort_order"),
    CriterionGroup: ("campaign", "section", "name", "sort_order"),
    Theme: ("campaign", "label", "keywords", "sort_order"),
    Criterion: ("group", "number", "text", "short_label", "applies_to_all_units"),
    Indicator: (
        "criterion",
        "code",
        "name",
        "quantities",
        "formula",
        "numerator_key",
        "denominator_key",
        "result_unit",
        "comparison",
        "target_value",
        "half_year_target",
        "direction",
        "aggregation_note",
    ),
    AssessmentLevel: ("code", "label", "sort_order", "means_not_applicable"),
    ReportingPeriod: (
        "campaign",
        "phase",
        "code",
        "kind",
        "label",
        "year",
        "start",
        "end",
        "data_cutoff",
        "unit_due_date",
        "department_due_date",
    ),
}

# Unique values other than plan_key that a row created outside the file may already hold. Such a row
# is adopted as the administrator's own (counted as kept) instead of failing on the constraint.
NATURAL_KEYS = {
    CitedDocument: ("campaign", "role"),
    Phase: ("campaign", "number"),
    Criterion: ("group", "number"),
    Indicator: ("code",),
    AssessmentLevel: ("code",),
    ReportingPeriod: ("code",),
}

PERIOD_DATE_FIELDS = ("data_cutoff", "unit_due_date", "department_due_date")


class PlanFileError(Exception):
    """The data file cannot be read or does not describe a valid plan. The message is Vietnamese."""


@dataclass
class ModelCounts:
    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged + self.kept

    def describe(self):
        return (
            f"{self.label}: {self.created} tạo mới, {self.updated} cập nhật, "
            f"{self.unchanged} không đổi, {self.kept} giữ nguyên bản đã sửa"
        )


@dataclass
class LoadResult:
    path: Path
    counts: dict[str, ModelCounts] = field(default_factory=dict)

    def __getitem__(self, model):
        label = model if isinstance(model, str) else model._meta.label
        return self.counts[label]

    def counts_for(self, model, name=None):
        label = model._meta.label
        if label not in self.counts:
            self.counts[label] = ModelCounts(name or str(model._meta.verbose_name_plural).capitalize())
        return self.counts[label]

    def _sum(self, attribute):
        return sum(getattr(counts, attribute) for counts in self.counts.values())

    @property
    def created(self):
        return self._sum("created")

    @property
    def updated(self):
        return self._sum("updated")

    @property
    def unchanged(self):
        return self._sum("unchanged")

    @property
    def kept(self):
        return self._sum("kept")

    @property
    def changed_anything(self):
        return bool(self.created or self.updated)

    @property
    def summary(self):
        lines = [f"Đã nạp Kế hoạch từ tệp {self.path}."]
        lines += [f"- {counts.describe()}" for counts in self.counts.values()]
        lines.append(
            f"Tổng cộng: {self.created} tạo mới, {self.updated} cập nhật, {self.unchanged} không đổi, "
            f"{self.kept} giữ nguyên bản đã sửa."
        )
        if self.kept:
            lines.append(
                "Các dòng “giữ nguyên bản đã sửa” đã được quản trị viên chỉnh sửa trên cổng "
                "nên không bị ghi đè theo tệp kế hoạch."
            )
        if not self.changed_anything:
            lines.append("Cơ sở dữ liệu đã khớp với tệp kế hoạch, không có gì thay đổi.")
        return "\n".join(lines)


# The sections of the plan file each app loads: [(order, load)], load(loader) reading loader.data.
_SECTIONS = []
UNITS_ORDER, CAMPAIGN_ORDER, CATALOGUE_ORDER = 10, 20, 30


def register_plan_section(*, order, load):
    """Add a section loader; sections load in `order` (units 10, the campaign 20, the award catalogue 30)."""
    if (order, load) not in _SECTIONS:
        _SECTIONS.append((order, load))


def load_plan(*, path=DEFAULT_PLAN_PATH) -> LoadResult:
    """Read the plan's data file and upsert every row on its stable key, in one transaction."""
    path = Path(path)
    data = read_plan_file(path)
    loader = PlanLoader(data, path)
    with transaction.atomic():
        try:
            for _, load in sorted(_SECTIONS, key=lambda section: section[0]):
                load(loader)
        except KeyError as error:
            raise PlanFileError(f"Tệp kế hoạch {path} thiếu trường {error}.") from error
    return loader.result


def read_plan_file(path):
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as error:
        raise PlanFileError(f"Không tìm thấy tệp kế hoạch {path}.") from error
    except tomllib.TOMLDecodeError as error:
        raise PlanFileError(f"Tệp kế hoạch {path} không đúng cú pháp TOML: {error}") from error
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise PlanFileError(
            f"Tệp kế hoạch có format_version = {version!r}; chương trình đọc phiên bản {FORMAT_VERSION}."
        )
    return data


def canonical_digest(values):
    """sha256 of the canonical JSON of a dict of plain values."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(model_field, value):
    """A JSON-ready form of a (non-relation) field value that is identical however it was obtained."""
    if value is None:
        return None
    if isinstance(model_field, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places)))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def adopt_new_fields(model, *, old_fields, new_fields):
    """For a migration that adds fields the loader writes: rows nobody edited get the digest of the new fields.

    A row's digest covers the fields loaded when it was written. Once the loader writes more fields, that digest
    no longer matches any row, and load_plan would keep every row as if an administrator had edited it, never
    giving it the file's value of a new field. Here a row whose digest is still that of its `old_fields` (nobody
    edited it) gets the digest of its `new_fields` as they stand, so the next load_plan updates it. `model` may be
    a migration's historical model; a foreign key enters as its target's plan_key (a unit: its code).
    """
    for row in model.objects.exclude(plan_digest=""):
        if canonical_digest(_row_snapshot(row, old_fields)) == row.plan_digest:
            row.plan_digest = canonical_digest(_row_snapshot(row, new_fields))
            row.save(update_fields=["plan_digest"])


def _row_snapshot(row, fields):
    snapshot = {}
    for name in fields:
        model_field = row._meta.get_field(name)
        value = getattr(row, model_field.attname)
        if model_field.many_to_one:
            target = None if value is None else model_field.related_model.objects.get(pk=value)
            snapshot[name] = None if target is None else getattr(target, "plan_key", None) or target.code
        else:
            snapshot[name] = _plain(model_field, value)
    return snapshot


def _month_day(text, year, where):
    try:
        month, day = (int(part) for part in str(text).split("-"))
        return date(year, month, day)
    except ValueError as error:
        raise PlanFileError(f"{where}: “{text}” không phải ngày dạng MM-DD hợp lệ trong năm {year}.") from error


class PlanLoader:
    """Reads the plan file's rows and upserts them; every app's section loader works through one."""

    def __init__(self, data, path):
        self.data = data
        self.result = LoadResult(path=path)
        # Loaded rows by model and stable key, and the reverse map used to express foreign keys.
        self.instances = {}
        self.key_by_pk = {}
        # The fields written per model (LOADED_FIELDS for the campaign's; a section loader names its own).
        self.fields = dict(LOADED_FIELDS)
        self.natural_keys = dict(NATURAL_KEYS)

    def load_campaign(self):
        """The campaign's own sections, in the order of their foreign keys (the plan's units are loaded before)."""
        campaign = self.table("campaign")
        campaign_key = self.key(campaign, "campaign")
        self.upsert(Campaign, [campaign])

        def in_campaign(rows):
            return [{"campaign": campaign_key, **row} for row in rows]

        self.upsert(CitedDocument, in_campaign(self.list("cited_documents")))
        phases = in_campaign(self.list("phases"))
        self.upsert(Phase, phases)
        self.upsert(ContentArea, in_campaign(self.list("content_areas")))
        self._load_criteria(in_campaign)
        self.upsert(Theme, in_campaign(self.list("themes")))
        self.upsert(Indicator, self.list("indicators"))
        self.upsert(AssessmentLevel, self.list("assessment_levels"))
        self.upsert(ReportingPeriod, in_campaign(self._period_rows(campaign, phases)))

    def _load_criteria(self, in_campaign):
        groups, criteria, rules, links = [], [], [], []
        for group in in_campaign(self.list("criterion_groups")):
            group = dict(group)
            group_key = self.key(group, "criterion_groups")
            for criterion in group.pop("criteria", []):
                criterion = {"group": group_key, **criterion}
                criterion_key = self.key(criterion, "criterion_groups.criteria")
                rules += [(criterion_key, rule) for rule in criterion.pop("applicability", [])]
                links.append((criterion_key, criterion.pop("content_areas", [])))
                criteria.append(criterion)
            groups.append(group)
        self.upsert(CriterionGroup, groups)
        self.upsert(Criterion, criteria)
        self._load_applicability(rules)
        self._load_content_links(links)

    # -- reading the file -------------------------------------------------------------------------------

    def table(self, name):
        value = self.data.get(name)
        if not isinstance(value, dict):
            raise PlanFileError(f"Tệp kế hoạch thiếu bảng [{name}].")
        return value

    def list(self, name):
        value = self.data.get(name, [])
        if not isinstance(value, list):
            raise PlanFileError(f"Mục {name} của tệp kế hoạch phải là danh sách [[{name}]].")
        return value

    @staticmethod
    def key(row, where):
        key = row.get("plan_key")
        if not key or not isinstance(key, str):
            raise PlanFileError(f"Một dòng trong mục {where} thiếu plan_key.")
        return key

    def _period_rows(self, campaign, phases):
        """The reporting periods, generated from the rules in [periods]."""
        rules = self.table("periods")
        deadlines = rules.get("deadlines", {})
        first_year = rules.get("first_year", campaign.get("start_year"))
        last_year = rules.get("last_year", campaign.get("end_year"))

        def phase_of(year, where):
            matches = [phase for phase in phases if phase["start_year"] <= year <= phase["end_year"]]
            if len(matches) != 1:
                raise PlanFileError(f"{where}: năm {year} phải thuộc đúng một giai đoạn (tìm thấy {len(matches)}).")
            return matches[0]["plan_key"]

        def dated(row, kind, year, start_year, end_year, spec):
            where = f"kỳ báo cáo {row['code']}"
            if kind not in deadlines:
                raise PlanFileError(f"Thiếu bảng [periods.deadlines.{kind}] cho {where}.")
            row["start"] = _month_day(spec.get("start", "01-01"), start_year, where)
            row["end"] = _month_day(spec.get("end", "12-31"), end_year, where)
            for name in PERIOD_DATE_FIELDS:
                if name not in deadlines[kind]:
                    raise PlanFileError(f"Thiếu {name} trong [periods.deadlines.{kind}].")
                row[name] = _month_day(deadlines[kind][name], year, where)
            row["plan_key"] = f"period-{row['code']}"
            row["phase"] = phase_of(year, where)
            return row

        rows = []
        for year in range(first_year, last_year + 1):
            for spec in rules.get("yearly", []):
                kind = spec["kind"]
                row = {"kind": kind, "year": year, "code": spec["code"].format(year=year)}
                row["label"] = spec["label"].format(year=year)
                rows.append(dated(row, kind, year, year, year, spec))
        review = rules.get("phase_review")
        if review:
            for phase in phases:
                start_year, end_year = phase["start_year"], phase["end_year"]
                names = {"start_year": start_year, "end_year": end_year}
                labels = review.get("label", {})
                if phase["review_kind"] not in labels:
                    raise PlanFileError(f"Thiếu [periods.phase_review.label] cho loại “{phase['review_kind']}”.")
                row = {"kind": review["kind"], "year": phase["review_year"], "code": review["code"].format(**names)}
                row["label"] = labels[phase["review_kind"]].format(**names)
                rows.append(dated(row, review["kind"], phase["review_year"], start_year, end_year, review))
        rows.sort(key=lambda row: (row["end"], row["start"]))
        return rows

    # -- values and digests -----------------------------------------------------------------------------

    def resolve(self, target_model, key, where):
        instance = self.instances.get(target_model, {}).get(key)
        if instance is None:
            raise PlanFileError(
                f"{where}: không tìm thấy “{key}” ({target_model._meta.verbose_name}) trong tệp kế hoạch."
            )
        return instance.pk

    def _values(self, model, row, where):
        """The file's row as {attname: Python value}, foreign keys resolved to primary keys."""
        fields = self.fields[model]
        unknown = set(row) - set(fields) - {"plan_key"}
        if unknown:
            raise PlanFileError(f"{where}: trường không được nạp: {', '.join(sorted(unknown))}.")
        values = {}
        for name in fields:
            model_field = model._meta.get_field(name)
            raw = row[name] if name in row else model_field.get_default()
            if model_field.many_to_one:
                values[model_field.attname] = (
                    None if raw is None else self.resolve(model_field.related_model, raw, where)
                )
                continue
            try:
                values[model_field.attname] = model_field.to_python(raw)
            except ValidationError as error:
                raise PlanFileError(f"{where}, trường {name}: {'; '.join(error.messages)}") from error
        return values

    def _snapshot(self, model, values):
        """Plain values of the loaded fields; foreign keys by their target's stable key (or pk if unknown)."""
        snapshot = {}
        for name in self.fields[model]:
            model_field = model._meta.get_field(name)
            value = values[model_field.attname]
            if model_field.many_to_one:
                known = self.key_by_pk.get(model_field.related_model, {})
                snapshot[name] = None if value is None else known.get(value, f"pk:{value}")
            else:
                snapshot[name] = _plain(model_field, value)
        return snapshot

    def _digest(self, model, values):
        return canonical_digest(self._snapshot(model, values))

    def register(self, model, key, instance):
        self.instances.setdefault(model, {})[key] = instance
        self.key_by_pk.setdefault(model, {})[instance.pk] = key

    @staticmethod
    def validate(instance, where):
        relations = [f.name for f in instance._meta.fields if f.many_to_one]
        try:
            instance.clean_fields(exclude=relations)
        except ValidationError as error:
            details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
            raise PlanFileError(f"{where}: {details}") from error

    # -- upserts ----------------------------------------------------------------------------------------

    def upsert(self, model, rows, *, fields=None, natural_key=None):
        """Create, update or keep each row on its plan_key. `fields` and `natural_key` are those of a model
        the campaign does not know (LOADED_FIELDS and NATURAL_KEYS hold the campaign's own)."""
        if fields is not None:
            self.fields[model] = fields
        if natural_key is not None:
            self.natural_keys[model] = natural_key
        counts = self.result.counts_for(model)
        where_prefix = str(model._meta.verbose_name)
        keys = [self.key(row, where_prefix) for row in rows]
        duplicates = {key for key in keys if keys.count(key) > 1}
        if duplicates:
            raise PlanFileError(f"plan_key bị trùng trong tệp kế hoạch: {', '.join(sorted(duplicates))}.")
        attnames = [model._meta.get_field(name).attname for name in self.fields[model]]
        existing = {row.plan_key: row for row in model.objects.filter(plan_key__in=keys)}
        to_create, to_update = [], []
        for key, row in zip(keys, rows, strict=True):
            where = f"{where_prefix} {key}"
            values = self._values(model, row, where)
            desired = self._digest(model, values)
            instance = existing.get(key)
            if instance is None:
                instance = model(plan_key=key, plan_digest=desired, **values)
                self.validate(instance, where)
                to_create.append(instance)
                continue
            current = self._digest(model, {attname: getattr(instance, attname) for attname in attnames})
            if current == desired:
                counts.unchanged += 1
                if instance.plan_digest != desired:
                    # The values are the file's own (e.g. an administrator's edit the file later adopted):
                    # the row is the loader's again.
                    instance.plan_digest = desired
                    to_update.append(instance)
            elif current != instance.plan_digest:
                counts.kept += 1
            else:
                for attname, value in values.items():
                    setattr(instance, attname, value)
                instance.plan_digest = desired
                self.validate(instance, where)
                to_update.append(instance)
                counts.updated += 1
            self.register(model, key, instance)

        for instance in self._adopt_natural_key_holders(model, to_create):
            to_create.remove(instance)
            counts.kept += 1
        if to_create:
            created = model.objects.bulk_create(to_create)
            if any(instance.pk is None for instance in created):
                by_key = {row.plan_key: row for row in model.objects.filter(plan_key__in=[i.plan_key for i in created])}
                created = [by_key[instance.plan_key] for instance in created]
            for instance in created:
                self.register(model, instance.plan_key, instance)
            counts.created += len(created)
        if to_update:
            model.objects.bulk_update(to_update, [*attnames, "plan_digest"])

    def _adopt_natural_key_holders(self, model, candidates):
        """Rows to be created whose natural key an existing row (made outside the file) already holds.

        The existing row is registered under the file's key and left untouched; yields the candidates.
        """
        natural_key = self.natural_keys.get(model)
        if not natural_key or not candidates:
            return []
        attnames = [model._meta.get_field(name).attname for name in natural_key]

        def key_of(instance):
            return tuple(getattr(instance, attname) for attname in attnames)

        lookup = reduce(or_, (models.Q(**dict(zip(attnames, key_of(c), strict=True))) for c in candidates))
        holders = {key_of(row): row for row in model.objects.filter(lookup)}
        adopted = []
        for candidate in candidates:
            holder = holders.get(key_of(candidate))
            if holder is not None:
                self.register(model, candidate.plan_key, holder)
                adopted.append(candidate)
        return adopted

    def _load_content_links(self, links):
        """Link each criterion to its content areas when it has none yet; links an administrator set stay."""
        through = Criterion.content_areas.through
        counts = self.result.counts_for(through, "Liên kết tiêu chí với nội dung thi đua")
        linked = set(through.objects.values_list("criterion_id", flat=True).distinct())
        to_create = []
        for criterion_key, area_keys in links:
            where = f"nội dung thi đua của {criterion_key}"
            if not isinstance(area_keys, list):
                raise PlanFileError(f"{where}: content_areas phải là danh sách khóa nội dung thi đua.")
            criterion_id = self.resolve(Criterion, criterion_key, where)
            if criterion_id in linked:
                counts.unchanged += len(area_keys)
                continue
            to_create += [
                through(criterion_id=criterion_id, contentarea_id=self.resolve(ContentArea, key, where))
                for key in area_keys
            ]
        if to_create:
            through.objects.bulk_create(to_create)
            counts.created += len(to_create)

    def _load_applicability(self, rules):
        """Create the file's per-unit criterion rules that do not exist; never change an existing one."""
        counts = self.result.counts_for(CriterionApplicability)
        if not rules:
            return
        wanted = []
        for criterion_key, rule in rules:
            where = f"phạm vi áp dụng của {criterion_key}"
            unknown = set(rule) - {"unit", "applies", "note"}
            if unknown:
                raise PlanFileError(f"{where}: trường không được nạp: {', '.join(sorted(unknown))}.")
            criterion_id = self.resolve(Criterion, criterion_key, where)
            unit_id = self.resolve(
                CriterionApplicability._meta.get_field("unit").related_model, rule.get("unit"), where
            )
            wanted.append((criterion_id, unit_id, bool(rule.get("applies", True)), rule.get("note", "")))
        existing = {
            (row.criterion_id, row.unit_id): row
            for row in CriterionApplicability.objects.filter(
                criterion_id__in={w[0] for w in wanted}, unit_id__in={w[1] for w in wanted}
            )
        }
        to_create = []
        for criterion_id, unit_id, applies, note in wanted:
            row = existing.get((criterion_id, unit_id))
            if row is None:
                to_create.append(
                    CriterionApplicability(criterion_id=criterion_id, unit_id=unit_id, applies=applies, note=note)
                )
            elif row.applies == applies and row.note == note:
                counts.unchanged += 1
            else:
                counts.kept += 1
        if to_create:
            CriterionApplicability.objects.bulk_create(to_create)
            counts.created += len(to_create)


__all__ = [
    "CAMPAIGN_ORDER",
    "CATALOGUE_ORDER",
    "DEFAULT_PLAN_PATH",
    "LOADED_FIELDS",
    "LoadResult",
    "ModelCounts",
    "PlanFileError",
    "PlanLoader",
    "UNITS_ORDER",
    "canonical_digest",
    "load_plan",
    "read_plan_file",
    "register_plan_section",
]
