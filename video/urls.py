from django.urls import path

from . import views

app_name = "video"
urlpatterns = [
    path("video/", views.wall, name="wall"),
    path("video/watch/", views.watch, name="watch"),
    path("video/points/", views.points, name="points"),
    path("video/points/new/", views.point_new, name="point_new"),
    path("video/points/<key:code>/", views.point, name="point"),
    path("video/points/<key:code>/test/", views.point_test, name="point_test"),
    path("video/points/<key:code>/active/", views.point_active, name="point_active"),
    path("video/cameras/<key:code>/", views.camera, name="camera"),
    path("video/cameras/<key:code>/seal/", views.seal, name="seal"),
    path("video/cameras/<key:code>/observe/", views.observe, name="observe"),
    path("video/cameras/<key:code>/media/live.m3u8", views.live, name="live"),
    path("video/cameras/<key:code>/media/vod.m3u8", views.vod, name="vod"),
    path("video/cameras/<key:code>/media/<str:day>/<str:name>", views.segment_file, name="segment"),
    path("video/clips/<uuid:pk>/", views.clip, name="clip"),
    path("video/clips/<uuid:pk>/file", views.clip_file, name="clip_file"),
    path("video/observations/", views.observation_list, name="observations"),
    path("video/observations/<key:number>/", views.observation, name="observation"),
]
