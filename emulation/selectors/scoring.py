"""Reads of the scoring pages: a year's schemes, a scheme's scores, one unit's lines, and the rankings (per year and
per phase) with their tie-break rules — each in a fixed number of queries whatever the number of units."""

from dataclasses import dataclass, field
from decimal import Decimal

from ..models import ScoreLine, ScoringScheme, UnitScore
from ..services.scoring import Basis, YearFacts, indicator_target

TieBreak = ScoringScheme.TieBreak
TIE_LABELS = dict(TieBreak.choices)
UNBROKEN = "Bằng điểm sau mọi quy tắc xếp hạng: cùng hạng"
RULES_EXPLAINED = (
    "Tiêu chí đơn vị đánh giá “Không áp dụng” (hoặc không áp dụng với đơn vị) được tính điểm tối đa của mục. "
    "Chỉ số tính theo tỷ lệ: điểm tối đa × kết quả ÷ chỉ tiêu (không quá điểm tối đa); chỉ số “càng thấp càng tốt” "
    "tính điểm tối đa × chỉ tiêu ÷ kết quả. Chỉ tiêu là chỉ tiêu đơn vị đăng ký (đăng ký đã được tiếp nhận); đơn vị "
    "không đăng ký thì dùng chỉ tiêu của Kế hoạch, chỉ số so với năm trước thì dùng kết quả năm trước của đơn vị. "
    "Điểm mỗi dòng làm tròn đến 2 chữ số thập phân."
)


@dataclass
class Ranked:
    """One unit's place in a ranking (of a scheme, or summed over a phase's years)."""

    unit_id: int
    unit_name: str
    sort_order: int
    total: Decimal
    on_time: int  # 1/0 for a year; the number of years on time for a phase
    deductions: Decimal
    items: tuple = ()
    score_id: int | None = None  # a scheme's ranking: the score's page; a phase's: none
    self_total: Decimal | None = None
    explained: bool = False
    years: dict = field(default_factory=dict)  # phase: {year: total}
    place: int = 0
    tie_rule: str = ""

    def key(self, rule):
        """Smaller is better, rule by rule."""
        if rule == TieBreak.ON_TIME:
            return -self.on_time
        if rule == TieBreak.FEWER_DEDUCTIONS:
            return self.deductions
        if rule == TieBreak.HIGHER_FIRST_ITEM:
            return tuple(-points for points in self.items)
        if rule == TieBreak.UNIT_ORDER:
            return self.sort_order
        return 0


def rank(entries, rules):
    """Entries by total, ties broken by `rules` in order; equal after every rule → the same place ("1, 2, 2, 4").
    Each tied entry says which rule placed it against its neighbour (or that none did)."""
    rules = [rule for rule in rules if rule in TIE_LABELS]
    # Each entry's keys, rule by rule, computed once (a thousand units compared with both neighbours otherwise
    # recomputed them tens of thousands of times).
    keyed = sorted(
        ((entry, tuple(entry.key(rule) for rule in rules)) for entry in entries),
        key=lambda pair: (-pair[0].total, *pair[1]),
    )
    for index, (entry, keys) in enumerate(keyed):
        previous = keyed[index - 1] if index else None
        if previous is not None and previous[0].total == entry.total and _deciding(previous[1], keys, rules) is None:
            entry.place = previous[0].place
        else:
            entry.place = index + 1
        following = keyed[index + 1] if index + 1 < len(keyed) else None
        tied = [other for other in (previous, following) if other is not None and other[0].total == entry.total]
        if tied:
            rule = _deciding(tied[0][1], keys, rules)
            entry.tie_rule = TIE_LABELS[rule] if rule else UNBROKEN
    return [entry for entry, _ in keyed]


def _deciding(one, other, rules):
    """The first rule whose keys (one per rule, in order) differ, or None."""
    for rule, mine, theirs in zip(rules, one, other, strict=True):
        if mine != theirs:
            return rule
    return None


def _item_points(scores_filter):
    """{score id: [points of each item, in the scheme's order]} in one query."""
    points = {}
    lines = (
        ScoreLine.objects.filter(item__isnull=False, **scores_filter)
        .order_by("score_id", "item__sort_order", "item_id")
        .values_list("score_id", "self_points", "office_points")
    )
    for score_id, self_points, office_points in lines:
        points.setdefault(score_id, []).append(self_points if office_points is None else office_points)
    return points


