"""Scoring: the totals of a scheme that exercises every rule, worked out by hand (never with the production code);
the office's points only with a reason; publication, explanation, the council's review, confirmation and the lock.

The world (tests/emulation/scoring_world.py), the hand-worked lines:

Own unit (PQLKH) — accepted registration: disbursement 80%, recurrent share 40%:
  1 Quy hoạch (assessment, "Hoàn thành tốt")                       20.00
  2 Chuyển đổi số (assessment, "Hoàn thành")                        7.00
  3 Giải ngân proportional: 700/1000 = 70% of 80% → 30 × 70 / 80   26.25
  4 Chi thường xuyên, lower is better: 45% vs 40% → 10 × 40 / 45    8.89 (8.888…)
  5 Giải ngân all-or-nothing: 70% < 80%                              0.00
  6 Timeliness: annual report on time                               10.00
  7 Office item                                                      0.00
  late reports: half-year and phase review = 2, counted at most 1 → −2.00
  returned: 3 × 1.5                                                 −4.50
  no registration: accepted → 0; discipline, office bonus: 0
  total 65.64, deductions 6.50

Other unit (PKT) — only a submitted (not accepted) registration, so the plan's and last year's targets:
  1 "Không áp dụng" → the item's maximum                           20.00
  2 "Chưa hoàn thành"                                               0.00
  3 120% of the plan's 100% → 36, capped                            30.00
  4 30% vs last year's 25% (50/200), lower: 10 × 25 / 30             8.33
  5 120% ≥ 100%                                                     10.00
  6 annual report late → late_points                                4.00
  late: 1 → −2.00; no accepted registration → −5.00
  total 65.33, deductions 7.00

Office's own unit (HCTH): no report → 0 on every item, no registration −5.00: total −5.00.
"""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from emulation.models import SchemeAdjustment, SchemeItem, ScoreLine, ScoringScheme, UnitScore
from emulation.services import scoring
from notifications.models import Notification
from tests.emulation.scoring_world import build
from tests.shared_data import built_once
from units.models import User
from workflow.errors import InvalidTransition, NotAllowed, Refused


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    def build_and_compute():
        personas, ids = build()
        scheme = ScoringScheme.objects.get(pk=ids["scheme"])
        scoring.scheme_compute(scheme=scheme, actor=personas["reviewer"])
        return personas, ids

    with built_once(django_db_blocker, build_and_compute) as built:
        yield built


@pytest.fixture
def people(world, db):
    personas, _ = world
    return {name: User.objects.get(pk=user.pk) for name, user in personas.items()}


@pytest.fixture
def scheme(world, db):
    return ScoringScheme.objects.select_related("year").get(pk=world[1]["scheme"])


def score_of(scheme, unit_id):
    return UnitScore.objects.get(scheme=scheme, unit_id=unit_id)


def points(score):
    return {line.label: line.points for line in score.lines.select_related("item", "adjustment")}


def line(score, label):
    return next(line for line in score.lines.select_related("item", "adjustment") if line.label == label)


# --- The compute -----------------------------------------------------------------------------------------------


def test_own_unit_lines_and_total_as_worked_out_by_hand(world, scheme):
    score = score_of(scheme, world[1]["own"])
    assert points(score) == {
        "Quy hoạch, cơ chế, chính sách": Decimal("20.00"),
        "Chuyển đổi số": Decimal("7.00"),
        "Giải ngân (theo tỷ lệ)": Decimal("26.25"),
        "Tỷ trọng chi thường xuyên (càng thấp càng tốt)": Decimal("8.89"),
        "Giải ngân đạt chỉ tiêu (đạt / không đạt)": Decimal("0.00"),
        "Nộp báo cáo năm đúng hạn": Decimal("10.00"),
        "Văn phòng đánh giá": Decimal("0.00"),
        "Nộp báo cáo muộn": Decimal("-2.00"),
        "Báo cáo bị trả lại": Decimal("-4.50"),
        "Không đăng ký thi đua": Decimal("0.00"),
        "Cá nhân bị kỷ luật": Decimal("0.00"),
        "Sáng kiến được công nhận": Decimal("0.00"),
    }
    assert line(score, "Nộp báo cáo muộn").occurrences == 2
    assert line(score, "Báo cáo bị trả lại").occurrences == 3
    assert score.total == Decimal("65.64")
    assert score.self_total == Decimal("65.64")
    assert score.deductions == Decimal("6.50")
    assert score.on_time is True


