"""The office edits the consolidated report's outline per kind of period; the next compile follows it."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.models import ConsolidatedOutline, ConsolidatedReport
from reports.outline_forms import new_key
from reports.services.compile import DEFAULT_OUTLINE, DEFAULT_RECIPIENTS, PHASE_OUTLINE
from reports.services.consolidation import consolidation_request
from reports.services.outline import outline_save
from tests.query_budget import PAGE, WAITING_OFFICE
from tests.reports.conftest import complete

LIST = reverse("reports:consolidated_outline_list")
ANNUAL = reverse("reports:consolidated_outline_edit", args=["annual"])
CAUSES = "Một số đơn vị chưa chủ động cập nhật số liệu."


def outline_post(sections, recipients=DEFAULT_RECIPIENTS, *, initial=None, action="save"):
    """The formset as the browser posts it; sections past `initial` are the ones "Thêm mục" added."""
    data = {
        "action": action,
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": str(len(sections) if initial is None else initial),
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "40",
        "recipients": "\r\n".join(recipients),
    }
    for index, item in enumerate(sections):
        prefix = f"sections-{index}-"
        data[prefix + "key"] = item.get("key", "")
        data[prefix + "heading"] = item["heading"].replace("\n", "\r\n")
        data[prefix + "source"] = item.get("source", "text")
        data[prefix + "text"] = item.get("text", "")
        data[prefix + "ORDER"] = str(item.get("order", index + 1))
        if item.get("delete"):
            data[prefix + "DELETE"] = "on"
    return data


def renamed(outline, which, heading, **changes):
    """The outline with the section keyed `which` given a new heading (and any other changed field)."""
    return [{**item, "heading": heading, **changes} if item["key"] == which else dict(item) for item in outline]


@pytest.fixture
def office(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def security_log(caplog):
    """caplog records of `portal.security`, which does not propagate to the root logger."""
    logger = logging.getLogger("portal.security")
    logger.addHandler(caplog.handler)
    with caplog.at_level(logging.INFO, logger="portal.security"):
        yield caplog
    logger.removeHandler(caplog.handler)


# --- Who gets what ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, ANNUAL])
def test_anonymous_visitor_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["staff", "head", "administrator"])
def test_unit_members_and_administrator_get_404_everywhere(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 404
    assert client.get(ANNUAL).status_code == 404
    assert client.post(ANNUAL, outline_post(DEFAULT_OUTLINE)).status_code == 404
    assert not ConsolidatedOutline.objects.exists()


def test_leadership_reads_the_outlines_but_may_not_change_them(client, leader):
    client.force_login(leader)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "III. CÔNG TÁC KHEN THƯỞNG" in page.content.decode()
    assert ANNUAL not in page.content.decode()
    assert client.get(ANNUAL).status_code == 403
    assert client.post(ANNUAL, outline_post(renamed(DEFAULT_OUTLINE, "awards", "III. KHEN THƯỞNG"))).status_code == 403
    assert client.post(ANNUAL, {"action": "reset"}).status_code == 403
    assert not ConsolidatedOutline.objects.exists()


def test_unknown_kind_of_period_is_404(office):
    assert office.get(reverse("reports:consolidated_outline_edit", args=["quarterly"])).status_code == 404


def test_edit_page_refuses_other_methods(office):
    assert office.put(ANNUAL).status_code == 405
    assert office.post(LIST).status_code == 405


# --- Reading ------------------------------------------------------------------------------------------------


def test_list_shows_each_kind_with_its_default_outline_and_a_link_to_edit(office):
    page = office.get(LIST).content.decode()
    assert "Đề cương báo cáo 6 tháng" in page
    assert "Đề cương báo cáo năm" in page
    assert "Đề cương báo cáo sơ kết, tổng kết giai đoạn" in page
    assert "III. ĐÁNH GIÁ KẾT QUẢ CẢ GIAI ĐOẠN" in page  # the phase review's own default
    assert "Công tác khen thưởng (từ sổ khen thưởng)" in page
    assert "- Lưu: VT, HCTH." in page
    assert "áp dụng từ lần tổng hợp tiếp theo" in page
    for kind in ("half_year", "annual", "phase_review"):
        assert reverse("reports:consolidated_outline_edit", args=[kind]) in page


def test_list_shows_the_offices_own_outline(office, reviewer):
    outline_save(
        period_kind="annual",
        sections=renamed(DEFAULT_OUTLINE, "awards", "III. THI ĐUA, KHEN THƯỞNG"),
        recipients=["- UBND tỉnh (báo cáo);"],
        actor=reviewer,
    )
    page = office.get(LIST).content.decode()
    assert "III. THI ĐUA, KHEN THƯỞNG" in page
    assert "Văn phòng đã điều chỉnh" in page


def test_consolidated_list_links_to_the_outlines_for_the_office_only(client, reviewer, leader):
    client.force_login(reviewer)
    assert LIST in client.get(reverse("reports:consolidated_list")).content.decode()
    client.force_login(leader)
    assert LIST not in client.get(reverse("reports:consolidated_list")).content.decode()


def test_edit_page_shows_the_current_outline_with_vietnamese_sources(office):
    page = office.get(reverse("reports:consolidated_outline_edit", args=["phase_review"])).content.decode()
    assert "4. Bài học kinh nghiệm" in page
    assert "Văn phòng tự viết" in page
    assert "Kết quả thực hiện theo tiêu chí (tự động)" in page
    assert "Đề cương mới áp dụng từ lần tổng hợp tiếp theo" in page
    assert "Khôi phục đề cương mặc định" not in page  # nothing to restore yet


# The base layout's (session, user, capabilities, navigation); +15: the waiting list behind the menu's counts
# (overview/waiting.py); then the outlines.
LIST_QUERIES = PAGE + WAITING_OFFICE + 1


def list_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(LIST)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_queries_do_not_grow_with_the_outlines(office, reviewer):
    assert list_queries(office) == LIST_QUERIES
    for kind, outline in (("half_year", DEFAULT_OUTLINE), ("annual", DEFAULT_OUTLINE), ("phase_review", PHASE_OUTLINE)):
        outline_save(period_kind=kind, sections=outline, recipients=DEFAULT_RECIPIENTS, actor=reviewer)
    assert list_queries(office) == LIST_QUERIES


# --- Saving -------------------------------------------------------------------------------------------------


def test_office_renames_a_heading_and_adds_a_text_section(office):
    sections = [
        *renamed(DEFAULT_OUTLINE, "awards", "III. THI ĐUA, KHEN THƯỞNG"),
        {"heading": "VII. TỔ CHỨC THỰC HIỆN", "source": "text", "text": "Giao các phòng triển khai.", "order": ""},
    ]
    response = office.post(ANNUAL, outline_post(sections, initial=len(DEFAULT_OUTLINE)))
    assert response.status_code == 302
    assert response.url == LIST
    outline = ConsolidatedOutline.objects.get(period_kind="annual")
    keys = [item["key"] for item in outline.sections]
    assert keys == [item["key"] for item in DEFAULT_OUTLINE] + ["to_chuc_thuc_hien"]
    assert outline.sections[2] == {"key": "awards", "heading": "III. THI ĐUA, KHEN THƯỞNG", "source": "awards"}
    assert outline.sections[-1] == {
        "key": "to_chuc_thuc_hien",
        "heading": "VII. TỔ CHỨC THỰC HIỆN",
        "source": "text",
        "text": "Giao các phòng triển khai.",
    }
    assert outline.recipients == DEFAULT_RECIPIENTS
    assert "áp dụng từ lần tổng hợp tiếp theo" in office.get(LIST).content.decode()


def test_heading_keeps_its_line_break(office):
    sections = renamed(DEFAULT_OUTLINE, "strengths", "IV. ĐÁNH GIÁ CHUNG  \n\n 1. Ưu điểm nổi bật")
    assert office.post(ANNUAL, outline_post(sections)).status_code == 302
    strengths = ConsolidatedOutline.objects.get().sections[3]
    assert strengths["heading"] == "IV. ĐÁNH GIÁ CHUNG\n1. Ưu điểm nổi bật"


def test_order_numbers_move_sections_and_delete_removes_one(office):
    sections = [dict(item) for item in DEFAULT_OUTLINE]
    sections[0]["order"] = 3  # direction after results and awards
    sections[1]["order"] = 1
    sections[2]["order"] = 2
    sections[5]["delete"] = True  # causes
    assert office.post(ANNUAL, outline_post(sections)).status_code == 302
    keys = [item["key"] for item in ConsolidatedOutline.objects.get().sections]
    assert keys == ["results", "awards", "direction", "strengths", "shortcomings", "next_steps", "recommendations"]


def test_new_sections_get_unique_keys_from_their_headings():
    assert new_key("IV. ĐÁNH GIÁ CHUNG\n1. Ưu điểm", set()) == "uu_diem"
    assert new_key("3. Đề xuất", {"de_xuat"}) == "de_xuat_2"
    assert new_key("3. Đề xuất", {"de_xuat", "de_xuat_2"}) == "de_xuat_3"
    assert new_key("IV.", set()) == "muc"


def test_a_new_section_never_takes_the_key_of_a_deleted_one(office):
    sections = [*(dict(item) for item in DEFAULT_OUTLINE), {"heading": "Causes", "source": "text", "order": ""}]
    sections[5]["delete"] = True
    assert office.post(ANNUAL, outline_post(sections, initial=len(DEFAULT_OUTLINE))).status_code == 302
    assert ConsolidatedOutline.objects.get().sections[-1]["key"] == "causes_2"


def test_blank_added_section_is_ignored(office):
    sections = [*(dict(item) for item in DEFAULT_OUTLINE), {"heading": "", "source": "text", "order": ""}]
    assert office.post(ANNUAL, outline_post(sections, initial=len(DEFAULT_OUTLINE))).status_code == 302
    assert len(ConsolidatedOutline.objects.get().sections) == len(DEFAULT_OUTLINE)


def test_default_text_is_kept_for_text_sections_only(office):
    # The office writes the causes itself (its own source "text") instead of the units' "Nguyên nhân" sentences.
    sections = renamed(DEFAULT_OUTLINE, "causes", "3. Nguyên nhân", source="text", text=CAUSES)
    sections = renamed(sections, "awards", "III. CÔNG TÁC KHEN THƯỞNG", text="Bị bỏ qua.")
    assert office.post(ANNUAL, outline_post(sections)).status_code == 302
    saved = {item["key"]: item for item in ConsolidatedOutline.objects.get().sections}
    assert saved["causes"]["text"] == CAUSES
    assert "text" not in saved["awards"]


def test_recipients_are_one_line_each(office):
    recipients = ["- UBND tỉnh (báo cáo);", "", "  - Sở Nội vụ;  ", "- Lưu: VT, HCTH."]
    assert office.post(ANNUAL, outline_post(DEFAULT_OUTLINE, recipients)).status_code == 302
    saved = ConsolidatedOutline.objects.get().recipients
    assert saved == ["- UBND tỉnh (báo cáo);", "- Sở Nội vụ;", "- Lưu: VT, HCTH."]


def test_saving_again_changes_the_same_row_and_logs_who(office, reviewer, security_log):
    office.post(ANNUAL, outline_post(renamed(DEFAULT_OUTLINE, "awards", "III. KHEN THƯỞNG")))
    office.post(ANNUAL, outline_post(renamed(DEFAULT_OUTLINE, "awards", "III. THI ĐUA, KHEN THƯỞNG")))
    assert ConsolidatedOutline.objects.get().sections[2]["heading"] == "III. THI ĐUA, KHEN THƯỞNG"
    lines = [record.getMessage() for record in security_log.records if record.name == "portal.security"]
    assert len(lines) == 2
    assert "consolidated outline annual created by vanphong" in lines[0]
    assert "consolidated outline annual changed by vanphong" in lines[1]


def test_restoring_the_default_saves_the_default_into_the_row(office, reviewer):
    outline_save(
        period_kind="phase_review",
        sections=[{"key": "only", "heading": "I. MỘT MỤC", "source": "text"}],
        recipients=["- Sở Nội vụ;"],
        actor=reviewer,
    )
    url = reverse("reports:consolidated_outline_edit", args=["phase_review"])
    assert "Khôi phục đề cương mặc định" in office.get(url).content.decode()
    response = office.post(url, {"action": "reset"})
    assert response.status_code == 302
    outline = ConsolidatedOutline.objects.get(period_kind="phase_review")
    assert outline.sections == PHASE_OUTLINE
    assert outline.recipients == DEFAULT_RECIPIENTS


# --- Refusals: nothing saved, everything typed stays ---------------------------------------------------------


def refused(office, data):
    response = office.post(ANNUAL, data)
    assert response.status_code == 400
    assert not ConsolidatedOutline.objects.exists()
    return response.content.decode()


def test_blank_heading_is_refused_and_the_typed_text_stays(office):
    sections = renamed(DEFAULT_OUTLINE, "causes", "", text=CAUSES)
    sections = renamed(sections, "awards", "III. THI ĐUA, KHEN THƯỞNG")
    page = refused(office, outline_post(sections, ["- Nơi nhận mới;"]))
    assert "Mục 6: Vui lòng nhập tiêu đề mục." in page
    assert "III. THI ĐUA, KHEN THƯỞNG" in page
    assert CAUSES in page
    assert "- Nơi nhận mới;" in page


def test_deleting_every_section_is_refused(office):
    sections = [{**item, "delete": True} for item in DEFAULT_OUTLINE]
    assert "Đề cương cần có ít nhất một mục." in refused(office, outline_post(sections))


def test_unknown_source_is_refused(office):
    page = refused(office, outline_post(renamed(DEFAULT_OUTLINE, "awards", "III. KHEN THƯỞNG", source="emails")))
    assert "Nguồn nội dung “emails” không hợp lệ." in page


def test_a_key_posted_twice_is_refused_by_the_models_own_check(office):
    sections = renamed(DEFAULT_OUTLINE, "awards", "III. KHEN THƯỞNG", key="results")
    assert "khóa “results” bị trùng" in refused(office, outline_post(sections))


def test_a_malformed_key_is_refused(office):
    sections = renamed(DEFAULT_OUTLINE, "awards", "III. KHEN THƯỞNG", key="<script>")
    assert "Khóa của mục không hợp lệ" in refused(office, outline_post(sections))


def test_a_refusal_leaves_the_saved_outline_as_it_was(office, reviewer):
    saved = renamed(DEFAULT_OUTLINE, "awards", "III. KHEN THƯỞNG")
    outline_save(period_kind="annual", sections=saved, recipients=DEFAULT_RECIPIENTS, actor=reviewer)
    response = office.post(ANNUAL, outline_post(renamed(saved, "results", "")))
    assert response.status_code == 400
    assert ConsolidatedOutline.objects.get().sections == saved


# --- The next compile follows the outline; compiled reports keep theirs --------------------------------------


@pytest.fixture
def accepted(open_period, own_unit, staff, head, reviewer, levels):
    report = services.report_start(unit=own_unit, period=open_period, actor=staff)
    complete(report, staff, levels)
    services.report_submit(report=report, actor=head)
    services.report_accept(report=report, actor=reviewer)
    return report


def compile_period(period, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = consolidation_request(period=period, actor=reviewer)
    report.refresh_from_db()
    assert report.status == ConsolidatedReport.Status.READY
    return report


def test_next_compile_uses_the_saved_outline_and_compiled_reports_keep_theirs(
    office, reviewer, accepted, open_period, django_capture_on_commit_callbacks
):
    first = compile_period(open_period, reviewer, django_capture_on_commit_callbacks)
    before = first.sections
    sections = [
        *renamed(DEFAULT_OUTLINE, "awards", "III. THI ĐUA, KHEN THƯỞNG"),
        {"heading": "VII. TỔ CHỨC THỰC HIỆN", "source": "text", "text": "Giao các phòng triển khai.", "order": ""},
    ]
    response = office.post(ANNUAL, outline_post(sections, ["- Sở Nội vụ;"], initial=len(DEFAULT_OUTLINE)))
    assert response.status_code == 302

    first.refresh_from_db()
    assert first.sections == before
    assert "III. CÔNG TÁC KHEN THƯỞNG" in [item["heading"] for item in first.sections["items"]]

    second = compile_period(open_period, reviewer, django_capture_on_commit_callbacks)
    assert second.version == 2
    items = {item["key"]: item for item in second.sections["items"]}
    assert items["awards"]["heading"] == "III. THI ĐUA, KHEN THƯỞNG"
    assert items["to_chuc_thuc_hien"]["text"] == "Giao các phòng triển khai."
    assert list(items)[-1] == "to_chuc_thuc_hien"
    assert second.sections["recipients"] == ["- Sở Nội vụ;"]
    page = office.get(second.get_absolute_url()).content.decode()
    assert "III. THI ĐUA, KHEN THƯỞNG" in page
    assert "VII. TỔ CHỨC THỰC HIỆN" in page
