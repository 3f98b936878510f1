"""The register's feed to the consolidated report (section on awards) and the public notice selector."""

import datetime

import pytest
from django.utils import timezone

from awards.models import AwardDocument, AwardRecord, Nomination
from awards.selectors import awards_for_period, nominations_under_notice, nominee_under_notice
from campaign.models import ReportingPeriod
from documents.models import OutgoingDocument
from tests.awards.conftest import make_nomination
from tests.factories import PersonFactory

DIRECTOR = "Giám đốc Sở Khoa học và Công nghệ"


def record(name, form, *, kind="individual", number="05/QĐ-SKHCN", day=datetime.date(2025, 12, 20), year=2025):
    return AwardRecord.objects.create(
        year=year,
        form=form,
        form_name=form.display_name if form else "Bằng khen của Hội Nông dân",
        recipient_kind=kind,
        recipient_name=name,
        unit_name="Phòng Quản lý khoa học",
        decision_number=number,
        decision_date=day,
        conferring_authority=form.conferring_authority if form else "Hội Nông dân tỉnh",
        source=AwardRecord.Source.DEPARTMENT,
    )


@pytest.fixture
def year_2025(plan):
    return ReportingPeriod.objects.get(code="2025-FY")


@pytest.fixture
def decision_2025(forms):
    for number in range(12):
        record(f"Cá Nhân {number}", forms["lao-dong-tien-tien"])
    for number in range(3):
        record(f"Tập Thể {number}", forms["tap-the-lao-dong-tien-tien"], kind="collective")


def test_a_decision_becomes_one_paragraph_with_counts_by_form_and_kind(year_2025, decision_2025):
    assert awards_for_period(year_2025) == [
        f"{DIRECTOR} tặng danh hiệu “Lao động tiên tiến” cho 12 cá nhân; danh hiệu “Tập thể lao động tiên tiến” "
        "cho 3 tập thể (Quyết định số 05/QĐ-SKHCN ngày 20/12/2025)."
    ]


def test_a_form_for_both_kinds_counts_collectives_then_individuals(year_2025, forms):
    record("Phòng A", forms["giay-khen-giam-doc-so"], kind="collective", number="09/QĐ-SKHCN")
    record("Người B", forms["giay-khen-giam-doc-so"], number="09/QĐ-SKHCN")
    record("Người C", forms["giay-khen-giam-doc-so"], number="09/QĐ-SKHCN")

    assert awards_for_period(year_2025) == [
        f"{DIRECTOR} tặng Giấy khen của Giám đốc Sở Khoa học và Công nghệ cho 1 tập thể và 2 cá nhân "
        "(Quyết định số 09/QĐ-SKHCN ngày 20/12/2025)."
    ]


def test_only_decisions_of_the_period_count(plan, decision_2025, forms):
    record("Năm Sau", forms["lao-dong-tien-tien"], number="01/QĐ-SKHCN", day=datetime.date(2026, 1, 5), year=2026)
    first_half = ReportingPeriod.objects.get(code="2025-H1")
    next_year = ReportingPeriod.objects.get(code="2026-FY")

    assert awards_for_period(first_half) == []
    assert awards_for_period(next_year) == [
        f"{DIRECTOR} tặng danh hiệu “Lao động tiên tiến” cho 1 cá nhân (Quyết định số 01/QĐ-SKHCN ngày 05/01/2026)."
    ]


def test_undated_history_counts_in_its_year_but_not_in_a_half_year(plan, forms):
    record("Không Rõ Ngày", None, number="12/QĐ-HND", day=None, year=2025)

    assert awards_for_period(ReportingPeriod.objects.get(code="2025-FY")) == [
        "Hội Nông dân tỉnh tặng Bằng khen của Hội Nông dân cho 1 cá nhân (Quyết định số 12/QĐ-HND)."
    ]
    assert awards_for_period(ReportingPeriod.objects.get(code="2025-H1")) == []