def test_other_unit_uses_the_plans_and_last_years_targets(world, scheme):
    score = score_of(scheme, world[1]["other"])
    assert points(score) == {
        "Quy hoạch, cơ chế, chính sách": Decimal("20.00"),
        "Chuyển đổi số": Decimal("0.00"),
        "Giải ngân (theo tỷ lệ)": Decimal("30.00"),
        "Tỷ trọng chi thường xuyên (càng thấp càng tốt)": Decimal("8.33"),
        "Giải ngân đạt chỉ tiêu (đạt / không đạt)": Decimal("10.00"),
        "Nộp báo cáo năm đúng hạn": Decimal("4.00"),
        "Văn phòng đánh giá": Decimal("0.00"),
        "Nộp báo cáo muộn": Decimal("-2.00"),
        "Báo cáo bị trả lại": Decimal("0.00"),
        "Không đăng ký thi đua": Decimal("-5.00"),
        "Cá nhân bị kỷ luật": Decimal("0.00"),
        "Sáng kiến được công nhận": Decimal("0.00"),
    }
    assert score.total == Decimal("65.33")
    assert score.deductions == Decimal("7.00")
    assert score.on_time is False


def test_a_unit_without_a_report_scores_nothing_but_its_deductions(world, scheme):
    score = score_of(scheme, world[1]["office"])
    assert score.total == Decimal("-5.00")
    assert score.on_time is False


def test_the_lines_say_what_they_rest_on(world, scheme):
    # Imported here: the page's reads, not the compute under test.
    from emulation.selectors.scoring import score_lines

    views, report = score_lines(score_of(scheme, world[1]["other"]))
    notes = {view.line.label: view.note for view in views}
    assert report is not None
    assert notes["Quy hoạch, cơ chế, chính sách"] == "Không áp dụng với đơn vị: tính điểm tối đa."
    assert "chỉ tiêu của Kế hoạch 100%" in notes["Giải ngân (theo tỷ lệ)"]
    assert "kết quả năm trước 25%" in notes["Tỷ trọng chi thường xuyên (càng thấp càng tốt)"]
    assert notes["Nộp báo cáo năm đúng hạn"] == "Nộp muộn."
    own_views, _ = score_lines(score_of(scheme, world[1]["own"]))
    assert "chỉ tiêu đăng ký 80%" in {view.line.label: view.note for view in own_views}["Giải ngân (theo tỷ lệ)"]


# --- The office's points -----------------------------------------------------------------------------------------


def _entries(score, **by_label):
    return {str(line(score, label).pk): typed for label, typed in by_label.items()}


