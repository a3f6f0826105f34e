from django.urls import path

from .views import office, where

app_name = "insight"
urlpatterns = [
    path("supervision/likely/", office.likely, name="likely"),
    path("insight/time/", where.time_goes, name="time"),
    path("insight/time/steps/", where.cell_steps, name="cell"),
    path("insight/variants/", where.variants, name="variants"),
]
