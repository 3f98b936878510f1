"""The award rules (AwardRule, data with their articles) evaluated on the nominee's record over the years.

`evaluate(nominations)` → {nomination id: [RuleResult]} for a whole round in a fixed number of queries (the facts
are loaded in bulk by awards/record_facts.py); `evaluate_one(nomination)` for one. Each result says passed, failed
or pending, reads in Vietnamese what was found, and names the record rows it used.

Decisions recorded here:
- Every number, window and count is read from the rule's `params`; `validate_params` refuses a rule that lacks one
  (the plan loader and the admin call it), so no figure has a default in code.
- A title of the window's last year that is being decided in the same round (a nomination of the same nominee for
  that form, not turned down) is pending, never held: the result is "pending" (a warning, "chờ kết quả"); the council
  and the decision's draft evaluate again and see the title once conferred.
- A form of a thematic campaign (award_type "thematic") never satisfies a condition on earlier titles: Nghị định
  152/2025/NĐ-CP, Điều 4 (results of thematic campaigns are not grounds for later awards).
- A collective's members of a year are the people whose membership covers that year; people with no membership
  recorded count in their current unit.
- A quota counts, per form and year across every round, the nominations sent and not turned down (this one
  included) and the titles conferred outside the portal, against the rounded share of the people who hold, or are
  being considered for, the other form that year.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse

from emulation.models import Classification

from ..models import (
    DISCIPLINE_SEVERITY,
    INITIATIVE_SCOPE_RANK,
    AwardForm,
    AwardRule,
    DisciplineKind,
    InitiativeScope,
)
from ..record_facts import CLASSIFICATION_ORDER, classification_at_least, load_facts, subject_of

PASSED, FAILED, PENDING = "passed", "failed", "pending"
STATUS_LABELS = {PASSED: "Đạt", FAILED: "Không đạt", PENDING: "Chờ kết quả"}
Kind = AwardRule.Kind

THEMATIC_REFUSAL = (
    "“{form}” là khen thưởng phong trào thi đua theo chuyên đề, không được tính làm căn cứ "
    "(Nghị định 152/2025/NĐ-CP, Điều 4)"
)


@dataclass(frozen=True)
class RuleResult:
    rule: AwardRule
    status: str
    message: str
    rows: tuple = ()

    @property
    def blocks(self):
        return self.status == FAILED and self.rule.blocking

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


# --- Parameters ------------------------------------------------------------------------------------------------

_WINDOW_ENDS = ("same_year", "previous_year")
_ROUNDINGS = ("floor", "round", "ceil")
_SCOPES = tuple(InitiativeScope.values)
_DISCIPLINES = tuple(DisciplineKind.values)

# kind → {param: allowed values, or a type}
PARAMS = {
    Kind.TITLE_STREAK: {"form": "form", "times": int, "window_end": _WINDOW_ENDS, "window_end_verified": bool},
    Kind.CLASSIFICATION: {"at_least": CLASSIFICATION_ORDER, "times": int, "window_end": _WINDOW_ENDS},
    Kind.INITIATIVE: {"scope_at_least": _SCOPES, "years": int},
    Kind.NO_DISCIPLINE: {"at_least": _DISCIPLINES},
    Kind.MEMBERS_SHARE: {"form": "form", "percent": "number", "strict": bool},
    Kind.MEMBERS_COUNT: {"form": "form", "at_least": int},
    Kind.MEMBERS_CLASSIFICATION: {"at_least": CLASSIFICATION_ORDER},
    Kind.MEMBERS_NO_DISCIPLINE: {"at_least": _DISCIPLINES},
    Kind.REGISTERED: {},
    Kind.QUOTA: {"of_form": "form", "percent": "number", "rounding": _ROUNDINGS},
}


def validate_params(kind, params, *, form_codes):
    """Vietnamese messages for what is missing or wrong in a rule's parameters (empty when they are right)."""
    if kind not in PARAMS:
        return [f"Loại điều kiện “{kind}” không có."]
    if not isinstance(params, dict):
        return ["Tham số phải là một bảng (JSON object)."]
    errors = []
    expected = PARAMS[kind]
    for name in sorted(set(params) - set(expected)):
        errors.append(f"Tham số “{name}” không dùng cho loại điều kiện này.")
    for name, allowed in expected.items():
        if name not in params:
            errors.append(f"Thiếu tham số “{name}”.")
            continue
        value = params[name]
        if allowed == "form":
            if value not in form_codes:
                errors.append(f"“{name}”: không có hình thức mã “{value}” trong danh mục.")
        elif allowed == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float, str)) or _decimal(value) is None:
                errors.append(f"“{name}” phải là một số.")
            elif not Decimal(0) <= _decimal(value) <= Decimal(100):
                errors.append(f"“{name}” phải từ 0 đến 100.")
        elif allowed is int:
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors.append(f"“{name}” phải là số nguyên dương.")
        elif allowed is bool:
            if not isinstance(value, bool):
                errors.append(f"“{name}” phải là true hoặc false.")
        elif value not in allowed:
            errors.append(f"“{name}” phải là một trong: {', '.join(allowed)}.")
    return errors