def test_office_points_with_reasons_and_counts_make_the_total(world, scheme, people):
    score = score_of(scheme, world[1]["own"])
    scoring.score_office(
        score=score,
        actor=people["reviewer"],
        entries={
            **_entries(score, **{"Giải ngân (theo tỷ lệ)": {"points": "28", "reason": "Số liệu giải ngân bổ sung."}}),
            **_entries(score, **{"Văn phòng đánh giá": {"points": "8", "reason": "Tham mưu tốt."}}),
            **_entries(
                score, **{"Cá nhân bị kỷ luật": {"points": "", "occurrences": "2", "reason": "QĐ kỷ luật 12, 13."}}
            ),
            **_entries(
                score, **{"Sáng kiến được công nhận": {"points": "", "occurrences": "3", "reason": "3 sáng kiến."}}
            ),
        },
    )
    score.refresh_from_db()
    # 65.64 − 26.25 + 28 + 8 − 3 (2 cases, at most 1) + 5 (3 initiatives, at most 2)
    assert score.total == Decimal("77.39")
    assert score.self_total == Decimal("67.64")
    assert score.deductions == Decimal("9.50")
    assert line(score, "Giải ngân (theo tỷ lệ)").self_points == Decimal("26.25")
    # Computing again keeps the office's points, reasons and counts.
    scoring.scheme_compute(scheme=scheme, actor=people["reviewer"])
    score.refresh_from_db()
    assert score.total == Decimal("77.39")
    assert line(score, "Văn phòng đánh giá").reason == "Tham mưu tốt."


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"points": "21", "reason": "Lý do."}, "points", "Điểm không được vượt quá điểm tối đa của mục (20,00)."),
        ({"points": "-1", "reason": "Lý do."}, "points", "Điểm của mục không được âm."),
        ({"points": "18", "reason": "  "}, "reason", "Vui lòng nêu lý do khi Văn phòng chấm khác điểm tự chấm."),
        ({"points": "mười", "reason": "Lý do."}, "points", "Vui lòng nhập một số, ví dụ 8,5."),
    ],
)
def test_office_points_refused_change_nothing(world, scheme, people, typed, field, message):
    score = score_of(scheme, world[1]["own"])
    target = line(score, "Quy hoạch, cơ chế, chính sách")
    good = _entries(score, **{"Văn phòng đánh giá": {"points": "8", "reason": "Tham mưu tốt."}})
    with pytest.raises(scoring.ScoreInvalid) as refused:
        scoring.score_office(score=score, actor=people["reviewer"], entries={**good, str(target.pk): typed})
    assert refused.value.errors == {target.pk: {field: message}}
    assert not ScoreLine.objects.filter(score=score, office_points__isnull=False).exists()
    assert UnitScore.objects.get(pk=score.pk).total == Decimal("65.64")


def test_the_office_does_not_score_its_own_unit_leadership_does(world, scheme, people):
    score = score_of(scheme, world[1]["office"])
    entries = _entries(score, **{"Văn phòng đánh giá": {"points": "9", "reason": "Hoàn thành tốt."}})
    with pytest.raises(NotAllowed):
        scoring.score_office(score=score, actor=people["reviewer"], entries=entries)
    scoring.score_office(score=score, actor=people["leader"], entries=entries)
    assert UnitScore.objects.get(pk=score.pk).total == Decimal("4.00")


def test_a_deduction_scored_by_the_office_stays_within_its_reach(world, scheme, people):
    score = score_of(scheme, world[1]["own"])
    late = line(score, "Nộp báo cáo muộn")
    with pytest.raises(scoring.ScoreInvalid) as refused:
        scoring.score_office(
            score=score, actor=people["reviewer"], entries={str(late.pk): {"points": "-3", "reason": "Lý do."}}
        )
    assert refused.value.errors[late.pk]["points"] == "Điểm không được thấp hơn -2,00."


# --- Schemes -----------------------------------------------------------------------------------------------------


def test_copying_last_years_scheme_copies_its_rows_of_the_same_kind_only(world, scheme, people):
    # Imported here: a year of its own for the copy.
    from emulation.models import EmulationYear

    next_year = EmulationYear.objects.create(campaign=scheme.year.campaign, year=2026, created_by=people["reviewer"])
    copy = scoring.scheme_create(
        year=next_year, kind="annual", name="Bảng điểm 2026", actor=people["reviewer"], copy_from=scheme
    )
    assert copy.status == "draft"
    assert [item.label for item in copy.items.all()] == [item.label for item in scheme.items.all()]
    assert copy.adjustments.count() == 5
    assert copy.tie_break == ["on_time", "unit_order"]
    with pytest.raises(Refused, match="cùng loại"):
        scoring.scheme_create(
            year=next_year, kind="campaign", name="Chuyên đề 2026", actor=people["reviewer"], copy_from=scheme
        )
    with pytest.raises(NotAllowed):
        scoring.scheme_create(year=next_year, kind="campaign", name="Chuyên đề", actor=people["leader"])