def scheme_ranking(scheme):
    """Every unit's score of the scheme with its place, from plain values (no model built per unit): two queries."""
    scores = UnitScore.objects.filter(scheme=scheme).values_list(
        "pk", "unit_id", "unit_name", "unit__sort_order", "total", "on_time", "deductions", "self_total", "explanation"
    )
    items = _item_points({"score__scheme": scheme}) if TieBreak.HIGHER_FIRST_ITEM in scheme.tie_break else {}
    entries = [
        Ranked(
            unit_id=unit_id,
            unit_name=unit_name,
            sort_order=sort_order,
            total=total,
            on_time=int(on_time),
            deductions=deductions,
            items=tuple(items.get(pk, ())),
            score_id=pk,
            self_total=self_total,
            explained=bool(explanation),
        )
        for pk, unit_id, unit_name, sort_order, total, on_time, deductions, self_total, explanation in scores
    ]
    return rank(entries, scheme.tie_break)


@dataclass
class PhaseRanking:
    phase: object
    kind: str
    schemes: list
    years: list
    missing: list
    rows: list


def phase_ranking(phase, kind):
    """Units ranked by the sum of their confirmed totals of one kind over the phase's years; the years without
    confirmed scores named. Ties: the latest confirmed scheme's rules (years on time, deductions summed, item
    points summed position by position, the unit's order). Three queries."""
    schemes = list(
        ScoringScheme.objects.filter(
            year__campaign_id=phase.campaign_id,
            year__year__gte=phase.start_year,
            year__year__lte=phase.end_year,
            kind=kind,
            status=ScoringScheme.Status.CONFIRMED,
        )
        .select_related("year")
        .order_by("year__year")
    )
    years = [scheme.year.year for scheme in schemes]
    missing = [year for year in range(phase.start_year, phase.end_year + 1) if year not in years]
    rules = schemes[-1].tie_break if schemes else []
    by_unit = {}
    if schemes:
        year_of = {scheme.pk: scheme.year.year for scheme in schemes}
        items = _item_points({"score__scheme__in": schemes}) if TieBreak.HIGHER_FIRST_ITEM in rules else {}
        scores = (
            UnitScore.objects.filter(scheme__in=schemes)
            .order_by("scheme__year__year")
            .values_list(
                "pk", "scheme_id", "unit_id", "unit_name", "unit__sort_order", "total", "on_time", "deductions"
            )
        )
        for pk, scheme_id, unit_id, unit_name, sort_order, total, on_time, deductions in scores:
            entry = by_unit.get(unit_id)
            if entry is None:
                entry = by_unit[unit_id] = Ranked(
                    unit_id=unit_id,
                    unit_name=unit_name,
                    sort_order=sort_order,
                    total=Decimal(0),
                    on_time=0,
                    deductions=Decimal(0),
                )
            entry.unit_name = unit_name  # as it stood in the latest year
            entry.total += total
            entry.on_time += int(on_time)
            entry.deductions += deductions
            entry.years[year_of[scheme_id]] = total
            summed = list(entry.items)
            for position, points in enumerate(items.get(pk, ())):
                if position < len(summed):
                    summed[position] += points
                else:
                    summed.append(points)
            entry.items = tuple(summed)
    rows = rank(list(by_unit.values()), rules)
    for row in rows:
        row.year_totals = [(year, row.years.get(year)) for year in years]
    return PhaseRanking(phase, kind, schemes, years, missing, rows)


def place_of(rows, unit_id):
    return next((row for row in rows if row.unit_id == unit_id), None)


# --- One unit's score ----------------------------------------------------------------------------------------


@dataclass
class LineView:
    line: ScoreLine
    maximum: Decimal | None
    basis: str
    note: str
    office_counted: bool = False


def _number(value):
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return text[:-3] if text.endswith(",00") else text


def score_lines(score):
    """The score's lines with what each rests on ("Mức tự đánh giá: …", "Kết quả 90% / chỉ tiêu đăng ký 100%")."""
    scheme = score.scheme
    lines = list(
        score.lines.select_related("item__indicator", "item__criterion__group", "adjustment", "scored_by").order_by(
            "item__sort_order", "adjustment__sort_order", "pk"
        )
    )
    lines.sort(key=lambda line: (line.item_id is None, (line.item or line.adjustment).sort_order, line.pk))
    facts = YearFacts(scheme, unit=score.unit)
    report = facts.reports.get(score.unit_id)
    views = []
    for line in lines:
        if line.item_id:
            views.append(LineView(line, line.item.max_points, line.item.get_basis_display(), _item_note(line, facts)))
        else:
            adjustment = line.adjustment
            limit = f" (tính tối đa {adjustment.max_occurrences} lần)" if adjustment.max_occurrences else ""
            views.append(
                LineView(
                    line,
                    None,
                    f"{adjustment.get_kind_display()}: {_number(adjustment.points)} điểm mỗi lần{limit}",
                    f"Số lần: {line.occurrences}",
                    office_counted=adjustment.trigger in ("discipline", "office"),
                )
            )
    return views, report


