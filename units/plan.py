"""The units the plan's data file names ([[units]]: the Department and the units the plan cites), loaded with the
plan by campaign.plan_loader through the section this app registers."""

from campaign.plan_loader import PlanFileError

from .models import Unit

UNIT_FIELDS = ("name", "abbreviation", "kind", "parent", "sort_order")


def load_plan_units(loader):
    """Create the file's units that do not exist; never change an existing unit."""
    counts = loader.result.counts_for(Unit)
    rows = loader.list("units")
    codes = [row.get("code") for row in rows]
    if not all(codes) or len(set(codes)) != len(codes):
        raise PlanFileError("Mỗi đơn vị trong tệp kế hoạch phải có mã (code) riêng.")
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    for row in rows:
        code = row["code"]
        where = f"đơn vị {code}"
        unknown = set(row) - set(UNIT_FIELDS) - {"code"}
        if unknown:
            raise PlanFileError(f"{where}: trường không được nạp: {', '.join(sorted(unknown))}.")
        parent_code = row.get("parent")
        if parent_code is not None and parent_code not in existing:
            raise PlanFileError(f"{where}: đơn vị cấp trên “{parent_code}” phải đứng trước trong tệp kế hoạch.")
        parent = existing[parent_code] if parent_code else None
        unit = existing.get(code)
        if unit is None:
            unit = Unit(
                code=code,
                name=row.get("name", ""),
                abbreviation=row.get("abbreviation", ""),
                kind=row.get("kind", ""),
                parent=parent,
                sort_order=row.get("sort_order", 0),
            )
            loader.validate(unit, where)
            unit.save()
            existing[code] = unit
            counts.created += 1
        elif all(
            getattr(unit, name) == row.get(name, Unit._meta.get_field(name).get_default())
            for name in ("name", "abbreviation", "kind", "sort_order")
        ) and unit.parent_id == (parent.pk if parent else None):
            counts.unchanged += 1
        else:
            counts.kept += 1
        loader.register(Unit, code, unit)