def test_scheme_rows_edited_while_draft(world, scheme, people):
    item = scheme.items.get(sort_order=7)
    scoring.scheme_save(
        scheme=scheme,
        actor=people["reviewer"],
        name="Bảng điểm thi đua năm 2025 (sửa)",
        tie_break=["fewer_deductions"],
        items=[(item, {}, True), (None, {"label": "Mục mới", "basis": "office", "max_points": Decimal(5)}, False)],
        adjustments=[],
    )
    scheme.refresh_from_db()
    assert scheme.tie_break == ["fewer_deductions"]
    assert not SchemeItem.objects.filter(pk=item.pk).exists()
    assert scheme.items.filter(label="Mục mới").exists()


# --- Publication, explanation, review, confirmation -------------------------------------------------------------


def test_the_whole_way_to_confirmed_scores_then_nothing_changes(world, scheme, people):
    today = timezone.localdate()
    own_score = score_of(scheme, world[1]["own"])
    with pytest.raises(InvalidTransition):
        scoring.score_explain(score=own_score, actor=people["head"], text="Chưa công bố.")
    scoring.scheme_publish(scheme=scheme, actor=people["reviewer"], explain_until=today + datetime.timedelta(days=5))
    assert Notification.objects.filter(recipient=people["head"], message__contains="điểm tạm tính").exists()
    with pytest.raises(NotAllowed):
        scoring.score_explain(score=own_score, actor=people["staff"], text="Cán bộ không giải trình.")
    scoring.score_explain(score=own_score, actor=people["head"], text="Đơn vị đã giải ngân thêm trong tháng 12.")
    assert Notification.objects.filter(recipient=people["reviewer"], message__contains="giải trình").exists()
    with pytest.raises(Refused, match="kết luận"):
        scoring.scheme_review(scheme=scheme, actor=people["reviewer"], session_on=today, minutes=" ")
    scoring.scheme_review(scheme=scheme, actor=people["reviewer"], session_on=today, minutes="Thống nhất điểm.")
    with pytest.raises(NotAllowed):
        scoring.scheme_confirm(scheme=scheme, actor=people["reviewer"])
    scoring.scheme_confirm(scheme=scheme, actor=people["leader"])
    scheme.refresh_from_db()
    assert (scheme.status, scheme.confirmed_by_id) == ("confirmed", people["leader"].pk)
    assert list(scheme.transitions.values_list("action", flat=True).filter(to_status__in=("published",)).distinct())

    entries = _entries(own_score, **{"Văn phòng đánh giá": {"points": "1", "reason": "Sau xác nhận."}})
    attempts = [
        lambda: scoring.scheme_compute(scheme=scheme, actor=people["reviewer"]),
        lambda: scoring.score_office(score=own_score, actor=people["reviewer"], entries=entries),
        lambda: scoring.score_explain(score=own_score, actor=people["head"], text="Sau xác nhận."),
        lambda: scoring.scheme_save(
            scheme=scheme, actor=people["reviewer"], name="x", tie_break=[], items=[], adjustments=[]
        ),
        lambda: scoring.scheme_confirm(scheme=scheme, actor=people["leader"]),
    ]
    for attempt in attempts:
        with pytest.raises(scoring.ScoresLocked, match="Điểm đã được xác nhận, không thể thay đổi."):
            attempt()
    assert UnitScore.objects.get(pk=own_score.pk).total == Decimal("65.64")


