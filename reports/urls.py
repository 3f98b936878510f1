from django.urls import path

from . import consolidated_views, history_views, outline_views, views

app_name = "reports"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("start/<str:period_code>/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/changes/", views.changes, name="changes"),
    path("<int:pk>/results/<int:result_pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/return/", views.return_report, name="return"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix.xlsx", views.matrix_xlsx, name="matrix_xlsx"),
    path("indicators.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    # A past period's reports brought in from a spreadsheet by the office.
    path("history/", history_views.history_import, name="history_import"),
    path("history/apply/", history_views.history_apply, name="history_apply"),
    path("history/<str:period_code>/template.xlsx", history_views.history_template, name="history_template"),
    path("history/files/<int:pk>/", history_views.history_source, name="history_source"),
    # A unit report as an official document.
    path("<int:pk>/document.pdf", consolidated_views.unit_pdf, name="unit_pdf"),
    path("<int:pk>/document.docx", consolidated_views.unit_docx, name="unit_docx"),
    # The consolidated report: the office compiles, edits and issues; leadership approves.
    path("consolidated/", consolidated_views.consolidated_list, name="consolidated_list"),
    # The outline each kind of period compiles to: the office adapts it, leadership reads it.
    path("consolidated/outline/", outline_views.consolidated_outline_list, name="consolidated_outline_list"),
    path("consolidated/outline/<str:kind>/", outline_views.consolidated_outline_edit, name="consolidated_outline_edit"),
    path(
        "consolidated/compile/<str:period_code>/", consolidated_views.consolidated_request, name="consolidated_request"
    ),
    path("consolidated/<int:pk>/", consolidated_views.consolidated_detail, name="consolidated_detail"),
    path("consolidated/<int:pk>/status/", consolidated_views.consolidated_status, name="consolidated_status"),
    path("consolidated/<int:pk>/edit/", consolidated_views.consolidated_edit, name="consolidated_edit"),
    path("consolidated/<int:pk>/send/", consolidated_views.consolidated_send, name="consolidated_send"),
    path(
        "consolidated/<int:pk>/proposals/classify/",
        consolidated_views.consolidated_classify,
        name="consolidated_classify",
    ),
    path("consolidated/<int:pk>/internal/", consolidated_views.consolidated_internal, name="consolidated_internal"),
    path("consolidated/<int:pk>/approve/", consolidated_views.consolidated_approve, name="consolidated_approve"),
    path("consolidated/<int:pk>/return/", consolidated_views.consolidated_return, name="consolidated_return"),
    path(
        "consolidated/<int:pk>/issue/register/",
        consolidated_views.consolidated_issue_register,
        name="consolidated_issue_register",
    ),
    path(
        "consolidated/<int:pk>/issue/clerk/",
        consolidated_views.consolidated_issue_clerk,
        name="consolidated_issue_clerk",
    ),
    path("consolidated/<int:pk>/sent/", consolidated_views.consolidated_mark_sent, name="consolidated_mark_sent"),
    path("consolidated/<int:pk>.pdf", consolidated_views.consolidated_pdf, name="consolidated_pdf"),
    path("consolidated/<int:pk>.docx", consolidated_views.consolidated_docx, name="consolidated_docx"),
    path("consolidated/<int:pk>.xlsx", consolidated_views.consolidated_xlsx, name="consolidated_xlsx"),
]
