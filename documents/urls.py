from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("so-van-ban-di/", views.register_list, name="register"),
    path("tep-van-ban/<slug:kind>/<int:pk>/trang-thai/", views.stored_status, name="stored_status"),
    path("tep-van-ban/<slug:kind>/<int:pk>/tao/", views.stored_request, name="stored_request"),
]
