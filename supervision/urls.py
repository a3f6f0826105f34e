from django.urls import path

from . import views, views_centre

app_name = "supervision"
urlpatterns = [
    path("supervision/alerts/", views.alert_list, name="alerts"),
    path("supervision/urges/", views.urge_list, name="urges"),
    path("supervision/urges/attachments/<int:pk>/", views.urge_attachment, name="urge_attachment"),
    path("supervision/urges/<key:number>/", views.urge_detail, name="urge"),
    path("supervision/urges/<key:number>/print/", views.urge_print, name="urge_print"),
    path("supervision/urges/<key:number>/print.pdf", views.urge_print, {"fmt": "pdf"}, name="urge_pdf"),
    path("supervision/centre/", views_centre.dashboard, name="centre"),
    path("supervision/centre/live/", views_centre.live, name="centre_live"),
    path("supervision/centre/wall/", views_centre.wall, name="wall"),
    path("supervision/centre/quality/", views_centre.quality, name="quality"),
    path("supervision/centre/quality/contests/<int:pk>/", views_centre.contest_decide, name="contest"),
    path("supervision/departments/<key:code>/", views_centre.department, name="department"),
    path("supervision/cases/", views_centre.case_search, name="cases"),
    path("supervision/cases/<key:case_no>/", views_centre.case_detail, name="case"),
    path("supervision/cases/<key:case_no>/replay/", views_centre.case_replay, name="case_replay"),
]