def _decimal(value):
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


# --- Readings in Vietnamese --------------------------------------------------------------------------------------


def _times(count):
    return f"{count:02d}"


def _years(years):
    return ", ".join(str(year) for year in years)


def _date(day):
    return day.strftime("%d/%m/%Y") if day else ""


def _window_end(params, year):
    return year - 1 if params["window_end"] == "previous_year" else year


def _form(facts, code):
    return facts.forms_by_code[code]


def _is_thematic(form):
    return form.award_type == AwardForm.AwardType.THEMATIC


def _percent(value):
    return f"{_decimal(value).normalize():f}".replace(".", ",") + "%"


def describe_params(rule, forms_by_code):
    """The rule's parameters read in Vietnamese (docs/award-rules.md)."""
    params = rule.params or {}

    def form_name(code):
        form = forms_by_code.get(code)
        return f"“{form}”" if form else f"“{code}”"

    end = {"same_year": "đến năm xét", "previous_year": "đến năm trước năm xét"}
    if rule.kind == Kind.TITLE_STREAK:
        if params["times"] == 1:
            year = {"same_year": "trong năm xét", "previous_year": "trong năm trước năm xét"}[params["window_end"]]
            text = f"đạt {form_name(params['form'])} {year}"
        else:
            text = f"{_times(params['times'])} lần liên tục {form_name(params['form'])}, {end[params['window_end']]}"
        if not params["window_end_verified"]:
            text += " (thời điểm kết thúc chưa đối chiếu văn bản gốc)"
        return text
    if rule.kind == Kind.CLASSIFICATION:
        level = Classification(params["at_least"]).label
        if params["times"] == 1:
            year = {"same_year": "trong năm xét", "previous_year": "trong năm trước năm xét"}[params["window_end"]]
            return f"xếp loại “{level}” trở lên {year}"
        return f"{_times(params['times'])} năm liên tục xếp loại “{level}” trở lên, {end[params['window_end']]}"
    if rule.kind == Kind.INITIATIVE:
        scope = InitiativeScope(params["scope_at_least"]).label.lower()
        years = _times(params["years"])
        within = "trong năm xét" if params["years"] == 1 else f"trong {years} năm đến năm xét"
        return f"sáng kiến, đề tài được công nhận phạm vi từ {scope} trở lên {within}"
    if rule.kind in (Kind.NO_DISCIPLINE, Kind.MEMBERS_NO_DISCIPLINE):
        who = "không thành viên nào" if rule.kind == Kind.MEMBERS_NO_DISCIPLINE else "không"
        kind = DisciplineKind(params["at_least"]).label.lower()
        return f"{who} bị kỷ luật từ {kind} trở lên trong năm xét"
    if rule.kind == Kind.MEMBERS_SHARE:
        compare = "trên" if params["strict"] else "ít nhất"
        return f"{compare} {_percent(params['percent'])} thành viên đạt {form_name(params['form'])} trong năm xét"
    if rule.kind == Kind.MEMBERS_COUNT:
        return f"ít nhất {_times(params['at_least'])} thành viên đạt {form_name(params['form'])} trong năm xét"
    if rule.kind == Kind.MEMBERS_CLASSIFICATION:
        level = Classification(params["at_least"]).label
        return f"mọi thành viên xếp loại “{level}” trở lên trong năm xét"
    if rule.kind == Kind.REGISTERED:
        return "có đăng ký thi đua danh hiệu này, được Văn phòng tiếp nhận, trong năm xét"
    if rule.kind == Kind.QUOTA:
        rounding = {"floor": "làm tròn xuống", "round": "làm tròn", "ceil": "làm tròn lên"}[params["rounding"]]
        return (
            f"không quá {_percent(params['percent'])} số người đạt {form_name(params['of_form'])} trong năm "
            f"của cùng cấp quyết định, mọi đợt xét ({rounding})"
        )
    return ""