def _item_note(line, facts):
    item = line.item
    unit_id = line.score.unit_id
    report = facts.reports.get(unit_id)
    if item.basis == Basis.TIMELINESS:
        if report is None:
            return "Chưa nộp báo cáo năm."
        return "Nộp muộn." if report.is_late else "Nộp đúng hạn."
    if item.basis == Basis.OFFICE:
        return "Văn phòng chấm."
    if report is None:
        return "Chưa nộp báo cáo năm."
    criterion_id = item.indicator.criterion_id if item.indicator_id else item.criterion_id
    result = facts.results.get((unit_id, criterion_id))
    if result is None or result.is_not_applicable:
        return "Không áp dụng với đơn vị: tính điểm tối đa."
    if item.basis == Basis.SELF_ASSESSMENT:
        return f"Mức tự đánh giá: {result.assessment.label}." if result.assessment else "Chưa tự đánh giá."
    indicator = item.indicator
    value = indicator.compute(result.quantities or {})
    previous_quantities = facts.previous.get((unit_id, criterion_id))
    previous_value = indicator.compute(previous_quantities) if previous_quantities else None
    target, source = indicator_target(item, facts.registered.get((unit_id, indicator.pk)), previous_value)
    unit = indicator.result_unit
    shown = f"Kết quả {_number(value)}{unit}" if value is not None else "Chưa có số liệu"
    if source == "registered":
        return f"{shown} / chỉ tiêu đăng ký {_number(target)}{unit}."
    if source == "plan":
        return f"{shown} / chỉ tiêu của Kế hoạch {_number(target)}{unit} (đơn vị không đăng ký chỉ tiêu)."
    if source == "previous_year":
        return f"{shown} / kết quả năm trước {_number(target)}{unit} (đơn vị không đăng ký chỉ tiêu)."
    return f"{shown}; không có chỉ tiêu để so sánh."


HISTORY_LABELS = {
    "create": "Lập bảng điểm",
    "edit": "Sửa bảng điểm",
    "compute": "Tính điểm",
    "office_score": "Văn phòng chấm điểm",
    "publish": "Công bố điểm tạm tính",
    "explain": "Đơn vị giải trình",
    "review": "Hội đồng xem xét",
    "confirm": "Lãnh đạo xác nhận",
}


def scheme_history(scheme, limit=50):
    records = list(scheme.transitions.select_related("actor").order_by("-at", "-pk")[:limit])
    for record in records:
        record.label = HISTORY_LABELS.get(record.action, record.action)
    return records


def schemes_of(year):
    return list(ScoringScheme.objects.filter(year=year).order_by("kind"))


def scheme_items(scheme):
    return (
        list(scheme.items.select_related("criterion__group", "indicator")),
        list(scheme.adjustments.all()),
    )


# --- The annual consolidated report's section ------------------------------------------------------------------


def consolidated_ranking(period):
    """The year's confirmed rankings, frozen in an annual consolidated report's snapshot; None for another period
    or a year without confirmed scores. Each kind apart: {"year", "schemes": [{"kind", "name", "confirmed_on",
    "tie_break", "rows": [[place, unit, total, tie rule]]}]}."""
    if period.kind != "annual":
        return None
    schemes = list(
        ScoringScheme.objects.filter(
            year__campaign_id=period.campaign_id, year__year=period.year, status=ScoringScheme.Status.CONFIRMED
        )
        .select_related("year")
        .order_by("kind")
    )
    if not schemes:
        return None
    return {
        "year": period.year,
        "schemes": [
            {
                "kind": scheme.kind,
                "name": scheme.name,
                "confirmed_on": scheme.confirmed_at.date().isoformat() if scheme.confirmed_at else "",
                "tie_break": scheme.tie_break_labels(),
                "rows": [[row.place, row.unit_name, str(row.total), row.tie_rule] for row in scheme_ranking(scheme)],
            }
            for scheme in schemes
        ],
    }
