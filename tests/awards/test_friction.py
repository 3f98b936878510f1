"""Issue 15's friction on the awards pages: histories in Vietnamese, "Gửi đề nghị" disabled with its reasons, the
chair's tie-break beside the count, the public list by decision date then name."""

# The shared fixtures are imported from test_nominations_fixtures; tests name them as parameters.
# ruff: noqa: F811

import datetime
import re

from django.urls import reverse

from awards.models import AgendaItem, AwardRecord, Nomination, NominationTransition
from awards.services import eligibility
from awards.services.nominations import ACTION_LABELS
from tests.awards.conftest import make_meeting, make_nomination
from tests.awards.test_nominations_fixtures import draft, private_root, ready  # noqa: F401


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


def section(html, testid, end="</table>"):
    """The element marked data-testid=… up to `end`."""
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index(end, start)]


# --- Histories in Vietnamese ----------------------------------------------------------------------


def test_every_move_of_a_nomination_has_a_vietnamese_label():
    assert set(Nomination.WORKFLOW.moves) - set(ACTION_LABELS) == set()


def test_the_history_shows_labels_not_internal_codes(client, head, reviewer, leader, annual_round, forms, own_unit):
    nomination = make_nomination(
        annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit, status=Nomination.Status.APPROVED
    )
    for action, before, after, actor in (
        ("put_on_agenda", "submitted", "on_agenda", reviewer),
        ("recommend", "on_agenda", "recommended", reviewer),
        ("approve", "recommended", "approved", leader),
    ):
        NominationTransition.objects.create(
            nomination=nomination, action=action, from_status=before, to_status=after, actor=actor
        )
    client.force_login(head)
    table = section(client.get(url("nomination_history", nomination.pk)).content.decode(), "history")
    cells = re.findall(r"<td>([^<]*)</td>", table)
    assert "Đưa ra Hội đồng xét" in cells
    assert "Hội đồng đề nghị khen thưởng" in cells
    assert "Lãnh đạo đồng ý khen thưởng" in cells
    assert not {"put_on_agenda", "recommend", "approve", "council_result"} & set(cells)


# --- "Gửi đề nghị" ---------------------------------------------------------------------------------


def test_send_is_disabled_with_the_reasons_the_send_service_would_give(client, head, draft):
    reasons = [problem.message for problem in eligibility.blocking(eligibility.check(draft))]
    assert reasons, "the draft has no summary and no dossier yet"
    client.force_login(head)
    for page in ("nomination_detail", "nomination_edit"):
        html = client.get(url(page, draft.pk)).content.decode()
        assert 'data-testid="send-disabled"' in html
        assert re.search(r'<button type="button" class="btn btn-success" disabled[^>]*>Gửi đề nghị</button>', html)
        assert url("nomination_submit", draft.pk) not in html
        listed = re.findall(r"<li>([^<]*)</li>", section(html, "send-blocked", "</ul>"))
        assert listed == reasons


def test_send_is_active_once_nothing_blocks_it(client, head, ready):
    client.force_login(head)
    html = client.get(url("nomination_detail", ready.pk)).content.decode()
    assert f'action="{url("nomination_submit", ready.pk)}"' in html
    assert 'data-testid="send-blocked"' not in html


# --- The chair's tie-break on the approvals page ---------------------------------------------------


def test_the_approvals_page_says_the_chair_broke_the_tie(client, leader, reviewer, annual_round, council, forms):
    meeting = make_meeting(annual_round, council, created_by=reviewer)
    tied = make_nomination(
        annual_round, forms["tap-the-lao-dong-tien-tien"], unit=reviewer.unit, status=Nomination.Status.RECOMMENDED
    )
    clear = make_nomination(
        annual_round, forms["tap-the-lao-dong-tien-tien"], unit=council[2].user.unit, status="recommended"
    )
    passed = AgendaItem.Outcome.PASSED
    AgendaItem.objects.create(
        meeting=meeting, nomination=tied, position=1, agree=2, disagree=2, chair_casting_vote=True, outcome=passed
    )
    AgendaItem.objects.create(meeting=meeting, nomination=clear, position=2, agree=4, disagree=1, outcome=passed)
    client.force_login(leader)
    html = client.get(url("approvals")).content.decode()
    assert "2/5 đồng ý" in html
    assert "4/5 đồng ý" in html
    assert re.findall(r'data-testid="tie-break">([^<]*)<', html) == [
        "Số phiếu ngang nhau (2–2); Chủ tịch Hội đồng quyết định theo phía đồng ý."
    ]


# --- The public list -------------------------------------------------------------------------------


def test_the_public_list_is_sorted_by_decision_date_then_name(client, plan):
    for name, day in (
        ("Võ Văn Sau", datetime.date(2025, 12, 20)),
        ("Lê Thị Trước", datetime.date(2025, 6, 1)),
        ("Bùi Văn Chưa Ngày", None),
        ("An Thị Cùng Ngày", datetime.date(2025, 12, 20)),
    ):
        AwardRecord.objects.create(
            year=2025,
            form_name="Lao động tiên tiến" if "Sau" in name else "Giấy khen của Giám đốc Sở",
            recipient_kind="individual",
            recipient_name=name,
            unit_name="Phòng Quản lý khoa học",
            decision_number=f"{len(name)}/QĐ-SKHCN",
            decision_date=day,
            source=AwardRecord.Source.IMPORTED,
        )
    html = client.get(reverse("public:awards"), {"nam": 2025}).content.decode()
    table = section(html, "awards-table")
    people = {"Võ Văn Sau", "Lê Thị Trước", "Bùi Văn Chưa Ngày", "An Thị Cùng Ngày"}
    names = [name for name in re.findall(r"<td>([^<]*)</td>", table) if name in people]
    assert names == ["Lê Thị Trước", "An Thị Cùng Ngày", "Võ Văn Sau", "Bùi Văn Chưa Ngày"]
