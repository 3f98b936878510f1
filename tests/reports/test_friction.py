"""Issue 15's friction on the unit report: upload refusals in Vietnamese where the person looks, amounts as Vietnamese
writes them (form, page, diff), negative amounts refused, every ratio above 100% confirmed and flagged, texts left
from last period listed before submission, "chưa có số liệu kỳ trước" when there is no earlier figure.

One world for the module (tests/shared_data.py): the own unit's 2025 report, submitted with a recurrent-spending
share of 70,49% and "Trong năm 2025, phòng đã: …" as its highlights, and its 2026 draft pre-filled from it.
"""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaign.models import AssessmentLevel, Campaign
from portal.uploads import validate_upload
from reports import services
from reports.diff import snapshot_changes
from reports.errors import SubmissionInvalid
from reports.models import ReportSection, UnitReport
from reports.parts import digest, display_quantity, display_rate, parse_quantity
from reports.services import prefill_check
from reports.services.editing import part_objects, values_of
from tests import factories
from tests.plan_data import move_earlier_period, move_open_period
from tests.reports.conftest import complete
from tests.shared_data import built_once

HIGHLIGHTS_2025 = "Trong năm 2025, phòng đã: hoàn thành kế hoạch được giao."
SHARE = "III.1.2.3"  # Tỷ trọng chi thường xuyên trong tổng chi ngân sách nhà nước: judged on last year, lower better
HIGHLIGHTS = f"section-{ReportSection.Key.HIGHLIGHTS}"


def key_of(report, code):
    return f"criterion-{report.results.get(criterion_code=code).criterion_id}"


def rewrite(report, actor, key, **values):
    part = part_objects(report)[key]
    loaded = values_of(part)
    edit = {"values": {**loaded, **values}, "revision": part.revision, "original": digest(loaded)}
    services.report_save_parts(report=report, actor=actor, edits={key: edit})


def _build():
    campaign = Campaign.objects.get()
    period = move_open_period(campaign)
    earlier_period = move_earlier_period()
    levels = {level.code: level for level in AssessmentLevel.objects.all()}
    unit = factories.own_unit()
    staff, head, reviewer = factories.staff_of_own_unit(), factories.head_of_own_unit(), factories.office_reviewer()
    earlier = services.report_start(unit=unit, period=earlier_period, actor=staff)
    complete(earlier, staff, levels)
    rewrite(earlier, staff, key_of(earlier, SHARE), quantities={"recurrent": "7049", "total": "10000"})
    rewrite(earlier, staff, HIGHLIGHTS, text=HIGHLIGHTS_2025)
    services.report_submit(report=earlier, actor=head)
    draft = services.report_start(unit=unit, period=period, actor=staff)
    complete(draft, staff, levels)
    # As pre-filled: the highlights still read as last year's.
    rewrite(draft, staff, HIGHLIGHTS, text=HIGHLIGHTS_2025)
    return {"earlier": earlier, "draft": draft, "staff": staff, "head": head, "reviewer": reviewer, "levels": levels}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, _build) as built:
        yield built


@pytest.fixture
def draft(world, db):
    return UnitReport.objects.get(pk=world["draft"].pk)


def page(client, person, url):
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def submit_form(report, **extra):
    """The editor's "Nộp báo cáo" with every part as loaded (nothing edited), as the browser posts it."""
    data = {"action": "submit", **extra}
    for key, part in part_objects(report).items():
        values = values_of(part)
        data[f"rev-{key}"] = part.revision
        data[f"orig-{key}"] = digest(values)
        if "items" in values:
            for index, item in enumerate(values["items"]):
                data[f"{key}-item-{index}-text"] = item["text"]
                data[f"{key}-item-{index}-to"] = item["to"]
        elif "text" in values:
            data[f"{key}-text"] = values["text"]
        else:
            data[f"{key}-activities"] = values["activities"]
            data[f"{key}-assessment"] = values["assessment"]
            data[f"{key}-not_applicable_reason"] = values["not_applicable_reason"]
            for name, value in values["quantities"].items():
                data[f"{key}-q-{name}"] = display_quantity(value)
    return data


# --- Uploads -----------------------------------------------------------------------------------------


def test_a_file_over_20_mb_says_its_size_with_a_decimal_comma():
    big = SimpleUploadedFile("Biên bản.pdf", b"%PDF-1.4\n")
    big.size = 30 * 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        validate_upload(big)
    assert refused.value.messages == ["Tệp quá lớn (30,0 MB); mỗi tệp tối đa 20 MB."]


