"""The scoring pages of the emulation year: schemes, scores, explanations, rankings (per year and per phase)."""

from django.urls import path

from ..views import scoring

urlpatterns = [
    path("<int:year>/cham-diem/", scoring.scheme_list, name="scheme_list"),
    path("<int:year>/cham-diem/tao/", scoring.scheme_create, name="scheme_create"),
    path("cham-diem/<int:pk>/", scoring.scheme_detail, name="scheme_detail"),
    path("cham-diem/<int:pk>/sua/", scoring.scheme_edit, name="scheme_edit"),
    path("cham-diem/<int:pk>/tinh-diem/", scoring.scheme_compute, name="scheme_compute"),
    path("cham-diem/<int:pk>/cong-bo/", scoring.scheme_publish, name="scheme_publish"),
    path("cham-diem/<int:pk>/hoi-dong/", scoring.scheme_review, name="scheme_review"),
    path("cham-diem/<int:pk>/xac-nhan/", scoring.scheme_confirm, name="scheme_confirm"),
    path("diem/<int:pk>/", scoring.score_detail, name="score_detail"),
    path("diem/<int:pk>/cham/", scoring.score_office, name="score_office"),
    path("diem/<int:pk>/giai-trinh/", scoring.score_explain, name="score_explain"),
    path("<int:year>/xep-hang/", scoring.ranking, name="ranking"),
    path("<int:year>/xep-hang/xlsx/", scoring.ranking_xlsx, name="ranking_xlsx"),
    path("giai-doan/<int:number>/xep-hang/", scoring.phase_ranking, name="phase_ranking"),
    path("giai-doan/<int:number>/xep-hang/xlsx/", scoring.phase_ranking_xlsx, name="phase_ranking_xlsx"),
]
