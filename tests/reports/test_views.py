"""The reports pages in the browser's place: editor, autosave, review, changes, history, matrix, notifications."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from campaign.models import Criterion
from reports import services
from reports.models import ReportSection, ReportTransition, UnitReport
from reports.parts import digest
from reports.services.editing import part_objects, values_of
from tests.reports.conftest import complete

HIGHLIGHTS = "section-highlights"


def fields(report, key, **changes):
    """The form fields the editor holds for one part, as loaded, with `changes` typed over them."""
    part = part_objects(report)[key]
    values = values_of(part)
    posted = {f"rev-{key}": part.revision, f"orig-{key}": digest(values)}
    if isinstance(part, ReportSection):
        posted[f"{key}-text"] = values["text"]
    else:
        posted[f"{key}-activities"] = values["activities"]
        posted[f"{key}-assessment"] = values["assessment"] or ""
        posted[f"{key}-not_applicable_reason"] = values["not_applicable_reason"]
        posted.update({f"{key}-q-{name}": value for name, value in values["quantities"].items()})
    posted.update({f"{key}-{name.replace('__', '-')}": value for name, value in changes.items()})
    return posted


def recurrent_key():
    """The part of the criterion on recurrent spending, which carries an indicator and applies to every unit."""
    return f"criterion-{Criterion.objects.get(plan_key='criterion-III.1.2.3').pk}"


def text_of(report, key=HIGHLIGHTS):
    return part_objects(report)[key].text


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def page(response):
    return response.content.decode()


def edit_url(report):
    return reverse("reports:edit", args=[report.pk])


def autosave_url(report):
    return reverse("reports:autosave", args=[report.pk])


def submit(report, head):
    services.report_submit(report=report, actor=head)
    report.refresh_from_db()
    return report


# --- The editor ---------------------------------------------------------------------------------


def test_staff_opens_the_editor_of_the_units_draft(client, staff, draft):
    client.force_login(staff)
    response = client.get(edit_url(draft))
    assert response.status_code == 200
    assert f'name="{HIGHLIGHTS}-text"' in page(response)


def test_explicit_save_stores_the_text_and_says_when(client, staff, draft):
    client.force_login(staff)
    response = client.post(
        edit_url(draft), {"action": "save", **fields(draft, HIGHLIGHTS, text="Hoàn thành 3 công trình.")}, follow=True
    )
    assert response.redirect_chain == [(edit_url(draft), 302)]
    assert re.search(r"Đã lưu lúc \d\d:\d\d", page(response))
    assert text_of(draft) == "Hoàn thành 3 công trình."


def test_a_quantity_that_is_not_a_number_is_refused_next_to_its_field_and_nothing_is_saved(client, staff, draft):
    key = recurrent_key()
    client.force_login(staff)
    response = client.post(
        edit_url(draft),
        {
            "action": "save",
            **fields(draft, key, activities="Đã rà soát chi thường xuyên.", q__recurrent="abc"),
            **fields(draft, HIGHLIGHTS, text="Nội dung mới."),
        },
    )
    assert response.status_code == 400
    body = page(response)
    field = re.search(rf'id="{key}-q-recurrent"[^>]*>\s*<div class="invalid-feedback">([^<]*)</div>', body)
    assert field is not None
    assert field.group(1) == "Vui lòng nhập một số (ví dụ 1.250.000.000)."
    assert 'value="abc"' in body
    assert "Đã rà soát chi thường xuyên." in body  # what the person typed comes back
    assert part_objects(draft)[key].activities == ""
    assert text_of(draft) == ""


def test_head_submitting_an_incomplete_report_sees_errors_next_to_fields_and_nothing_is_saved(client, head, draft):
    client.force_login(head)
    response = client.post(edit_url(draft), {"action": "submit", **fields(draft, HIGHLIGHTS, text="Kết quả nổi bật.")})
    assert response.status_code == 400
    body = page(response)
    assert "Báo cáo chưa thể nộp" in body
    assert body.count("Vui lòng chọn mức tự đánh giá.") == draft.results.count()
    assert re.search(r'id="section-shortcomings-text"[^>]*>[^<]*</textarea>\s*<div class="invalid-feedback">', body)
    assert "Kết quả nổi bật." in body
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.DRAFT
    assert text_of(draft) == ""


def test_head_submits_a_complete_report_from_the_editor(client, staff, head, draft, levels):
    complete(draft, staff, levels)
    client.force_login(head)
    response = client.post(edit_url(draft), {"action": "submit"})
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.SUBMITTED


def test_staff_sees_no_submit_button(client, staff, head, draft):
    client.force_login(staff)
    assert 'value="submit"' not in page(client.get(edit_url(draft)))
    client.force_login(head)
    assert 'value="submit"' in page(client.get(edit_url(draft)))


def test_staff_posting_submit_is_forbidden_and_the_report_stays_a_draft(client, staff, draft, levels):
    # The editor offers staff no submit button; a crafted submit is refused as forbidden (403), not shown as bad input.
    complete(draft, staff, levels)
    client.force_login(staff)
    response = client.post(edit_url(draft), {"action": "submit"})
    assert response.status_code == 403
    assert "Chỉ trưởng hoặc phó trưởng đơn vị mới được nộp báo cáo." in page(response)
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.DRAFT


def test_explicit_save_over_someone_elses_newer_text_shows_both_versions(client, staff, head, draft):
    loaded = fields(draft, HIGHLIGHTS, text="Bản của cán bộ.")
    client.force_login(head)
    client.post(edit_url(draft), {"action": "save", **fields(draft, HIGHLIGHTS, text="Bản của trưởng phòng.")})
    client.force_login(staff)
    response = client.post(edit_url(draft), {"action": "save", **loaded})
    assert response.status_code == 409
    body = page(response)
    assert "Bản đã lưu trên Cổng" in body
    assert "Bản của trưởng phòng." in body
    assert "Bản của cán bộ." in body
    assert text_of(draft) == "Bản của trưởng phòng."


def test_a_submitted_report_opens_read_only_for_its_unit(client, staff, submitted):
    client.force_login(staff)
    response = client.get(edit_url(submitted))
    assert response["Location"] == submitted.get_absolute_url()
    assert "Báo cáo không ở trạng thái soạn thảo; bạn đang xem bản chỉ đọc." in messages_of(response)


# --- Autosave -----------------------------------------------------------------------------------


def test_autosave_saves_the_part_and_answers_its_revision_and_time(client, staff, draft):
    before = part_objects(draft)[HIGHLIGHTS].revision
    client.force_login(staff)
    response = client.post(autosave_url(draft), {"part": HIGHLIGHTS, **fields(draft, HIGHLIGHTS, text="Đang gõ.")})
    assert response.status_code == 200
    answer = response.json()
    assert answer["revision"] == before + 1
    assert re.fullmatch(r"\d\d:\d\d", answer["saved_at"])
    assert answer["original"] == digest({"text": "Đang gõ."})
    assert text_of(draft) == "Đang gõ."


def test_autosave_on_a_stale_revision_answers_409_with_both_versions(client, staff, head, draft):
    stale = fields(draft, HIGHLIGHTS, text="Bản của cán bộ.")
    client.force_login(head)
    client.post(autosave_url(draft), {"part": HIGHLIGHTS, **fields(draft, HIGHLIGHTS, text="Bản của trưởng phòng.")})
    client.force_login(staff)
    response = client.post(autosave_url(draft), {"part": HIGHLIGHTS, **stale})
    assert response.status_code == 409
    conflict = response.json()["conflict"]
    assert conflict["theirs"] == {"text": "Bản của trưởng phòng."}
    assert conflict["yours"] == {"text": "Bản của cán bộ."}
    assert text_of(draft) == "Bản của trưởng phòng."


def test_autosave_of_the_same_text_on_a_stale_revision_is_no_conflict(client, staff, head, draft):
    stale = fields(draft, HIGHLIGHTS, text="Cùng một nội dung.")
    client.force_login(head)
    client.post(autosave_url(draft), {"part": HIGHLIGHTS, **stale})
    client.force_login(staff)
    assert client.post(autosave_url(draft), {"part": HIGHLIGHTS, **stale}).status_code == 200


def test_autosave_of_a_submitted_report_is_refused_with_403(client, staff, submitted):
    client.force_login(staff)
    response = client.post(autosave_url(submitted), {"part": HIGHLIGHTS, **fields(submitted, HIGHLIGHTS, text="x")})
    assert response.status_code == 403
    assert "không còn ở trạng thái soạn thảo" in response.json()["error"]


@pytest.mark.parametrize(
    ("persona", "case", "status"),
    [
        ("staff", "get", 405),
        ("other_staff", "post", 404),
        ("reviewer", "post", 404),
        ("staff", "unknown_part", 404),
        ("staff", "bad_quantity", 400),
        ("staff", "post_submitted", 403),
    ],
)
def test_autosave_always_answers_json_to_a_signed_in_person(client, request, draft, persona, case, status):
    client.force_login(request.getfixturevalue(persona))
    report = request.getfixturevalue("submitted") if case == "post_submitted" else draft
    data = {"part": HIGHLIGHTS, **fields(report, HIGHLIGHTS, text="x")}
    if case == "unknown_part":
        data["part"] = "criterion-999999"
    if case == "bad_quantity":
        data = {"part": recurrent_key(), **fields(report, recurrent_key(), q__total="mười")}
    response = client.get(autosave_url(report)) if case == "get" else client.post(autosave_url(report), data)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()


def test_autosave_of_a_signed_out_person_goes_to_sign_in(client, draft):
    response = client.post(autosave_url(draft), {"part": HIGHLIGHTS})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Review -------------------------------------------------------------------------------------


def review_url(report):
    return reverse("reports:review", args=[report.pk])


def test_reading_the_review_page_leaves_the_unit_free_to_withdraw(client, reviewer, submitted):
    client.force_login(reviewer)
    assert client.get(review_url(submitted)).status_code == 200
    submitted.refresh_from_db()
    assert submitted.review_opened_at is None
    assert not submitted.transitions.filter(action=ReportTransition.Action.OPEN_REVIEW).exists()


def test_the_reviewers_first_comment_ends_the_units_right_to_withdraw(client, reviewer, head, submitted):
    client.force_login(reviewer)
    client.post(reverse("reports:comment", args=[submitted.pk]), {"text": "Bổ sung minh chứng."})
    submitted.refresh_from_db()
    assert submitted.review_opened_at is not None
    client.force_login(head)
    response = client.post(reverse("reports:withdraw", args=[submitted.pk]))
    assert "Chỉ rút lại được báo cáo đã nộp mà Văn phòng chưa mở rà soát." in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.SUBMITTED


def test_head_withdraws_a_report_nobody_has_opened(client, head, submitted):
    client.force_login(head)
    client.post(reverse("reports:withdraw", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.DRAFT


def _loaded(report, key):
    """What an editor loaded for one part: its revision and the digest of its values."""
    part = part_objects(report)[key]
    return {"revision": part.revision, "original": digest(values_of(part))}


@pytest.fixture
def reviewed_twice(invests, earlier_period, open_period, own_unit, staff, head, reviewer, levels):
    """Last year's report accepted with its own text and 80% disbursed; this year's submitted with 90%."""
    previous = complete(
        services.report_start(unit=own_unit, period=earlier_period, actor=staff), staff, levels, disbursed="800"
    )
    key = f"criterion-{invests.pk}"
    values = {**values_of(part_objects(previous)[key]), "activities": "Giải ngân chậm ở dự án A."}
    services.report_save_parts(report=previous, actor=staff, edits={key: {**_loaded(previous, key), "values": values}})
    services.report_accept(report=submit(previous, head), actor=reviewer)
    current = services.report_start(unit=own_unit, period=open_period, actor=staff)
    return submit(complete(current, staff, levels, disbursed="900"), head)


def test_review_shows_the_previous_reports_text_and_the_indicator_trend(client, reviewer, reviewed_twice, invests):
    client.force_login(reviewer)
    body = page(client.get(review_url(reviewed_twice)))
    assert "Giải ngân chậm ở dự án A." in body
    indicator = invests.indicators.get().name
    trend = re.search(rf"<h3 class=\"h6\">{indicator}</h3>(.*?)</table>", body, re.DOTALL).group(1)
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"text-end\">([^<]+)</td>", trend)
    assert rows == [("Năm 2025", "80,00%"), ("Năm 2026", "90,00%")]


def test_return_without_a_reason_is_refused_and_the_report_stays_submitted(client, reviewer, submitted):
    client.force_login(reviewer)
    response = client.post(reverse("reports:return", args=[submitted.pk]), {"reason": "  "})
    assert response["Location"] == review_url(submitted)
    assert "Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì." in messages_of(response)
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.SUBMITTED


def test_return_with_a_reason_shows_it_to_the_unit(client, reviewer, staff, submitted):
    client.force_login(reviewer)
    client.post(reverse("reports:return", args=[submitted.pk]), {"reason": "Bổ sung số liệu giải ngân."})
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.RETURNED
    client.force_login(staff)
    assert "Bổ sung số liệu giải ngân." in page(client.get(submitted.get_absolute_url()))


def test_accept_locks_the_report(client, reviewer, head, submitted):
    client.force_login(reviewer)
    response = client.post(reverse("reports:accept", args=[submitted.pk]))
    assert response["Location"] == reverse("reports:matrix")
    submitted.refresh_from_db()
    assert submitted.status == UnitReport.Status.ACCEPTED
    client.force_login(head)
    assert client.get(edit_url(submitted))["Location"] == submitted.get_absolute_url()
    refused = client.post(autosave_url(submitted), {"part": HIGHLIGHTS, **fields(submitted, HIGHLIGHTS, text="x")})
    assert refused.status_code == 403


def test_reviewer_comments_on_a_criterion_and_the_unit_sees_it(client, reviewer, staff, submitted):
    result = submitted.results.first()
    client.force_login(reviewer)
    client.post(reverse("reports:comment", args=[submitted.pk]), {"text": "Thiếu minh chứng.", "result": result.pk})
    client.force_login(staff)
    assert "Thiếu minh chứng." in page(client.get(submitted.get_absolute_url()))


def test_changes_page_shows_the_words_added_and_removed_between_two_submissions(
    client, reviewer, staff, head, submitted
):
    services.report_return(report=submitted, actor=reviewer, reason="Viết rõ hơn.")
    services.report_save_parts(
        report=submitted,
        actor=staff,
        edits={
            HIGHLIGHTS: {
                **_loaded(submitted, HIGHLIGHTS),
                "values": {"text": "Nội dung mục Thành tích nổi bật."},
            }
        },
    )
    submit(submitted, head)
    client.force_login(reviewer)
    body = page(client.get(reverse("reports:changes", args=[submitted.pk])))
    # complete() wrote "Nội dung mục Kết quả nổi bật." for the first submission.
    assert '<del class="diff-removed">Kết quả</del><ins class="diff-added">Thành tích</ins>' in body
    assert body.count('data-testid="change"') == 1


def test_history_lists_every_transition_with_who_and_why(client, reviewer, head, submitted):
    services.report_return(report=submitted, actor=reviewer, reason="Thiếu số liệu.")
    client.force_login(head)
    body = page(client.get(reverse("reports:history", args=[submitted.pk])))
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>", body, re.DOTALL)
    assert [(action, actor) for _, action, actor in rows] == [
        ("Tạo báo cáo", "Lê Văn Cán Bộ"),
        ("Nộp báo cáo (lần 1)", "Phạm Thị Trưởng"),
        ("Bắt đầu rà soát", "Đỗ Thị Văn Phòng"),
        ("Trả lại để bổ sung", "Đỗ Thị Văn Phòng"),
    ]
    assert re.match(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[0][0])
    assert "Thiếu số liệu." in body


# --- The matrix ---------------------------------------------------------------------------------


def matrix_units(client, **query):
    body = page(client.get(reverse("reports:matrix"), query))
    table = body[body.index('data-testid="matrix-table"') :]
    return re.findall(r"<td>\d+</td>\s*<td>(.*?)</td>", table)


def test_matrix_filters_by_status(client, reviewer, submitted, open_period, other_unit, other_staff):
    services.report_start(unit=other_unit, period=open_period, actor=other_staff)
    client.force_login(reviewer)
    period = open_period.code
    assert matrix_units(client, period=period, status="submitted") == ["Phòng Quản lý khoa học"]
    assert matrix_units(client, period=period, status="draft") == ["Phòng Kế hoạch - Tài chính"]
    not_started = matrix_units(client, period=period, status="not_started")
    assert "Phòng Hành chính - Tổng hợp" in not_started
    assert "Phòng Quản lý khoa học" not in not_started
    assert len(matrix_units(client, period=period)) == len(not_started) + 2


def test_matrix_filters_late_reports(client, reviewer, earlier_period, own_unit, staff, head, other_unit, levels):
    report = services.report_start(unit=own_unit, period=earlier_period, actor=staff)
    submit(complete(report, staff, levels), head)  # due 200 days ago: late
    client.force_login(reviewer)
    assert matrix_units(client, period=earlier_period.code, late="1") == ["Phòng Quản lý khoa học"]
    assert "Phòng Kế hoạch - Tài chính" in matrix_units(client, period=earlier_period.code)


def test_matrix_counts_every_status_at_the_top_whatever_the_filter(client, reviewer, submitted, open_period):
    client.force_login(reviewer)
    body = page(client.get(reverse("reports:matrix"), {"period": open_period.code, "status": "draft"}))
    cards = re.findall(r'<div class="fs-4">(\d+)</div><div class="small">([^<]+)</div>', body)
    counts = {label: int(number) for number, label in cards}
    assert counts["Đã nộp"] == 1
    assert counts["Đang soạn"] == 0
    assert counts["Chưa lập"] == counts["Tổng số đơn vị"] - 1


# --- Notifications and the layout ---------------------------------------------------------------


def unread_badge(client):
    body = page(client.get("/"))
    found = re.search(r'portal-unread-badge">(\d+)<', body)
    return int(found.group(1)) if found else 0


def test_menu_shows_the_unread_count_until_the_person_reads_them(client, reviewer, submitted):
    client.force_login(reviewer)
    assert unread_badge(client) == 1
    body = page(client.get(reverse("notifications:list")))
    assert "Phòng Quản lý khoa học — Năm 2026: đơn vị đã nộp báo cáo." in body
    client.post(reverse("notifications:read"))
    assert unread_badge(client) == 0


def test_menu_marks_only_the_current_section_active(client, reviewer, open_period):
    client.force_login(reviewer)
    body = page(client.get(reverse("reports:matrix")))
    assert re.findall(r'aria-current="page">([^<]+)<', body) == ["Theo dõi báo cáo"]


def test_menu_links_to_notifications_for_every_signed_in_person(client, administrator):
    client.force_login(administrator)
    assert f'href="{reverse("notifications:list")}"' in page(client.get("/"))


def test_home_unit_card_says_how_many_reports_the_unit_owes(client, staff, open_period, earlier_period):
    from reports.selectors import unit_todo

    owed, _ = unit_todo(staff.unit)
    overdue = sum(1 for item in owed if item.is_overdue)
    client.force_login(staff)
    body = page(client.get("/"))
    assert f"Đơn vị còn <strong>{len(owed)}</strong> báo cáo phải nộp" in body
    assert f'<strong class="text-danger">{overdue}</strong> báo cáo đã quá hạn' in body
    assert f'href="{reverse("reports:todo")}"' in body


def test_home_office_card_links_to_the_matrix(client, reviewer):
    client.force_login(reviewer)
    assert f'href="{reverse("reports:matrix")}">Theo dõi báo cáo</a>' in page(client.get("/"))
