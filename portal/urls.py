from django.urls import path

from . import track, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("guide/", views.item_list, name="item_list"),
    path("guide/<key:code>/", views.item_detail, name="item_detail"),
    path("track/", track.track, name="track"),
]
