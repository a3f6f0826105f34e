from django.urls import path

from . import views

app_name = "accountability"
urlpatterns = [
    path("accountability/", views.office, name="office"),
    path("accountability/new/", views.open_case, name="new"),
    path("accountability/<key:number>/", views.case_detail, name="case"),
    path("accountability/<key:number>/document/<int:pk>/", views.document, name="document"),
]