# --- Record rows --------------------------------------------------------------------------------------------------


def _subject_url(subject):
    """The page of the person's or the unit's record, where the portal has one."""
    kind, pk = subject
    name = "awards:person_record" if kind == "person" else "awards:unit_record"
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _record_row(record, subject):
    return (f"{record.form_name} năm {record.year} — QĐ số {record.decision_number}", _subject_url(subject))


def _pending_row(nomination, form):
    return (f"Đề nghị “{form}” trong cùng đợt (chờ kết quả)", nomination.get_absolute_url())


# --- Evaluations ---------------------------------------------------------------------------------------------------


def _streak(rule, nomination, facts, held_in, pending_in, describe):
    """The years of the window, each held, pending (only the round's own year) or missing."""
    params = rule.params
    year = nomination.round.year
    end = _window_end(params, year)
    window = range(end - params["times"] + 1, end + 1)
    held, pending, missing, rows = [], [], [], []
    for each in window:
        found = held_in(each)
        if found:
            held.append(each)
            rows.extend(found)
            continue
        waiting = pending_in(each) if each == year else []
        if waiting:
            pending.append(each)
            rows.extend(waiting)
        else:
            missing.append(each)
    status = FAILED if missing else (PENDING if pending else PASSED)
    if params["times"] == 1:
        if status == PASSED:
            message = f"Đạt {describe} năm {end}"
        elif status == PENDING:
            message = f"{describe[0].upper()}{describe[1:]} năm {end}: chờ kết quả xét trong cùng đợt"
        else:
            message = f"Chưa đạt {describe} năm {end}"
        return RuleResult(rule, status, message, tuple(rows))
    parts = [f"Đạt {describe} năm {_years(held)}"] if held else [f"Chưa đạt {describe}"]
    if pending:
        parts.append(f"năm {_years(pending)} chờ kết quả xét trong cùng đợt")
    if missing:
        parts.append(f"năm {_years(missing)} không có")
    times = _times(params["times"])
    tail = f"đủ {times} lần liên tục đến năm {end}" if status == PASSED else f"cần {times} lần liên tục đến năm {end}"
    message = "; ".join(parts) + f" — {tail}"
    return RuleResult(rule, status, message, tuple(rows))


def _title_streak(rule, nomination, facts):
    form = _form(facts, rule.params["form"])
    if _is_thematic(form):
        return RuleResult(rule, FAILED, THEMATIC_REFUSAL.format(form=form))
    subject = subject_of(nomination)

    def held_in(year):
        return [_record_row(record, subject) for record in facts.records_of(subject, form, year)]

    def pending_in(year):
        found = facts.pending_of(nomination.round_id, subject, form, exclude_pk=nomination.pk)
        return [_pending_row(other, form) for other in found]

    return _streak(rule, nomination, facts, held_in, pending_in, f"“{form}”")


def _classification_row(found, year, subject):
    value, source, _ = found
    return (f"Năm {year}: {Classification(value).label} ({source})", _subject_url(subject))


def _classification(rule, nomination, facts):
    subject = subject_of(nomination)
    minimum = rule.params["at_least"]
    by_year = facts.classifications[subject]

    def held_in(year):
        found = by_year.get(year)
        if found and classification_at_least(found[0], minimum):
            return [_classification_row(found, year, subject)]
        return []

    describe = f"xếp loại “{Classification(minimum).label}” trở lên"
    return _streak(rule, nomination, facts, held_in, lambda year: [], describe)