def test_a_refused_upload_comes_back_to_the_criterions_files_with_its_message(client, world, draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    result = draft.results.get(criterion_code=SHARE)
    client.force_login(world["staff"])
    upload = SimpleUploadedFile("Biên bản.docx", b"%PDF-1.4\n")
    response = client.post(reverse("reports:evidence_upload", args=[draft.pk, result.pk]), {"file": upload})
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{draft.pk}/edit/#evidence-{result.pk}"
    editor = client.get(response["Location"]).content.decode()
    assert "Không tải lên được “Biên bản.docx”: Nội dung tệp không khớp với phần mở rộng .docx." in editor
    # The place the editor's script moves the message to, inside that criterion's card.
    assert re.search(
        rf'id="evidence-{result.pk}" data-evidence tabindex="-1">\s*<div[^>]*>[^<]*</div>\s*'
        r"<div data-upload-messages>",
        editor,
    )


# --- Amounts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("1050000000", "1.050.000.000"), ("1250.5", "1.250,5"), ("0.75", "0,75"), ("1000", "1.000"), ("100", "100")],
)
def test_a_stored_amount_reads_as_vietnamese_writes_it_and_parses_back(stored, shown):
    assert display_quantity(stored) == shown
    assert parse_quantity(shown) == stored


def test_a_rate_never_reads_minus_zero():
    assert display_rate(-0.0000003) == "0,00"
    assert display_rate(105) == "105,00"


def test_an_amount_typed_with_dots_comes_back_with_dots_in_the_form_the_page_and_the_diff(client, world, draft):
    key = key_of(draft, SHARE)
    part = part_objects(draft)[key]
    client.force_login(world["staff"])
    response = client.post(
        reverse("reports:edit", args=[draft.pk]),
        {
            "action": "save",
            f"rev-{key}": part.revision,
            f"orig-{key}": digest(values_of(part)),
            f"{key}-activities": part.activities,
            f"{key}-assessment": part.assessment_id,
            f"{key}-q-recurrent": "1.050.000.000",
            f"{key}-q-total": "2.000.000.000",
        },
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.quantities == {"recurrent": "1050000000", "total": "2000000000"}
    editor = page(client, world["staff"], reverse("reports:edit", args=[draft.pk]))
    assert f'name="{key}-q-recurrent" value="1.050.000.000"' in editor
    assert f'name="{key}-q-total" value="2.000.000.000"' in editor
    assert "<strong>1.050.000.000</strong>" in page(client, world["staff"], draft.get_absolute_url())
    old = {"results": [{"key": key, "code": SHARE, "quantities": {"recurrent": "7049"}}], "sections": []}
    new = {"results": [{"key": key, "code": SHARE, "quantities": {"recurrent": "1050000000"}}], "sections": []}
    [change] = snapshot_changes(old, new, quantity_labels={"recurrent": "Chi thường xuyên"})
    assert "".join(segment.text for segment in change.segments if segment.kind != "removed") == (
        "Chi thường xuyên: 1.050.000.000"
    )


def test_a_conflict_shows_the_saved_amount_with_dots(client, world, draft):
    key = key_of(draft, SHARE)
    part = part_objects(draft)[key]
    loaded = {
        "action": "save",
        f"rev-{key}": part.revision,
        f"orig-{key}": digest(values_of(part)),
        f"{key}-activities": part.activities,
        f"{key}-assessment": part.assessment_id,
        f"{key}-q-recurrent": "7",
        f"{key}-q-total": "10",
    }
    rewrite(draft, world["head"], key, quantities={"recurrent": "1050000000", "total": "2000000000"})
    client.force_login(world["staff"])
    response = client.post(reverse("reports:edit", args=[draft.pk]), loaded)
    assert response.status_code == 409
    theirs = re.search(r'data-version="theirs">(.*?)</div>', response.content.decode(), re.S).group(1)
    assert "Chi thường xuyên: 1.050.000.000" in theirs
    assert "Tổng chi ngân sách nhà nước: 2.000.000.000" in theirs


def test_a_negative_amount_is_refused_as_it_is_typed_and_nothing_is_saved(client, world, draft):
    key = key_of(draft, SHARE)
    part = part_objects(draft)[key]
    before = dict(part.quantities)
    client.force_login(world["staff"])
    response = client.post(
        reverse("reports:autosave", args=[draft.pk]),
        {
            "part": key,
            f"rev-{key}": part.revision,
            f"orig-{key}": digest(values_of(part)),
            f"{key}-q-recurrent": "-3",
            f"{key}-q-total": "100",
        },
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"q-recurrent": "Số liệu không được âm."}}
    part.refresh_from_db()
    assert part.quantities == before


# --- Every ratio above 100% ---------------------------------------------------------------------------------


