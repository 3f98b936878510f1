"""What the consolidated report says (issue 11): whole-sentence quotes, the plan cited in full, indicators judged
for their period, self-assessments that contradict an indicator, proposals by addressee, the content areas,
the body closed by "./." and "Nơi nhận" starting "- Như trên;"."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from campaign.models import CitedDocument, Criterion, CriterionApplicability, ReportingPeriod
from documents.render import render_pdf
from reports import services
from reports.documents.consolidated import consolidated_document, text_sections
from reports.models import ConsolidatedReport, ReportSection, ReportTransition
from reports.services.consolidation import consolidation_request
from reports.services.synthesis import QUOTE_CHARS, flatten, quote, sentences
from tests.factories import UserFactory
from tests.reports.conftest import complete

# 600 characters of a unit's text: whole sentences, the 250th character inside a syllable ("triển").
LONG_TEXT = (
    "Cụ thể, trong năm, phòng đã tham mưu ban hành 12 văn bản hướng dẫn về cơ chế, chính sách đầu tư kết cấu hạ tầng "
    "khoa học và công nghệ. "
    "Phòng phối hợp rà soát quy hoạch tỉnh, góp ý 7 dự thảo quy hoạch, kế hoạch của các sở, ngành liên quan. "
    "Công tác triển khai chuyển đổi số được đẩy mạnh: 98% văn bản đi được ký số và gửi nhận trên môi trường mạng, "
    "không còn văn bản giấy gửi các đơn vị trong tỉnh. "
    "Phòng đã tổ chức 3 lớp tập huấn kỹ năng số cho công chức, viên chức và người lao động của Sở, thu hút hơn "
    "120 lượt người tham dự, qua đó nâng cao rõ rệt năng lực sử dụng các nền tảng số dùng chung của tỉnh trong "
    "công việc hằng ngày."
)


def test_a_long_text_is_quoted_as_whole_sentences_never_inside_a_word():
    assert len(LONG_TEXT) >= 600
    assert LONG_TEXT[248:253] == "triển"  # the 250th character is inside a syllable: the old cut fell there
    quoted = quote(LONG_TEXT)
    assert len(quoted) <= QUOTE_CHARS
    assert LONG_TEXT.startswith(quoted)
    assert quoted.endswith("liên quan.")  # the end of the second sentence, the last that fits
    assert quoted == " ".join(sentences(LONG_TEXT)[:2])


def test_bullets_become_sentences_and_a_too_long_first_sentence_is_not_quoted():
    assert quote("- Ban hành 5 văn bản\n- Tổ chức 2 hội nghị.") == "Ban hành 5 văn bản. Tổ chức 2 hội nghị."
    assert quote(" ".join(["Triển khai nhiệm vụ chuyển đổi số"] * 30) + ".") == ""


def is_whole_sentence_prefix(quoted, source):
    flat = flatten(source)
    return quoted == flat or (flat.startswith(quoted) and quoted.endswith((".", "!", "?", "…", "”")))


@pytest.fixture
def accepted(open_period, own_unit, other_unit, staff, head, other_staff, reviewer, levels, invests):
    """Two accepted reports on the open year: own unit 50/100 (self-assessed "Hoàn thành tốt": a contradiction)
    and the other unit 300/300, with proposals to the Department, the province and a central ministry."""
    CriterionApplicability.objects.create(
        criterion=Criterion.objects.get(plan_key="criterion-III.1.1.5"), unit=other_unit, applies=True
    )
    other_head = UserFactory(username="truongkhac", unit=other_unit, position="head")
    reports = []
    for unit, drafter, submitter, planned, disbursed, proposals in (
        (
            own_unit,
            staff,
            head,
            "100",
            "50",
            [
                {"text": "Đề nghị Sở bổ sung máy tính cho phòng.", "to": "department"},
                {"text": "Đề nghị UBND tỉnh bố trí vốn cho dự án hạ tầng.", "to": "province"},
            ],
        ),
        (
            other_unit,
            other_staff,
            other_head,
            "300",
            "300",
            [
                {"text": "Đề nghị UBND tỉnh bố trí vốn cho dự án hạ tầng", "to": "province"},
                {"text": "Đề nghị Bộ Khoa học và Công nghệ ban hành định mức dịch vụ công.", "to": "central"},
            ],
        ),
    ):
        report = services.report_start(unit=unit, period=open_period, actor=drafter)
        complete(report, drafter, levels, planned=planned, disbursed=disbursed)
        report.sections.filter(key=ReportSection.Key.RECOMMENDATIONS).update(items=proposals)
        services.report_submit(report=report, actor=submitter)
        services.report_accept(report=report, actor=reviewer)
        reports.append(report)
    return reports


def compiled(period, reviewer, capture):
    with capture(execute=True):
        report = consolidation_request(period=period, actor=reviewer)
    return ConsolidatedReport.objects.get(pk=report.pk)


def section(report, key):
    return next(item["text"] for item in report.sections["items"] if item["key"] == key)


def pdf_text(report):
    reader = PdfReader(BytesIO(render_pdf(consolidated_document(report))))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_plan_with_a_blank_number_is_cited_without_an_empty_so_and_the_office_is_warned(
    accepted, open_period, reviewer, client, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    direction = section(report, "direction")
    assert direction.startswith(
        "Thực hiện Kế hoạch số 42/KH-UBND ngày 03 tháng 3 năm 2023 của UBND tỉnh Quảng Ngãi ban hành Kế hoạch "
    )
    assert "và Kế hoạch ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ về tổ chức thực hiện" in direction
    assert "/KH-SKHCN" not in direction
    assert not re.search(r"số\s*/", direction)
    assert "Có 2/" in direction
    client.force_login(reviewer)
    page = " ".join(client.get(report.get_absolute_url()).content.decode().split())
    assert "Kế hoạch chưa được trích dẫn đầy đủ trong báo cáo" in page
    assert "chưa có số, ký hiệu." in page


def test_the_plan_s_number_once_entered_is_cited_in_full(
    accepted, open_period, reviewer, django_capture_on_commit_callbacks
):
    CitedDocument.objects.filter(role=CitedDocument.Role.PLAN).update(number="125/KH-SKHCN")
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    assert "Kế hoạch số 125/KH-SKHCN ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ" in section(
        report, "direction"
    )
    assert report.snapshot["office_only"]["plan_warnings"] == []


def test_a_half_year_figure_is_progress_against_the_annual_target(
    accepted, open_period, reviewer, django_capture_on_commit_callbacks
):
    ReportingPeriod.objects.filter(pk=open_period.pk).update(
        kind=ReportingPeriod.Kind.HALF_YEAR, label="6 tháng đầu năm 2026"
    )
    open_period.refresh_from_db()
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    results = section(report, "results")
    assert (
        "Chỉ số “Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao” của toàn Sở đạt 87,50% kế hoạch năm "
        "(tổng vốn đã giải ngân 350 đồng ÷ tổng kế hoạch vốn đầu tư công được giao 400 đồng); chỉ tiêu cả năm "
        "100,00%, việc đánh giá đạt hay chưa đạt chỉ tiêu thực hiện khi kết thúc năm."
    ) in results
    assert "chưa đạt chỉ tiêu;" not in results
    assert report.snapshot["office_only"]["contradictions"] == []  # nothing to contradict before the year ends


def test_a_half_year_milestone_of_the_plan_is_judged(
    accepted, open_period, reviewer, django_capture_on_commit_callbacks
):
    Criterion.objects.get(plan_key="criterion-III.1.1.5").indicators.update(half_year_target="50")
    ReportingPeriod.objects.filter(pk=open_period.pk).update(kind=ReportingPeriod.Kind.HALF_YEAR)
    open_period.refresh_from_db()
    results = section(compiled(open_period, reviewer, django_capture_on_commit_callbacks), "results")
    assert (
        "; mốc 6 tháng 50,00%, đạt mốc 6 tháng (chỉ tiêu cả năm 100,00%); 2/2 phòng, đơn vị đạt mốc 6 tháng." in results
    )


def test_a_self_assessment_its_indicator_contradicts_is_listed_and_named_neutrally(
    accepted, open_period, reviewer, client, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    contradictions = report.snapshot["office_only"]["contradictions"]
    assert [(entry["unit"], entry["value"]) for entry in contradictions] == [("Phòng Quản lý khoa học", "50,00%")]
    assert (
        "Có 1 phòng, đơn vị tự đánh giá hoàn thành tốt đối với tiêu chí này trong khi chỉ số “Tỷ lệ giải ngân kế "
        "hoạch vốn đầu tư công được giao” của đơn vị chưa đạt chỉ tiêu (100,00%): Phòng Quản lý khoa học (50,00%)."
    ) in section(report, "results")
    client.force_login(reviewer)
    page = " ".join(client.get(report.get_absolute_url()).content.decode().split())
    assert "Tự đánh giá chưa khớp với chỉ số" in page
    assert "Phòng Quản lý khoa học: tự đánh giá hoàn thành tốt" in page


def test_proposals_go_where_they_are_addressed(accepted, open_period, reviewer, django_capture_on_commit_callbacks):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    assert section(report, "recommendations") == "\n".join(
        [
            "1. Đối với Ủy ban nhân dân tỉnh, các sở, ngành của tỉnh",
            "- Đề nghị UBND tỉnh bố trí vốn cho dự án hạ tầng (2 phòng, đơn vị đề xuất).",
            "2. Đối với các bộ, ngành Trung ương",
            "- Đề nghị Bộ Khoa học và Công nghệ ban hành định mức dịch vụ công.",
        ]
    )
    text = pdf_text(report)
    assert "Đề nghị Sở bổ sung máy tính cho phòng" not in text  # an internal point never goes upward
    assert report.snapshot["proposals"]["department"] == [
        {"text": "Đề nghị Sở bổ sung máy tính cho phòng.", "units": ["Phòng Quản lý khoa học"]}
    ]


def test_the_internal_summary_holds_the_points_made_to_the_department(
    accepted, open_period, reviewer, leader, client, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    client.force_login(leader)
    page = " ".join(client.get(reverse("reports:consolidated_internal", args=[report.pk])).content.decode().split())
    assert "Tài liệu nội bộ — không gửi UBND tỉnh" in page
    assert (
        'Đề nghị Sở bổ sung máy tính cho phòng. <span class="small text-body-secondary">(Phòng Quản lý khoa học)'
        in page
    )
    assert "Đề nghị UBND tỉnh bố trí vốn" not in page


def test_an_unclassified_proposal_is_asked_for_and_classified_by_the_office(
    accepted, open_period, reviewer, client, django_capture_on_commit_callbacks
):
    own = accepted[0].sections.get(key=ReportSection.Key.RECOMMENDATIONS)
    own.items = [{"text": "Đề nghị tăng cường tập huấn nghiệp vụ.", "to": ""}]  # written before addressees existed
    own.save()
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    assert report.snapshot["office_only"]["unclassified"] == [
        {"text": "Đề nghị tăng cường tập huấn nghiệp vụ.", "units": ["Phòng Quản lý khoa học"]}
    ]
    assert "tăng cường tập huấn" not in section(report, "recommendations")
    client.force_login(reviewer)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Đề xuất, kiến nghị chưa phân loại (1)" in page
    digest = re.search(r'name="digest" value="([^"]+)"', page).group(1)

    response = client.post(
        reverse("reports:consolidated_classify", args=[report.pk]),
        {"section": own.pk, "index": 0, "digest": digest, "to": "province"},
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.items == [{"text": "Đề nghị tăng cường tập huấn nghiệp vụ.", "to": "province"}]
    event = ReportTransition.objects.get(report=accepted[0], action=ReportTransition.Action.CLASSIFY)
    assert event.actor == reviewer
    # A stale page (the item changed since) is refused and changes nothing.
    response = client.post(
        reverse("reports:consolidated_classify", args=[report.pk]),
        {"section": own.pk, "index": 0, "digest": "khac", "to": "department"},
        follow=True,
    )
    assert "đã thay đổi hoặc không còn" in response.content.decode()
    own.refresh_from_db()
    assert own.items[0]["to"] == "province"
    recompiled = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    assert "- Đề nghị tăng cường tập huấn nghiệp vụ;" in section(recompiled, "recommendations")


def all_paragraphs(sections):
    """The body's paragraphs in reading order, subsections (the numbered headings of a text) included."""
    return [text for section in sections for text in [*section.paragraphs, *all_paragraphs(section.subsections)]]