def _initiative(rule, nomination, facts):
    subject = subject_of(nomination)
    params = rule.params
    year = nomination.round.year
    first = year - params["years"] + 1
    minimum = INITIATIVE_SCOPE_RANK[params["scope_at_least"]]
    scope = InitiativeScope(params["scope_at_least"]).label.lower()
    found = [item for item in facts.initiatives[subject] if first <= item.year <= year]
    fitting = [item for item in found if INITIATIVE_SCOPE_RANK[item.scope] >= minimum]
    rows = tuple(
        (
            f"{item.get_kind_display()} “{item.title}” ({item.get_scope_display().lower()}, {item.year})",
            _subject_url(subject),
        )
        for item in (fitting or found)
    )
    window = f"năm {year}" if first == year else f"từ năm {first} đến năm {year}"
    if fitting:
        item = fitting[0]
        return RuleResult(
            rule,
            PASSED,
            f"Có “{item.title}” ({item.get_scope_display().lower()}, năm {item.year}) — đạt phạm vi từ {scope} trở lên",
            rows,
        )
    if found:
        listed = "; ".join(f"“{item.title}” ({item.get_scope_display().lower()})" for item in found)
        return RuleResult(rule, FAILED, f"Có {listed} — cần phạm vi từ {scope} trở lên, {window}", rows)
    return RuleResult(
        rule, FAILED, f"Không có sáng kiến, đề tài được công nhận {window} — cần phạm vi từ {scope} trở lên"
    )


def _in_force(discipline, year, minimum):
    starts, ends = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return (
        DISCIPLINE_SEVERITY[discipline.kind] >= DISCIPLINE_SEVERITY[minimum]
        and discipline.start_on <= ends
        and (discipline.end_on is None or discipline.end_on >= starts)
    )


def _discipline_row(discipline, who=""):
    until = f" đến {_date(discipline.end_on)}" if discipline.end_on else ""
    number = f", QĐ số {discipline.decision_number}" if discipline.decision_number else ""
    prefix = f"{who}: " if who else ""
    return (
        f"{prefix}{discipline.get_kind_display()} từ {_date(discipline.start_on)}{until}{number}",
        _subject_url(("person", discipline.person_id)),
    )


def _no_discipline(rule, nomination, facts):
    year = nomination.round.year
    minimum = rule.params["at_least"]
    kind = DisciplineKind(minimum).label.lower()
    found = [item for item in facts.disciplines[subject_of(nomination)] if _in_force(item, year, minimum)]
    if found:
        return RuleResult(
            rule,
            FAILED,
            f"Bị kỷ luật trong năm {year}: " + "; ".join(_discipline_row(item)[0] for item in found),
            tuple(_discipline_row(item) for item in found),
        )
    return RuleResult(rule, PASSED, f"Không bị kỷ luật từ {kind} trở lên trong năm {year}")


def _members(nomination, facts):
    return facts.members[nomination.nominee_unit_id].get(nomination.round.year, [])


def _member_titles(rule, nomination, facts):
    """Members holding the form that year, those pending it in the same round, and the rows used."""
    form = _form(facts, rule.params["form"])
    year = nomination.round.year
    held, pending, rows = [], [], []
    for person in _members(nomination, facts):
        subject = ("person", person.pk)
        records = facts.records_of(subject, form, year)
        if records:
            held.append(person)
            rows.append((f"{person.full_name}: {records[0].form_name} năm {year}", _subject_url(subject)))
            continue
        waiting = facts.pending_of(nomination.round_id, subject, form)
        if waiting:
            pending.append(person)
            rows.append(
                (f"{person.full_name}: đề nghị “{form}” trong cùng đợt (chờ kết quả)", waiting[0].get_absolute_url())
            )
    return form, held, pending, tuple(rows)


