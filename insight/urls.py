from django.urls import path

from . import views, views_time

app_name = "insight"
urlpatterns = [
    path("supervision/likely/", views.likely, name="likely"),
    path("insight/time/", views_time.time_goes, name="time"),
    path("insight/time/steps/", views_time.cell_steps, name="cell"),
    path("insight/variants/", views_time.variants, name="variants"),
]
