from django.urls import path

from .views import centre, office

app_name = "supervision"
urlpatterns = [
    path("supervision/alerts/", office.alert_list, name="alerts"),
    path("supervision/urges/", office.urge_list, name="urges"),
    path("supervision/urges/attachments/<int:pk>/", office.urge_attachment, name="urge_attachment"),
    path("supervision/urges/<key:number>/", office.urge_detail, name="urge"),
    path("supervision/urges/<key:number>/print/", office.urge_print, name="urge_print"),
    path("supervision/urges/<key:number>/print.pdf", office.urge_print, {"fmt": "pdf"}, name="urge_pdf"),
    path("supervision/centre/", centre.dashboard, name="centre"),
    path("supervision/centre/live/", centre.live, name="centre_live"),
    path("supervision/centre/wall/", centre.wall, name="wall"),
    path("supervision/centre/quality/", centre.quality, name="quality"),
    path("supervision/centre/quality/contests/<int:pk>/", centre.contest_decide, name="contest"),
    path("supervision/departments/<key:code>/", centre.department, name="department"),
    path("supervision/cases/", centre.case_search, name="cases"),
    path("supervision/cases/<key:case_no>/", centre.case_detail, name="case"),
    path("supervision/cases/<key:case_no>/replay/", centre.case_replay, name="case_replay"),
]