def _members_share(rule, nomination, facts):
    params = rule.params
    form = _form(facts, params["form"])
    if _is_thematic(form):
        return RuleResult(rule, FAILED, THEMATIC_REFUSAL.format(form=form))
    form, held, pending, rows = _member_titles(rule, nomination, facts)
    total = len(_members(nomination, facts))
    percent = _decimal(params["percent"])
    compare = "trên" if params["strict"] else "ít nhất"
    need = f"cần {compare} {_percent(percent)}"

    def meets(count):
        if total == 0:
            return False
        share = Decimal(count) * 100
        return share > percent * total if params["strict"] else share >= percent * total

    if total == 0:
        return RuleResult(
            rule, FAILED, f"Không có thành viên nào của tập thể trong năm {nomination.round.year} — {need}"
        )
    reached = f"{len(held)}/{total} thành viên đạt “{form}” năm {nomination.round.year}"
    if pending:
        reached += f", {len(pending)} đang chờ kết quả trong cùng đợt"
    if meets(len(held)):
        return RuleResult(rule, PASSED, f"{reached} — {need}", rows)
    if meets(len(held) + len(pending)):
        return RuleResult(rule, PENDING, f"{reached} — {need}", rows)
    return RuleResult(rule, FAILED, f"{reached} — {need}", rows)


def _members_count(rule, nomination, facts):
    params = rule.params
    form = _form(facts, params["form"])
    if _is_thematic(form):
        return RuleResult(rule, FAILED, THEMATIC_REFUSAL.format(form=form))
    form, held, pending, rows = _member_titles(rule, nomination, facts)
    need = f"cần ít nhất {_times(params['at_least'])}"
    reached = f"{len(held)} thành viên đạt “{form}” năm {nomination.round.year}"
    if pending:
        reached += f", {len(pending)} đang chờ kết quả trong cùng đợt"
    if len(held) >= params["at_least"]:
        return RuleResult(rule, PASSED, f"{reached} — {need}", rows)
    if len(held) + len(pending) >= params["at_least"]:
        return RuleResult(rule, PENDING, f"{reached} — {need}", rows)
    return RuleResult(rule, FAILED, f"{reached} — {need}", rows)


def _members_class(rule, nomination, facts):
    year = nomination.round.year
    minimum = rule.params["at_least"]
    members = _members(nomination, facts)
    need = f"mọi thành viên cần mức “{Classification(minimum).label}” trở lên"
    if not members:
        return RuleResult(rule, FAILED, f"Không có thành viên nào của tập thể trong năm {year} — {need}")
    below, missing, rows = [], [], []
    for person in members:
        subject = ("person", person.pk)
        found = facts.classifications[subject].get(year)
        if found is None:
            missing.append(person.full_name)
            continue
        if not classification_at_least(found[0], minimum):
            below.append(person.full_name)
            rows.append((f"{person.full_name}: {_classification_row(found, year, subject)[0]}", _subject_url(subject)))
    if not below and not missing:
        return RuleResult(rule, PASSED, f"{len(members)}/{len(members)} thành viên đạt năm {year} — {need}")
    parts = []
    if below:
        parts.append(f"dưới mức: {', '.join(below)}")
    if missing:
        parts.append(f"chưa có xếp loại năm {year}: {', '.join(missing)}")
    text = "; ".join(parts)
    return RuleResult(rule, FAILED, f"{text[0].upper()}{text[1:]} — {need}", tuple(rows))


def _members_discipline(rule, nomination, facts):
    year = nomination.round.year
    minimum = rule.params["at_least"]
    kind = DisciplineKind(minimum).label.lower()
    rows = []
    for person in _members(nomination, facts):
        for item in facts.disciplines[("person", person.pk)]:
            if _in_force(item, year, minimum):
                rows.append(_discipline_row(item, person.full_name))
    if rows:
        return RuleResult(
            rule,
            FAILED,
            f"Có thành viên bị kỷ luật trong năm {year}: " + "; ".join(row[0] for row in rows),
            tuple(rows),
        )
    return RuleResult(rule, PASSED, f"Không thành viên nào bị kỷ luật từ {kind} trở lên trong năm {year}")