def test_a_share_above_100_percent_needs_the_same_confirmation_as_disbursement(world, draft):
    key = key_of(draft, SHARE)
    rewrite(draft, world["staff"], key, quantities={"recurrent": "10500", "total": "10000"})
    with pytest.raises(SubmissionInvalid) as refused:
        services.report_submit(report=draft, actor=world["head"])
    assert refused.value.errors == {
        key: {
            "q-recurrent": "Chi thường xuyên lớn hơn tổng chi ngân sách nhà nước (tỷ trọng chi thường xuyên trong "
            "tổng chi ngân sách nhà nước trên 100%). Nếu đúng, hãy đánh dấu ô xác nhận rồi nộp lại."
        }
    }
    services.report_submit(report=draft, actor=world["head"], confirm_over_plan=True)
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.SUBMITTED


def test_the_editor_offers_the_confirmation_for_every_ratio(client, world, draft):
    editor = page(client, world["head"], reverse("reports:edit", args=[draft.pk]))
    assert "Khi nộp: xác nhận tỷ trọng chi thường xuyên trong tổng chi ngân sách nhà nước trên 100% là đúng" in editor


def test_the_review_page_and_the_trend_flag_a_ratio_above_100_percent(client, world, draft):
    rewrite(draft, world["staff"], key_of(draft, SHARE), quantities={"recurrent": "10500", "total": "10000"})
    services.report_submit(report=draft, actor=world["head"], confirm_over_plan=True)
    review = page(client, world["reviewer"], reverse("reports:review", args=[draft.pk]))
    rows = re.findall(
        r"<tr( class=\"table-warning\" data-testid=\"trend-above-whole\")?><td>([^<]*)</td>"
        r"<td class=\"text-end\">([^<]*)",
        review,
    )
    share_rows = [
        (bool(flag), period, value.strip()) for flag, period, value in rows if value.strip() in {"70,49%", "105,00%"}
    ]
    assert share_rows == [(False, "Năm 2025", "70,49%"), (True, "Năm 2026", "105,00%")]
    charts = [json.loads(raw.replace("&quot;", '"')) for raw in re.findall(r'data-chart="([^"]*)"', review)]
    share_chart = next(chart for chart in charts if chart["name"].startswith("Tỷ trọng chi thường xuyên"))
    assert share_chart["flagged"] == [False, True]
    assert review.count('data-testid="above-whole"') == 1


# --- Texts left from last period -------------------------------------------------------------------------------


def test_texts_identical_to_last_period_or_naming_last_year_are_listed(draft):
    texts = {text.title: text.reasons for text in prefill_check.stale_texts(draft)}
    assert texts["Kết quả nổi bật"] == [
        "Giống hệt báo cáo Năm 2025.",
        "Nhắc năm 2025: “Trong năm 2025, phòng đã: hoàn thành kế hoạch được giao.”",
    ]
    assert texts[f"Tiêu chí {SHARE} — Kết quả thực hiện"] == ["Giống hệt báo cáo Năm 2025."]


def test_an_edit_posted_with_the_submission_counts(draft):
    edits = {HIGHLIGHTS: {"values": {"text": "Năm 2026, phòng đã hoàn thành kế hoạch."}}}
    texts = {text.title for text in prefill_check.stale_texts(draft, edits)}
    assert "Kết quả nổi bật" not in texts
    assert f"Tiêu chí {SHARE} — Kết quả thực hiện" in texts


def test_submission_lists_them_for_the_head_then_goes_through_once_confirmed(client, world, draft):
    client.force_login(world["head"])
    url = reverse("reports:edit", args=[draft.pk])
    response = client.post(url, submit_form(draft))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="stale-texts"' in html
    assert f'<a href="#{HIGHLIGHTS}-text">Kết quả nổi bật</a>' in html
    assert "Nhắc năm 2025: “Trong năm 2025, phòng đã: hoàn thành kế hoạch được giao.”" in html
    draft.refresh_from_db()
    assert (draft.status, draft.submission_count) == (UnitReport.Status.DRAFT, 0)
    response = client.post(url, submit_form(draft, action="submit_keeping_prefilled"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.SUBMITTED
    # What the head confirmed stays in the history, for the office to read.
    submission = draft.transitions.get(action="submit")
    assert submission.comment.startswith("Xác nhận giữ nguyên nội dung giống báo cáo kỳ trước hoặc nhắc năm trước: ")
    assert "Kết quả nổi bật" in submission.comment


# --- A comparison with no earlier figure ----------------------------------------------------------------------------


def test_a_comparison_with_last_year_shows_last_years_figure(client, world, draft):
    editor = page(client, world["staff"], reverse("reports:edit", args=[draft.pk]))
    assert "So với cùng kỳ năm trước (càng thấp càng tốt): <strong>70,49%</strong>" in editor


def test_a_comparison_with_no_earlier_figure_says_so(client, world, db):
    earlier = UnitReport.objects.get(pk=world["earlier"].pk)
    services.report_withdraw(report=earlier, actor=world["head"])
    editor = page(client, world["staff"], reverse("reports:edit", args=[earlier.pk]))
    assert "So với cùng kỳ năm trước (càng thấp càng tốt): chưa có số liệu kỳ trước" in editor
