from django.urls import path

from . import views

app_name = "campaign"

urlpatterns = [
    path("van-ban-can-cu/", views.cited_documents, name="cited_documents"),
    path("van-ban-can-cu/them/", views.cited_document_add, name="cited_document_add"),
    path("van-ban-can-cu/<int:pk>/", views.cited_document_edit, name="cited_document_edit"),
    path("van-ban-can-cu/<int:pk>/xoa/", views.cited_document_delete, name="cited_document_delete"),
]
