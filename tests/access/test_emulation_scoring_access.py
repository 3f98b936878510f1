"""The access matrix of scoring and ranking.

The office and leadership see every scheme, score and ranking; a unit's members see only their own score and place,
once published (another unit's score answers 404, like what does not exist). The office keeps the schemes, computes,
scores (never its own unit: leadership does), publishes and records the council's review; leadership confirms; the
unit's head or deputy explains (staff 403).
"""

import datetime

import pytest
from django.utils import timezone

from emulation.models import EmulationYear, ScoringScheme, UnitScore
from emulation.services import scoring
from tests.access.matrix import (
    Endpoint,
    acting,
    built_once,
    check_every_persona,
    everyone,
    leadership_only,
    office_only,
    only,
    row_id,
)
from tests.emulation.scoring_world import build as build_scoring

DEPARTMENT = ("reviewer", "leader")
SIGNED_IN_MEMBERS = {**everyone(200), "administrator": 404}
EMPTY_FORMSETS = {
    "item-TOTAL_FORMS": "0",
    "item-INITIAL_FORMS": "0",
    "item-MIN_NUM_FORMS": "0",
    "item-MAX_NUM_FORMS": "1000",
    "adj-TOTAL_FORMS": "0",
    "adj-INITIAL_FORMS": "0",
    "adj-MIN_NUM_FORMS": "0",
    "adj-MAX_NUM_FORMS": "1000",
}

ENDPOINTS = [
    Endpoint("emulation:scheme_list", "GET", "/thi-dua/2025/cham-diem/", SIGNED_IN_MEMBERS),
    Endpoint(
        "emulation:scheme_create",
        "POST",
        "/thi-dua/2026/cham-diem/tao/",
        office_only(),
        data={"kind": "annual", "name": "Bảng điểm thi đua năm 2026", "copy_previous": "on"},
        writes=("reviewer",),
    ),
    Endpoint("emulation:scheme_create", "POST", "/thi-dua/2026/cham-diem/tao/", office_only(400), data={"kind": "x"}),
    Endpoint("emulation:scheme_create", "GET", "/thi-dua/2026/cham-diem/tao/", everyone(405)),
    Endpoint("emulation:scheme_detail", "GET", "/thi-dua/cham-diem/{draft}/", only(*DEPARTMENT)),
    Endpoint("emulation:scheme_detail", "GET", "/thi-dua/cham-diem/{published}/", only(*DEPARTMENT)),
    Endpoint("emulation:scheme_edit", "GET", "/thi-dua/cham-diem/{draft}/sua/", office_only(200)),
    Endpoint(
        "emulation:scheme_edit",
        "POST",
        "/thi-dua/cham-diem/{draft}/sua/",
        office_only(),
        data={"name": "Bảng điểm chuyên đề 2025", "rule_1": "on_time", **EMPTY_FORMSETS},
        writes=("reviewer",),
    ),
    Endpoint(
        "emulation:scheme_edit",
        "POST",
        "/thi-dua/cham-diem/{draft}/sua/",
        office_only(400),
        data={"name": "", "rule_1": "on_time", "rule_2": "on_time", **EMPTY_FORMSETS},
    ),
    # A published scheme is no longer edited: its page again, with why.
    Endpoint("emulation:scheme_edit", "GET", "/thi-dua/cham-diem/{published}/sua/", office_only(302)),
    Endpoint(
        "emulation:scheme_compute", "POST", "/thi-dua/cham-diem/{draft}/tinh-diem/", office_only(), writes=("reviewer",)
    ),
    Endpoint("emulation:scheme_compute", "POST", "/thi-dua/cham-diem/{confirmed}/tinh-diem/", office_only(400)),
    Endpoint("emulation:scheme_compute", "GET", "/thi-dua/cham-diem/{draft}/tinh-diem/", everyone(405)),
    Endpoint(
        "emulation:scheme_publish",
        "POST",
        "/thi-dua/cham-diem/{draft}/cong-bo/",
        office_only(),
        data={"explain_until": "{future}"},
        writes=("reviewer",),
    ),
    Endpoint(
        "emulation:scheme_publish",
        "POST",
        "/thi-dua/cham-diem/{draft}/cong-bo/",
        office_only(400),
        data={"explain_until": "31/02/2026"},
    ),
    Endpoint(
        "emulation:scheme_review",
        "POST",
        "/thi-dua/cham-diem/{published}/hoi-dong/",
        office_only(),
        data={"council_session_on": "{today}", "council_minutes": "Hội đồng thống nhất điểm."},
        writes=("reviewer",),
    ),
    Endpoint(
        "emulation:scheme_review",
        "POST",
        "/thi-dua/cham-diem/{published}/hoi-dong/",
        office_only(400),
        data={"council_session_on": "{today}", "council_minutes": ""},
    ),
    Endpoint(
        "emulation:scheme_confirm",
        "POST",
        "/thi-dua/cham-diem/{reviewed}/xac-nhan/",
        leadership_only(),
        writes=("leader",),
    ),
    # Confirmed only after the council's review.
    Endpoint("emulation:scheme_confirm", "POST", "/thi-dua/cham-diem/{draft}/xac-nhan/", leadership_only(400)),
    # The unit's own score once published; another unit's answers 404.
    Endpoint("emulation:score_detail", "GET", "/thi-dua/diem/{own_score}/", only("staff", "head", *DEPARTMENT)),
    Endpoint("emulation:score_detail", "GET", "/thi-dua/diem/{other_score}/", only("other_staff", *DEPARTMENT)),
    Endpoint("emulation:score_detail", "GET", "/thi-dua/diem/{draft_score}/", only(*DEPARTMENT)),
    Endpoint(
        "emulation:score_office",
        "POST",
        "/thi-dua/diem/{other_score}/cham/",
        acting("reviewer", seen_by=("other_staff", "leader")),
        data={"line-{other_line}-points": "9", "line-{other_line}-reason": "Tham mưu tốt."},
        writes=("reviewer",),
    ),
    # The office's own unit: leadership scores it, never the office.
    Endpoint(
        "emulation:score_office",
        "POST",
        "/thi-dua/diem/{office_score}/cham/",
        acting("leader", seen_by=("reviewer",)),
        data={"line-{office_line}-points": "9", "line-{office_line}-reason": "Tham mưu tốt."},
        writes=("leader",),
    ),
    Endpoint(
        "emulation:score_office",
        "POST",
        "/thi-dua/diem/{other_score}/cham/",
        acting("reviewer", ok=400, seen_by=("other_staff", "leader")),
        data={"line-{other_line}-points": "11", "line-{other_line}-reason": "Quá điểm tối đa."},
    ),
    Endpoint(
        "emulation:score_explain",
        "POST",
        "/thi-dua/diem/{own_score}/giai-trinh/",
        acting("head", seen_by=("staff", "reviewer", "leader")),
        data={"explanation": "Đơn vị đã bổ sung số liệu giải ngân."},
        writes=("head",),
    ),
    Endpoint(
        "emulation:score_explain",
        "POST",
        "/thi-dua/diem/{own_score}/giai-trinh/",
        acting("head", ok=400, seen_by=("staff", "reviewer", "leader")),
        data={"explanation": ""},
    ),
    Endpoint("emulation:ranking", "GET", "/thi-dua/2025/xep-hang/?loai=annual", SIGNED_IN_MEMBERS),
    Endpoint("emulation:ranking", "GET", "/thi-dua/2025/xep-hang/?loai=campaign", only(*DEPARTMENT)),
    Endpoint("emulation:ranking_xlsx", "GET", "/thi-dua/2025/xep-hang/xlsx/?loai=annual", only(*DEPARTMENT)),
    Endpoint("emulation:phase_ranking", "GET", "/thi-dua/giai-doan/1/xep-hang/?loai=annual", SIGNED_IN_MEMBERS),
    Endpoint("emulation:phase_ranking_xlsx", "GET", "/thi-dua/giai-doan/1/xep-hang/xlsx/", only(*DEPARTMENT)),
]