def test_an_explanation_after_the_deadline_is_refused(world, scheme, people):
    scoring.scheme_publish(scheme=scheme, actor=people["reviewer"], explain_until=timezone.localdate())
    ScoringScheme.objects.filter(pk=scheme.pk).update(explain_until=timezone.localdate() - datetime.timedelta(days=1))
    score = score_of(scheme, world[1]["own"])
    with pytest.raises(InvalidTransition, match="hết hạn giải trình"):
        scoring.score_explain(score=score, actor=people["head"], text="Muộn.")
    assert UnitScore.objects.get(pk=score.pk).explanation == ""


def test_publishing_needs_a_deadline_not_past(world, scheme, people):
    with pytest.raises(Refused) as refused:
        scoring.scheme_publish(
            scheme=scheme, actor=people["reviewer"], explain_until=timezone.localdate() - datetime.timedelta(days=1)
        )
    assert refused.value.field == "explain_until"
    scheme.refresh_from_db()
    assert scheme.status == "draft"


# --- The same through the browser -------------------------------------------------------------------------------


def _confirm(scheme, people):
    today = timezone.localdate()
    scoring.scheme_publish(scheme=scheme, actor=people["reviewer"], explain_until=today)
    scoring.scheme_review(scheme=scheme, actor=people["reviewer"], session_on=today, minutes="Thống nhất.")
    scoring.scheme_confirm(scheme=scheme, actor=people["leader"])


def test_views_refuse_every_change_once_confirmed(world, scheme, people, client):
    _confirm(scheme, people)
    score = score_of(scheme, world[1]["own"])
    office_line = line(score, "Văn phòng đánh giá")
    client.force_login(people["reviewer"])
    response = client.post(f"/thi-dua/cham-diem/{scheme.pk}/tinh-diem/")
    assert response.status_code == 400
    assert "Điểm đã được xác nhận, không thể thay đổi." in response.content.decode()
    response = client.post(
        f"/thi-dua/diem/{score.pk}/cham/",
        {f"line-{office_line.pk}-points": "9", f"line-{office_line.pk}-reason": "Sau xác nhận."},
    )
    assert response.status_code == 400
    assert "Điểm đã được xác nhận, không thể thay đổi." in response.content.decode()
    client.force_login(people["head"])
    response = client.post(f"/thi-dua/diem/{score.pk}/giai-trinh/", {"explanation": "Sau xác nhận."})
    assert response.status_code == 400
    assert "Điểm đã được xác nhận, không thể thay đổi." in response.content.decode()
    assert UnitScore.objects.get(pk=score.pk).total == Decimal("65.64")
    assert ScoreLine.objects.get(pk=office_line.pk).office_points is None


