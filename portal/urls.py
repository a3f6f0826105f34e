from django.urls import path

from .views import public, track

app_name = "portal"
urlpatterns = [
    path("", public.index, name="index"),
    path("guide/", public.item_list, name="item_list"),
    path("guide/<key:code>/", public.item_detail, name="item_detail"),
    path("track/", track.track, name="track"),
]
