from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("supervision/alerts/", views.alert_list, name="alerts"),
    path("supervision/urges/", views.urge_list, name="urges"),
    path("supervision/urges/<str:number>/", views.urge_detail, name="urge"),
]
