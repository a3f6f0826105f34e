from django.urls import path

from . import views_analysis, views_office, views_public

app_name = "complaints"
urlpatterns = [
    # public
    path("complaints/new/", views_public.public_new, name="public_new"),
    path("complaints/consult/", views_public.consult_new, name="consult_new"),
    path("complaints/receipt/", views_public.receipt, name="receipt"),
    path("complaints/track/", views_public.track, name="track"),
    path("complaints/track/<key:number>/", views_public.progress, name="progress"),
    path("complaints/faq/", views_public.faq, name="faq"),
    # back office
    path("office/complaints/", views_office.office, name="office"),
    path("office/complaints/new/", views_office.staff_new, name="staff_new"),
    path("office/complaints/analysis/", views_analysis.analysis, name="analysis"),
    path("office/complaints/attachments/<int:pk>/", views_office.attachment, name="attachment"),
    path("office/consultations/", views_office.consultations, name="consultations"),
    path("office/consultations/<key:number>/", views_office.consultation, name="consultation"),
    path("office/complaints/<key:number>/", views_office.detail, name="detail"),
]
