from django.urls import path

from . import views

app_name = "insight"
urlpatterns = [
    path("supervision/likely/", views.likely, name="likely"),
]
