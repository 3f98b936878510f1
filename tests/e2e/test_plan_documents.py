"""The plan's identity and the legal bases in Chromium: the office enters the plan's number on the page of cited
documents (a bad date keeps what was typed); the consolidated report then cites the plan in full. The office
classifies a unit's proposal written before proposals had an addressee, and the Director reads the internal
summary of the proposals made to the Department."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from campaign.models import CitedDocument, ReportingPeriod
from reports.models import ConsolidatedReport, ReportSection
from reports.services import consolidation
from tests.e2e.conftest import at_home
from units.models import User

PERIOD_CODE = "2025-FY"  # the demo's units all have accepted reports for it


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def test_the_office_enters_the_plan_s_number_and_a_bad_date_keeps_what_was_typed(person, demo):
    office = at_home(person("vanphong"), demo)
    office.get_by_role("link", name="Văn bản căn cứ").click()
    expect(office.get_by_role("heading", name="Văn bản căn cứ")).to_be_visible()
    plan = office.get_by_test_id("cited-plan")
    expect(plan.get_by_test_id("gaps")).to_contain_text("Chưa có số, ký hiệu.")

    plan.get_by_text("Sửa").click()
    plan.get_by_label("Số, ký hiệu").fill("125/KH-SKHCN")
    plan.get_by_label("Ngày ban hành").fill("31/02/2023")
    plan.get_by_role("button", name="Lưu").click()
    _alert(office, "Ngày không hợp lệ")
    plan = office.get_by_test_id("cited-plan")
    expect(plan.get_by_label("Số, ký hiệu")).to_have_value("125/KH-SKHCN")
    expect(plan.get_by_label("Ngày ban hành")).to_have_value("31/02/2023")
    assert CitedDocument.objects.get(role=CitedDocument.Role.PLAN).number == ""

    plan.get_by_label("Ngày ban hành").fill("03/04/2023")
    plan.get_by_role("button", name="Lưu").click()
    _alert(office, "Đã cập nhật: Kế hoạch của Sở tổ chức thực hiện Phong trào.")
    expect(office.get_by_test_id("cited-plan").get_by_test_id("citation")).to_have_text(
        re.compile(r"^Kế hoạch số 125/KH-SKHCN ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ")
    )

    director = at_home(person("giamdoc"), demo)
    director.goto(demo.url + reverse("campaign:cited_documents"))
    expect(director.get_by_test_id("cited-plan")).to_contain_text("Kế hoạch số 125/KH-SKHCN")
    expect(director.get_by_text("Sửa", exact=True)).to_have_count(0)


def test_the_office_classifies_an_old_proposal_and_the_director_reads_the_internal_summary(person, demo):
    period = ReportingPeriod.objects.get(code=PERIOD_CODE)
    section = ReportSection.objects.get(
        report__period=period, report__unit__code="QLKH", key=ReportSection.Key.RECOMMENDATIONS
    )
    section.items = [*section.items, {"text": "Đề nghị tăng cường tập huấn nghiệp vụ kế toán.", "to": ""}]
    section.save()
    reviewer = User.objects.get(username="vanphong")
    # No transaction wraps a browser test: the request's job runs as soon as it is committed (Celery inline).
    requested = consolidation.consolidation_request(period=period, actor=reviewer)
    report = ConsolidatedReport.objects.get(pk=requested.pk)
    assert report.status == ConsolidatedReport.Status.READY

    office = at_home(person("vanphong"), demo)
    office.goto(demo.url + report.get_absolute_url())
    box = office.get_by_test_id("unclassified")
    expect(box).to_contain_text("Đề xuất, kiến nghị chưa phân loại (1)")
    expect(box).to_contain_text("Đề nghị tăng cường tập huấn nghiệp vụ kế toán.")
    box.get_by_label("Nơi nhận").select_option(label="Sở Khoa học và Công nghệ")
    box.get_by_role("button", name="Phân loại").click()
    _alert(office, "Đã phân loại đề xuất, kiến nghị.")
    expect(office.get_by_test_id("unclassified")).to_have_count(0)
    section.refresh_from_db()
    assert section.items[-1] == {"text": "Đề nghị tăng cường tập huấn nghiệp vụ kế toán.", "to": "department"}

    director = at_home(person("giamdoc"), demo)
    director.goto(demo.url + report.get_absolute_url())
    director.get_by_test_id("internal-summary").click()
    summary = director.get_by_test_id("internal-summary-page")
    expect(summary).to_contain_text("Tài liệu nội bộ — không gửi UBND tỉnh")
    expect(summary).to_contain_text("Đề nghị Sở quan tâm bổ sung biên chế")
    expect(summary).not_to_contain_text("Đề nghị UBND tỉnh bố trí")