def test_the_body_ends_with_the_closing_mark_and_nơi_nhận_starts_with_như_trên(
    accepted, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    document = consolidated_document(report)
    assert all_paragraphs(document.sections)[-1].endswith("./.")
    assert document.recipients[0] == "- Như trên;"
    assert document.recipients[-1] == "- Lưu: VT, HCTH."
    text = pdf_text(report)
    assert "Nơi nhận: - Như trên;" in text


def test_the_results_name_criteria_by_their_text_and_cover_the_plan_s_content_areas(
    accepted, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    results = section(report, "results")
    assert not re.search(r"Tiêu chí III\.\d", results)
    assert "3. Kết quả theo các nội dung thi đua của Kế hoạch" in results
    part = results.split("3. Kết quả theo các nội dung thi đua của Kế hoạch")[1]
    assert "- Thi đua đẩy mạnh phát triển kết cấu hạ tầng:" in part
    assert "- Thi đua thực hành tiết kiệm, chống lãng phí:" in part
    areas = [line for line in part.split("\n") if line.startswith("+ ")]
    assert len(areas) == 6  # II.1.a–c and II.2.a–c
    assert (
        "+ Thi đua huy động nguồn lực xã hội tham gia đầu tư kết cấu hạ tầng trên cơ sở đảm bảo hiệu quả, chất lượng "
        "đầu tư, cân bằng lợi ích của các chủ thể (thể hiện qua tiêu chí “Quy hoạch, cơ chế, chính sách”, "
        "“Cải cách thủ tục, thu hút đầu tư”, “Giải ngân vốn đầu tư công”): 2 phòng, đơn vị có báo cáo"
    ) in part
    for quoted in report.snapshot["criteria"]:
        for entry in quoted["quotes"]:
            assert entry["text"].endswith((".", "!", "?", "…"))


@pytest.mark.parametrize("counts", ["Có 2 phòng, đơn vị báo cáo kết quả thực hiện; trong đó"])
def test_counts_read_as_vietnamese(counts, accepted, open_period, reviewer, django_capture_on_commit_callbacks):
    results = section(compiled(open_period, reviewer, django_capture_on_commit_callbacks), "results")
    assert counts in results
    assert "tự đánh giá: " not in results
    assert not re.search(r"\d+ Hoàn thành", results)


def test_a_numbered_line_of_the_text_is_a_heading_like_the_items_own():
    section = text_sections(
        "II. KẾT QUẢ THỰC HIỆN",
        [
            "1. Về phát triển kết cấu hạ tầng",
            "- Tiêu chí “Thực hiện đồng bộ các giải pháp”: 7 phòng, đơn vị có báo cáo.",
            "2. Về thực hành tiết kiệm, chống lãng phí",
            "1. Đã rà soát 4 văn bản; tiết kiệm 5% chi thường xuyên.",
        ],
        tables=["table"],
    )
    assert [sub.heading for sub in section.subsections] == [
        "1. Về phát triển kết cấu hạ tầng",
        "2. Về thực hành tiết kiệm, chống lãng phí",
        "",
    ]
    # A numbered sentence stays a paragraph; the tables follow everything the text says.
    assert section.subsections[1].paragraphs == ["1. Đã rà soát 4 văn bản; tiết kiệm 5% chi thường xuyên."]
    assert section.subsections[-1].tables == ["table"]
    assert section.paragraphs == []
