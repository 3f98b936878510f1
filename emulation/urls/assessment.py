"""The assessment pages of the emulation year."""

from django.urls import path

from ..views import assessment as views

urlpatterns = [
    path("<int:year>/binh-xet/", views.assessment_list, name="assessments"),
    path("<int:year>/binh-xet/bat-dau/", views.assessment_start, name="assessment_start"),
    path("binh-xet/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("binh-xet/<int:pk>/sua/", views.assessment_edit, name="assessment_edit"),
    path("binh-xet/<int:pk>/bien-ban/lap/", views.assessment_generate_minutes, name="assessment_generate_minutes"),
    path("binh-xet/<int:pk>/bien-ban.pdf", views.assessment_minutes, name="assessment_minutes"),
    path("binh-xet/<int:pk>/bien-ban.docx", views.assessment_minutes_docx, name="assessment_minutes_docx"),
    path("binh-xet/<int:pk>/gui/", views.assessment_submit, name="assessment_submit"),
    path("binh-xet/<int:pk>/tra-lai/", views.assessment_return, name="assessment_return"),
    path("binh-xet/<int:pk>/xac-nhan/", views.assessment_confirm, name="assessment_confirm"),
]
