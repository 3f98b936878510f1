"""The unit's "Việc cần làm": what it owes (overdue first), within the window, without history periods."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from campaign.models import ReportingPeriod
from reports import services
from reports.selectors import TODO_WINDOW_DAYS, unit_todo
from tests.reports.conftest import complete


def owed_rows(client):
    """(period label, time left) of each row of the owed table, in order."""
    body = client.get(reverse("reports:todo")).content.decode()
    table = body[
        body.index('data-testid="owed-table"') : body.index("</table>", body.index('data-testid="owed-table"'))
    ]
    rows = re.findall(r"<td>([^<]+)</td>\s*<td>[^<]+</td>\s*<td>\s*(.*?)\s*</td>", table, re.DOTALL)
    return [(label, re.sub(r"<[^>]+>", "", left).strip()) for label, left in rows]


def due_in(code, days):
    """Move a period so that it has started and is due in `days` days."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.get(code=code)
    period.start = today - datetime.timedelta(days=30)
    period.unit_due_date = today + datetime.timedelta(days=days)
    period.end = period.unit_due_date
    period.data_cutoff = period.unit_due_date
    period.department_due_date = period.unit_due_date
    period.save()
    return period


def test_overdue_reports_come_first_then_the_nearest_due(client, staff, open_period, earlier_period):
    client.force_login(staff)
    rows = owed_rows(client)
    overdue = [left for _, left in rows if left.startswith("Quá hạn")]
    assert [left for _, left in rows[: len(overdue)]] == overdue
    days = [int(re.search(r"\d+", left).group()) for left in overdue]
    assert days == sorted(days, reverse=True)  # the most overdue at the top
    assert rows[len(overdue)] == (open_period.label, "Còn 10 ngày")
    assert (earlier_period.label, "Quá hạn 200 ngày") in rows


def test_history_periods_are_not_owed(client, staff, open_period):
    # The portal started 800 days ago: the first half of 2024 ended before it, the year 2024 after.
    client.force_login(staff)
    labels = [label for label, _ in owed_rows(client)]
    assert "6 tháng đầu năm 2024" not in labels
    assert "Năm 2024" in labels


def test_a_period_due_more_than_the_window_ahead_is_listed_only_once_its_report_exists(
    client, staff, own_unit, open_period
):
    far = due_in("2026-H1", TODO_WINDOW_DAYS + 1)
    near = due_in("2026-2030", TODO_WINDOW_DAYS)
    client.force_login(staff)
    labels = [label for label, _ in owed_rows(client)]
    assert far.label not in labels
    assert near.label in labels
    services.report_start(unit=own_unit, period=far, actor=staff)
    assert far.label in [label for label, _ in owed_rows(client)]


def test_a_period_not_yet_started_is_not_listed(staff, own_unit, open_period):
    later = ReportingPeriod.objects.get(code="2027-H1")
    owed, done = unit_todo(own_unit)
    assert later not in [item.period for item in owed + done]


def test_a_submitted_report_moves_to_the_done_list(client, submitted, staff, open_period):
    owed, done = unit_todo(staff.unit)
    assert open_period not in [item.period for item in owed]
    assert [item.report for item in done] == [submitted]
    client.force_login(staff)
    body = client.get(reverse("reports:todo")).content.decode()
    assert f'href="{submitted.get_absolute_url()}">Xem</a>' in body


def test_a_returned_report_is_owed_again(submitted, reviewer, staff, open_period):
    services.report_return(report=submitted, actor=reviewer, reason="Bổ sung.")
    owed, _ = unit_todo(staff.unit)
    assert [item.status for item in owed if item.period == open_period] == ["returned"]


def test_an_overdue_draft_stays_at_the_top_until_submitted(client, staff, head, own_unit, earlier_period, levels):
    report = services.report_start(unit=own_unit, period=earlier_period, actor=staff)
    owed, _ = unit_todo(own_unit)
    assert owed[0].is_overdue
    assert earlier_period in [item.period for item in owed if item.is_overdue]
    services.report_submit(report=complete(report, staff, levels), actor=head)
    owed, done = unit_todo(own_unit)
    assert earlier_period not in [item.period for item in owed]
    assert earlier_period in [item.period for item in done]


def test_the_todo_page_offers_to_start_a_missing_report(client, staff, open_period):
    client.force_login(staff)
    body = client.get(reverse("reports:todo")).content.decode()
    assert f'action="{reverse("reports:start", args=[open_period.code])}"' in body


def test_someone_outside_a_reporting_unit_is_told_so(client, leader, open_period):
    client.force_login(leader)
    body = client.get(reverse("reports:todo")).content.decode()
    assert "Tài khoản của bạn không thuộc đơn vị nào phải nộp báo cáo." in body