def _registered(rule, nomination, facts):
    form = nomination.form
    year = nomination.round.year
    if not form.is_annual_title:
        return RuleResult(rule, PASSED, f"Không áp dụng: “{form}” không phải danh hiệu thi đua")
    subject = subject_of(nomination)
    title = facts.registrations[(subject, year)].get(form.code)
    if title is None:
        return RuleResult(rule, FAILED, f"Không có đăng ký thi đua “{form}” năm {year} được Văn phòng tiếp nhận")
    return RuleResult(
        rule,
        PASSED,
        f"Đã đăng ký “{title.title_name}” năm {year}",
        ((f"Đăng ký thi đua năm {year}: {title.title_name}", ""),),
    )


_ROUNDING = {"floor": ROUND_FLOOR, "round": ROUND_HALF_UP, "ceil": ROUND_CEILING}


def quota_limit(percent, recognised, rounding):
    """The rounded share: `percent` of `recognised` people, by the rule's rounding."""
    return int((_decimal(percent) * recognised / 100).quantize(Decimal(1), rounding=_ROUNDING[rounding]))


def _quota(rule, nomination, facts):
    params = rule.params
    year = nomination.round.year
    form = nomination.form
    of_form = _form(facts, params["of_form"])
    key = (form.pk, year)
    others = [other for other in facts.quota_taken[key] if other.pk != nomination.pk]
    taken = len(others) + 1 + len(facts.quota_conferred[key])
    recognised = len(facts.recognised[(of_form.pk, year)])
    limit = quota_limit(params["percent"], recognised, params["rounding"])
    reading = (
        f"{taken}/{limit} suất “{form}” năm {year} (tính cả đề nghị này): {_percent(params['percent'])} của "
        f"{recognised} người đạt hoặc đang xét “{of_form}”"
    )
    rows = _quota_rows(form, others)
    if taken <= limit:
        return RuleResult(rule, PASSED, reading, rows)
    return RuleResult(rule, FAILED, f"{reading} — vượt tỷ lệ", rows)


QUOTA_ROWS_SHOWN = 10


def _quota_rows(form, others):
    """The other nominations taking a place, the first QUOTA_ROWS_SHOWN linked and the rest counted: a round of a
    thousand nominations must not list (and link) every other one on every one of them."""
    rows = [
        (f"Đề nghị “{form}”: {other.nominee_name}", other.get_absolute_url()) for other in others[:QUOTA_ROWS_SHOWN]
    ]
    if len(others) > QUOTA_ROWS_SHOWN:
        rows.append((f"và {len(others) - QUOTA_ROWS_SHOWN} đề nghị khác", ""))
    return tuple(rows)


EVALUATORS = {
    Kind.TITLE_STREAK: _title_streak,
    Kind.CLASSIFICATION: _classification,
    Kind.INITIATIVE: _initiative,
    Kind.NO_DISCIPLINE: _no_discipline,
    Kind.MEMBERS_SHARE: _members_share,
    Kind.MEMBERS_COUNT: _members_count,
    Kind.MEMBERS_CLASSIFICATION: _members_class,
    Kind.MEMBERS_NO_DISCIPLINE: _members_discipline,
    Kind.REGISTERED: _registered,
    Kind.QUOTA: _quota,
}


# --- Entry points ------------------------------------------------------------------------------------------------


def active_rules(form_ids):
    """The active rules of the forms, {form id: [AwardRule]} in their order."""
    by_form = {}
    for rule in AwardRule.objects.filter(form_id__in=form_ids, is_active=True).order_by("sort_order", "pk"):
        by_form.setdefault(rule.form_id, []).append(rule)
    return by_form


def evaluate(nominations):
    """{nomination id: [RuleResult]} for every nomination, in a fixed number of queries."""
    nominations = list(nominations)
    prefetch_related_objects(nominations, "round", "form")
    rules_by_form = active_rules({nomination.form_id for nomination in nominations})
    facts = load_facts(nominations, rules_by_form)
    return {
        nomination.pk: [
            EVALUATORS[rule.kind](rule, nomination, facts) for rule in rules_by_form.get(nomination.form_id, [])
        ]
        for nomination in nominations
    }


def evaluate_one(nomination):
    return evaluate([nomination])[nomination.pk]