def test_a_proposal_upward_says_how_many_were_conferred_and_how_many_wait(
    year_2025, annual_round, forms, own_unit, reviewer
):
    entry = OutgoingDocument.objects.create(
        year=2025,
        issuer_code="SKHCN",
        type_code="TTr",
        number=3,
        issued_on=datetime.date(2025, 11, 1),
        summary="Đề nghị tặng Bằng khen",
        source=OutgoingDocument.Source.PORTAL,
        recorded_by=reviewer,
    )
    proposal = AwardDocument.objects.create(
        kind=AwardDocument.Kind.PROPOSAL,
        round=annual_round,
        recipient="Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)",
        summary="Đề nghị tặng Bằng khen",
        register_entry=entry,
        created_by=reviewer,
    )
    form = forms["bang-khen-chu-tich-ubnd-tinh"]
    for number, status in enumerate(["conferred", "forwarded", "forwarded"]):
        person = PersonFactory(unit=own_unit, full_name=f"Người Đề Nghị {number}")
        nomination = make_nomination(annual_round, form, unit=own_unit, person=person, status=status)
        Nomination.objects.filter(pk=nomination.pk).update(proposal=proposal)
    collective = make_nomination(annual_round, form, unit=own_unit, status="forwarded")
    Nomination.objects.filter(pk=collective.pk).update(proposal=proposal)

    assert awards_for_period(year_2025) == [
        "Sở đã trình Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ) đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh "
        "cho 1 tập thể và 3 cá nhân (Tờ trình số 03/TTr-SKHCN ngày 01/11/2025); "
        "trong đó 1 tập thể, cá nhân đã được khen thưởng, 3 đang chờ xét."
    ]


def test_a_proposal_all_of_whose_nominees_wait_says_so(year_2025, annual_round, forms, own_unit, reviewer):
    entry = OutgoingDocument.objects.create(
        year=2025,
        issuer_code="SKHCN",
        type_code="TTr",
        number=4,
        issued_on=datetime.date(2025, 11, 2),
        summary="Đề nghị tặng danh hiệu",
        source=OutgoingDocument.Source.PORTAL,
        recorded_by=reviewer,
    )
    proposal = AwardDocument.objects.create(
        kind=AwardDocument.Kind.PROPOSAL,
        round=annual_round,
        recipient="Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)",
        summary="Đề nghị tặng danh hiệu",
        register_entry=entry,
        created_by=reviewer,
    )
    nomination = make_nomination(annual_round, forms["tap-the-lao-dong-xuat-sac"], unit=own_unit, status="forwarded")
    Nomination.objects.filter(pk=nomination.pk).update(proposal=proposal)

    assert awards_for_period(year_2025) == [
        "Sở đã trình Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ) đề nghị tặng danh hiệu "
        "“Tập thể lao động xuất sắc” cho 1 tập thể (Tờ trình số 04/TTr-SKHCN ngày 02/11/2025); tất cả đang chờ xét."
    ]


def test_a_decision_without_number_or_date_prints_no_empty_label(year_2025, forms):
    record("Không Rõ Số", forms["lao-dong-tien-tien"], number="", day=None)

    assert awards_for_period(year_2025) == [f"{DIRECTOR} tặng danh hiệu “Lao động tiên tiến” cho 1 cá nhân."]


@pytest.mark.parametrize("count", [2, 10])
def test_awards_for_period_runs_two_queries_whatever_the_numbers(year_2025, forms, count, django_assert_num_queries):
    for number in range(count):
        record(f"Người {number}", forms["lao-dong-tien-tien"], number=f"{number + 1:02d}/QĐ-SKHCN")

    with django_assert_num_queries(2):
        paragraphs = awards_for_period(year_2025)

    assert len(paragraphs) == count


def test_notice_selector_respects_the_window_and_the_states(annual_round, forms, own_unit):
    today = timezone.localdate()
    annual_round.notice_starts_on = today
    annual_round.notice_ends_on = today + datetime.timedelta(days=3)
    annual_round.save()
    shown = make_nomination(
        annual_round,
        forms["lao-dong-tien-tien"],
        unit=own_unit,
        person=PersonFactory(unit=own_unit),
        status="recommended",
    )
    make_nomination(
        annual_round,
        forms["lao-dong-tien-tien"],
        unit=own_unit,
        person=PersonFactory(unit=own_unit),
        status="on_agenda",
    )

    assert [nominee["pk"] for nominee in nominations_under_notice(today)[0]["nominees"]] == [shown.pk]
    assert nominations_under_notice(today - datetime.timedelta(days=1)) == []
    assert nominations_under_notice(today + datetime.timedelta(days=4)) == []
    assert nominee_under_notice(shown.pk, today)["name"] == shown.nominee_name
    assert nominee_under_notice(shown.pk, today + datetime.timedelta(days=4)) is None
