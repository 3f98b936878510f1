"""The reports' entries in the portal's menu and on the home page (portal.navigation)."""

from portal.health import register_jobs_banner_audience
from portal.navigation import add_home_panel, add_menu_item

from . import permissions

REPORTS = ("Báo cáo", 10)


def register():
    add_menu_item(
        order=10, url_name="reports:todo", label="Việc cần làm", visible=permissions.can_see_todo, group=REPORTS
    )
    add_menu_item(
        order=20,
        url_name="reports:matrix",
        label="Theo dõi báo cáo",
        visible=permissions.can_see_matrix,
        group=REPORTS,
        # A unit's report as the office and leadership reach it, from the matrix: its page, its history, its
        # changes since the last submission and the review; and the import of past periods' reports, linked
        # from the matrix (all under /reports/, which is the unit's to-do list).
        owns=("reports:detail", "reports:history", "reports:changes", "reports:review", "/reports/history/"),
    )
    add_menu_item(
        order=30,
        url_name="reports:consolidated_list",
        label="Báo cáo tổng hợp",
        visible=permissions.can_see_consolidated,
        group=REPORTS,
    )
    add_home_panel(order=10, template="reports/home/unit_card.html", visible=permissions.can_see_todo)
    add_home_panel(order=20, template="reports/home/office_card.html", visible=permissions.is_office)
    # The office runs the background jobs (compile, documents): it is told when they wait.
    register_jobs_banner_audience(permissions.is_office)