def build():
    personas, ids = build_scoring()
    personas["anonymous"] = None
    reviewer, leader = personas["reviewer"], personas["leader"]
    today = timezone.localdate()
    annual = ScoringScheme.objects.get(pk=ids["scheme"])
    scoring.scheme_compute(scheme=annual, actor=reviewer)
    scoring.scheme_publish(scheme=annual, actor=reviewer, explain_until=today + datetime.timedelta(days=30))
    year = annual.year
    draft = scoring.scheme_create(
        year=year, kind="campaign", name="Bảng điểm chuyên đề 2025", actor=reviewer, copy_from=None
    )
    draft.items.create(label="Văn phòng đánh giá", basis="office", max_points=10)
    scoring.scheme_compute(scheme=draft, actor=reviewer)
    earlier = EmulationYear.objects.create(campaign=year.campaign, year=2024, created_by=reviewer)
    EmulationYear.objects.create(campaign=year.campaign, year=2026, created_by=reviewer)
    reviewed = scoring.scheme_create(
        year=earlier, kind="annual", name="Bảng điểm 2024", actor=reviewer, copy_from=annual
    )
    scoring.scheme_compute(scheme=reviewed, actor=reviewer)
    scoring.scheme_publish(scheme=reviewed, actor=reviewer, explain_until=today)
    scoring.scheme_review(scheme=reviewed, actor=reviewer, session_on=today, minutes="Thống nhất.")
    confirmed = scoring.scheme_create(year=earlier, kind="campaign", name="Chuyên đề 2024", actor=reviewer)
    scoring.scheme_compute(scheme=confirmed, actor=reviewer)
    scoring.scheme_publish(scheme=confirmed, actor=reviewer, explain_until=today)
    scoring.scheme_review(scheme=confirmed, actor=reviewer, session_on=today, minutes="Thống nhất.")
    scoring.scheme_confirm(scheme=confirmed, actor=leader)

    def score(scheme, unit_id):
        return UnitScore.objects.get(scheme=scheme, unit_id=unit_id)

    def office_line(unit_score):
        return unit_score.lines.get(item__basis="office").pk

    other_score, office_score = score(annual, ids["other"]), score(annual, ids["office"])
    return personas, {
        "draft": draft.pk,
        "published": annual.pk,
        "reviewed": reviewed.pk,
        "confirmed": confirmed.pk,
        "own_score": score(annual, ids["own"]).pk,
        "other_score": other_score.pk,
        "office_score": office_score.pk,
        "draft_score": score(draft, ids["own"]).pk,
        "other_line": office_line(other_score),
        "office_line": office_line(office_score),
        "today": today.strftime("%d/%m/%Y"),
        "future": (today + datetime.timedelta(days=10)).strftime("%d/%m/%Y"),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("emulation-scoring"), build) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
