import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

import portal.navigation
from portal.context_processors import navigation
from units.models import User

PEOPLE_WITHOUT_ADMIN = ["staff", "head", "other_staff", "reviewer", "leader"]


def labels_for(user, path="/"):
    request = RequestFactory().get(path)
    request.user = User.objects.get(pk=user.pk)
    return [item["label"] for item in navigation(request)["nav_items"]]


def test_administrator_sees_admin_link(client, administrator):
    client.force_login(administrator)
    response = client.get("/")
    assert '<a class="nav-link" href="/admin/">Quản trị</a>' in response.content.decode()


@pytest.mark.parametrize("persona", PEOPLE_WITHOUT_ADMIN)
def test_people_without_admin_capability_do_not_see_admin_link(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert 'href="/admin/"' not in response.content.decode()
    assert ">Quản trị<" not in response.content.decode()


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_anonymous_visitor_gets_no_navigation(db):
    request = RequestFactory().get("/accounts/login/")
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": []}


def test_only_the_sections_the_apps_registered_appear(monkeypatch, staff, reviewer):
    monkeypatch.setattr(portal.navigation, "_MENU", {"home": portal.navigation._MENU["home"]})
    assert labels_for(staff) == ["Trang chủ"]
    assert labels_for(reviewer) == ["Trang chủ"]


def test_unit_member_sees_todo_and_awards(staff):
    assert labels_for(staff) == ["Trang chủ", "Việc cần làm", "Thi đua hằng năm", "Khen thưởng", "Sổ khen thưởng"]


def test_office_reviewer_sees_matrix_and_consolidated_reports(reviewer):
    assert labels_for(reviewer) == [
        "Trang chủ",
        "Việc cần làm",
        "Theo dõi báo cáo",
        "Báo cáo tổng hợp",
        "Thi đua hằng năm",  # the year's registrations, assessments, scores and ranking
        "Khen thưởng",
        "Hội đồng TĐKT",  # the office convenes the council's meetings
        "Văn bản khen thưởng",
        "Sổ khen thưởng",
        "Sổ văn bản đi",  # the register of outgoing documents, where the office records numbers
    ]


def test_leadership_sees_matrix_and_consolidated_reports_but_no_unit_todo(leader):
    labels = labels_for(leader)
    assert "Báo cáo tổng hợp" in labels
    assert "Theo dõi báo cáo" in labels
    assert "Thi đua hằng năm" in labels
    # Leaders belong to the Department itself, which reports to nobody inside the portal.
    assert "Việc cần làm" not in labels


def test_only_council_members_see_the_council(council_member, staff):
    assert "Hội đồng TĐKT" in labels_for(council_member)
    assert "Hội đồng TĐKT" not in labels_for(staff)


def test_current_section_is_marked_active(reviewer):
    request = RequestFactory().get("/reports/matrix/")
    request.user = reviewer
    active = [item["label"] for item in navigation(request)["nav_items"] if item["active"]]
    assert active == ["Theo dõi báo cáo"]


def test_navigation_loads_capabilities_with_one_query(django_assert_num_queries, reviewer):
    request = RequestFactory().get("/")
    # As units.backends.UnitModelBackend loads the signed-in user: with their unit.
    request.user = User.objects.select_related("unit").get(pk=reviewer.pk)
    with django_assert_num_queries(1):
        navigation(request)
