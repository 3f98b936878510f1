import re
from datetime import date

import pytest

from campaign.models import Campaign, CitedDocument, Phase
from tests.query_budget import PAGE, WAITING_LEADERSHIP


@pytest.fixture
def campaign(no_plan):
    campaign = Campaign.objects.create(
        plan_key="campaign",
        name="Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí",
        short_name="Phong trào hạ tầng và tiết kiệm",
        governing_body="UBND TỈNH QUẢNG NGÃI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        issuing_body_abbreviation="SKHCN",
        place_name="Quảng Ngãi",
        report_recipient="Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)",
        coordinating_unit_name="Phòng Hành chính - Tổng hợp",
        start_year=2022,
        end_year=2030,
        portal_start_date=date(2026, 1, 1),
    )
    CitedDocument.objects.create(
        plan_key="cited-plan",
        campaign=campaign,
        role=CitedDocument.Role.PLAN,
        kind="Kế hoạch",
        number="45/KH-SKHCN",
        issued_on=date(2023, 4, 3),
        issuer="Sở Khoa học và Công nghệ",
        title="về tổ chức thực hiện Phong trào thi đua",
    )
    Phase.objects.create(
        plan_key="phase-1",
        campaign=campaign,
        number=1,
        name="Giai đoạn 2022 - 2025",
        start_year=2022,
        end_year=2025,
        review_kind=Phase.ReviewKind.INTERIM,
        review_year=2025,
    )
    Phase.objects.create(
        plan_key="phase-2",
        campaign=campaign,
        number=2,
        name="Giai đoạn 2026 - 2030",
        start_year=2026,
        end_year=2030,
        review_kind=Phase.ReviewKind.FINAL,
        review_year=2030,
    )
    return campaign


def cards_on(response):
    return set(re.findall(r'data-card="([a-z]+)"', response.content.decode()))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("staff", {"unit"}),
        ("head", {"unit"}),
        ("reviewer", {"unit", "office"}),
        ("leader", {"leadership"}),
        ("council_member", {"unit", "council"}),
        ("administrator", {"administrator"}),
    ],
)
def test_home_shows_only_the_persons_own_capability_cards(db, client, request, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.status_code == 200
    assert cards_on(response) == expected


def test_home_greets_the_person_with_position_and_unit(client, leader):
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert "Xin chào, Nguyễn Văn Giám Đốc" in page
    assert "Giám đốc · Sở Khoa học và Công nghệ" in page


def test_unit_card_names_the_unit_and_position(no_plan, client, staff):
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert "Phòng Quản lý khoa học" in page
    assert "Cán bộ, công chức, viên chức" in page
    assert "Đơn vị không còn báo cáo nào phải nộp." in page
    assert 'href="/reports/">Việc cần làm</a>' in page


def test_administrator_card_links_to_admin(client, administrator):
    client.force_login(administrator)
    page = client.get("/").content.decode()
    assert 'href="/admin/">Mở trang quản trị</a>' in page


def test_home_shows_campaign_and_its_phases(campaign, client, staff):
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert campaign.name in page
    assert "45/KH-SKHCN ngày 03/04/2023" in page
    assert "Giai đoạn 2022 - 2025" in page
    assert "· sơ kết năm 2025" in page
    assert "· tổng kết năm 2030" in page


def test_home_without_campaign_still_renders(no_plan, client, staff):
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 200
    assert "portal-campaign" not in response.content.decode()


def test_sign_out_is_a_post_form_with_csrf_token(client, staff):
    client.force_login(staff)
    page = client.get("/").content.decode()
    form = re.search(r'<form method="post" action="/accounts/logout/">(.*?)</form>', page, re.DOTALL)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert "Đăng xuất" in form.group(1)


def test_home_query_count_is_fixed_for_leader(campaign, client, leader, django_assert_num_queries):
    client.force_login(leader)
    # The page's (tests/query_budget.py), the campaign, its cited documents, phases, the waiting list behind the
    # menu's counts and the home's waiting panel (one list).
    with django_assert_num_queries(PAGE + 3 + WAITING_LEADERSHIP):
        client.get("/")
