from reports import services
from reports.models import UnitReport
from tests.reports.conftest import complete


def test_report_goes_from_draft_to_accepted(draft, staff, head, reviewer, levels):
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.SUBMITTED
    services.report_accept(report=draft, actor=reviewer)
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.ACCEPTED