def test_the_office_page_keeps_what_was_typed_when_refused(world, scheme, people, client):
    score = score_of(scheme, world[1]["own"])
    target = line(score, "Quy hoạch, cơ chế, chính sách")
    client.force_login(people["reviewer"])
    response = client.post(
        f"/thi-dua/diem/{score.pk}/cham/",
        {f"line-{target.pk}-points": "25", f"line-{target.pk}-reason": "Đơn vị làm rất tốt."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Điểm không được vượt quá điểm tối đa của mục (20,00)." in page
    assert 'value="25"' in page
    assert "Đơn vị làm rất tốt." in page
    assert ScoreLine.objects.get(pk=target.pk).office_points is None


def test_the_office_edits_a_scheme_in_the_browser(world, scheme, people, client):
    client.force_login(people["reviewer"])
    page = client.get(f"/thi-dua/cham-diem/{scheme.pk}/sua/")
    assert page.status_code == 200
    items = list(scheme.items.all())
    adjustments = list(scheme.adjustments.all())
    data = {
        "name": "Bảng điểm năm 2025",
        "rule_1": "fewer_deductions",
        "rule_2": "unit_order",
        "item-TOTAL_FORMS": str(len(items) + 1),
        "item-INITIAL_FORMS": str(len(items)),
        "item-MIN_NUM_FORMS": "0",
        "item-MAX_NUM_FORMS": "1000",
        "adj-TOTAL_FORMS": str(len(adjustments)),
        "adj-INITIAL_FORMS": str(len(adjustments)),
        "adj-MIN_NUM_FORMS": "0",
        "adj-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        prefix = f"item-{index}-"
        data.update(
            {
                f"{prefix}id": str(item.pk),
                f"{prefix}sort_order": str(item.sort_order),
                f"{prefix}label": item.label,
                f"{prefix}basis": item.basis,
                f"{prefix}criterion": str(item.criterion_id or ""),
                f"{prefix}indicator": str(item.indicator_id or ""),
                f"{prefix}max_points": str(item.max_points),
                f"{prefix}late_points": str(item.late_points),
                **({f"{prefix}proportional": "on"} if item.proportional else {}),
                **{f"{prefix}level_{code}": value for code, value in item.level_points.items()},
            }
        )
    for index, adjustment in enumerate(adjustments):
        prefix = f"adj-{index}-"
        data.update(
            {
                f"{prefix}id": str(adjustment.pk),
                f"{prefix}sort_order": str(adjustment.sort_order),
                f"{prefix}kind": adjustment.kind,
                f"{prefix}trigger": adjustment.trigger,
                f"{prefix}label": adjustment.label,
                f"{prefix}points": str(adjustment.points),
                f"{prefix}max_occurrences": str(adjustment.max_occurrences or ""),
            }
        )
    new = f"item-{len(items)}-"
    bad = {
        **data,
        f"{new}label": "Mục thưởng",
        f"{new}basis": "office",
        f"{new}max_points": "5",
        f"{new}late_points": "6",
    }
    response = client.post(f"/thi-dua/cham-diem/{scheme.pk}/sua/", bad)
    assert response.status_code == 400
    assert "Điểm khi nộp muộn không được vượt quá điểm tối đa." in response.content.decode()
    assert "Mục thưởng" in response.content.decode()
    assert scheme.items.count() == len(items)
    good = {**bad, f"{new}late_points": "0", "item-0-DELETE": "on"}
    response = client.post(f"/thi-dua/cham-diem/{scheme.pk}/sua/", good)
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.tie_break == ["fewer_deductions", "unit_order"]
    assert scheme.items.filter(label="Mục thưởng", max_points=Decimal(5)).exists()
    assert not scheme.items.filter(pk=items[0].pk).exists()


def test_the_ranking_xlsx_holds_numbers(world, scheme, people, client):
    client.force_login(people["leader"])
    response = client.get("/thi-dua/2025/xep-hang/xlsx/?loai=annual")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[1] == "Phòng Quản lý khoa học"]
    place, _, self_total, total, deductions, on_time, _ = rows[0]
    assert (place, total, deductions, on_time) == (1, 65.64, 6.5, "Đúng hạn")
    assert isinstance(self_total, int | float)


def test_a_unit_sees_its_own_place_only(world, scheme, people, client):
    scoring.scheme_publish(scheme=scheme, actor=people["reviewer"], explain_until=timezone.localdate())
    client.force_login(people["staff"])
    page = client.get("/thi-dua/2025/xep-hang/?loai=annual").content.decode()
    assert "Phòng Quản lý khoa học" in page
    assert "Phòng Kế hoạch - Tài chính" not in page
    own = score_of(scheme, world[1]["own"])
    page = client.get(f"/thi-dua/diem/{own.pk}/").content.decode()
    assert 'data-testid="score-place">1<' in page
    assert client.get(f"/thi-dua/diem/{score_of(scheme, world[1]['other']).pk}/").status_code == 404


def test_no_scheme_of_the_campaign_kind_means_no_campaign_ranking(world, scheme, people, client):
    client.force_login(people["leader"])
    assert client.get("/thi-dua/2025/xep-hang/?loai=campaign").status_code == 404
    assert client.get("/thi-dua/2025/xep-hang/?loai=khac").status_code == 404
    assert SchemeAdjustment.objects.filter(scheme=scheme).count() == 5
