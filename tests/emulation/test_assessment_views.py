"""The year-end assessment's pages: the year's list (its queries pinned), the editor's refusals, the actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from emulation.models import Assessment
from emulation.services import assessment as services
from tests.factories import UnitFactory, UserFactory
from tests.query_budget import PAGE, WAITING_OFFICE
from units.models import Person

# The list's queries for the office, whatever the number of units: every page's (tests/query_budget.py), then the
# year, the reviewer's own unit's assessment, the reporting units, the assessments with their counts.
LIST_QUERIES = PAGE + WAITING_OFFICE + 4


@pytest.fixture
def person(own_unit):
    return Person.objects.create(full_name="An Văn Một", position_title="Chuyên viên", unit=own_unit)


@pytest.fixture
def draft(emulation_year, own_unit, staff, person):
    return services.assessment_start(year=emulation_year, unit=own_unit, actor=staff)


def units_with_assessments(year, count, start):
    for number in range(start, start + count):
        unit = UnitFactory(code=f"DVX{number}", name=f"Phòng thử {number}")
        member = UserFactory(username=f"canbo.x{number}", unit=unit, position="staff")
        Person.objects.create(full_name=f"Người {number}", unit=unit)
        services.assessment_start(year=year, unit=unit, actor=member)


def test_the_office_sees_every_reporting_unit_in_constant_queries(
    client, reviewer, emulation_year, draft, other_unit, django_assert_num_queries
):
    client.force_login(reviewer)
    url = reverse("emulation:assessments", args=[emulation_year.year])
    units_with_assessments(emulation_year, 2, 0)
    with django_assert_num_queries(LIST_QUERIES):
        small = client.get(url)
    units_with_assessments(emulation_year, 8, 10)
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get(url)
    assert len(small.context["rows"]) + 8 == len(large.context["rows"])
    states = {row["code"]: row["assessment_id"] and row["status"] for row in large.context["rows"]}
    assert states["PQLKH"] == Assessment.Status.DRAFT
    assert states["PKT"] is None
    # A draft is the unit's own: the office sees its state, not a link to it.
    assert f'href="{reverse("emulation:assessment_detail", args=[draft.pk])}"' not in large.content.decode()


def test_a_unit_member_is_sent_to_their_own_assessment(client, staff, emulation_year, draft):
    client.force_login(staff)
    response = client.get(reverse("emulation:assessments", args=[emulation_year.year]))
    assert response.status_code == 302
    assert response["Location"] == reverse("emulation:assessment_detail", args=[draft.pk])


def test_a_unit_member_without_one_may_start_it(client, other_staff, emulation_year):
    client.force_login(other_staff)
    page = client.get(reverse("emulation:assessments", args=[emulation_year.year]))
    assert page.status_code == 200
    assert 'data-testid="assessment-start"' in page.content.decode()
    assert "rows" not in page.context
    response = client.post(reverse("emulation:assessment_start", args=[emulation_year.year]))
    assessment = Assessment.objects.get(unit=other_staff.unit)
    assert response["Location"] == reverse("emulation:assessment_edit", args=[assessment.pk])


def test_the_editor_refuses_bad_input_keeping_what_was_typed(client, staff, draft, person):
    client.force_login(staff)
    data = {
        "meeting_date": "31/02/2026",
        "attendance": "Có mặt 7/8 người, vắng 1 (đi công tác)",
        "chair": "Phạm Thị Trưởng",
        "secretary": "An Văn Một",
        f"p-{person.pk}-classification": "excellent",
        f"p-{person.pk}-titles": ["lao-dong-tien-tien", "khong-co-trong-danh-muc"],
    }
    response = client.post(reverse("emulation:assessment_edit", args=[draft.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ngày không hợp lệ" in page
    assert "Danh hiệu “khong-co-trong-danh-muc” không có trong danh mục" in page
    assert 'value="Có mặt 7/8 người, vắng 1 (đi công tác)"' in page
    assert '<option value="excellent" selected>' in page
    draft.refresh_from_db()
    assert draft.meeting_attendance == ""
    assert list(draft.transitions.values_list("action", flat=True)) == ["create"]


def test_a_future_meeting_date_is_refused_on_its_field(client, staff, draft, person):
    client.force_login(staff)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("emulation:assessment_edit", args=[draft.pk]),
        {"meeting_date": tomorrow, "attendance": "Toàn thể", f"p-{person.pk}-classification": "good"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["meeting_date"] == ["Ngày họp bình xét không được sau ngày hôm nay."]


def test_staff_may_not_submit_and_another_unit_sees_nothing(client, staff, other_staff, draft):
    client.force_login(staff)
    assert client.post(reverse("emulation:assessment_submit", args=[draft.pk])).status_code == 403
    client.force_login(other_staff)
    assert client.get(reverse("emulation:assessment_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("emulation:assessment_edit", args=[draft.pk]), {}).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_the_page_shows_who_decides_and_the_office_confirms_from_it(client, staff, head, reviewer, draft, person):
    services.assessment_save(
        assessment=draft,
        actor=staff,
        meeting_date=timezone.localdate(),
        attendance="Toàn thể",
        chair="Phạm Thị Trưởng",
        secretary="An Văn Một",
        entries={person.pk: ("good", ["lao-dong-tien-tien"])},
    )
    services.assessment_generate_minutes(assessment=draft, actor=staff)
    services.assessment_submit(assessment=draft, actor=head)
    client.force_login(reviewer)
    url = reverse("emulation:assessment_detail", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Thẩm quyền xếp loại: Giám đốc Sở Khoa học và Công nghệ" in page
    assert "Lao động tiên tiến" in page
    entry = draft.entries.get()
    refused = client.post(
        reverse("emulation:assessment_confirm", args=[draft.pk]), {f"e-{entry.pk}-decided": "excellent"}
    )
    assert refused.status_code == 400
    assert "Vui lòng ghi lý do khi xếp loại khác với đề xuất của đơn vị." in refused.content.decode()
    done = client.post(
        reverse("emulation:assessment_confirm", args=[draft.pk]),
        {f"e-{entry.pk}-decided": "excellent", f"e-{entry.pk}-note": "Giám đốc Sở quyết định."},
    )
    assert done.status_code == 302
    entry.refresh_from_db()
    assert (entry.decided_classification, entry.note) == ("excellent", "Giám đốc Sở quyết định.")
