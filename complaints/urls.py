from django.urls import path

from .views import analysis, office, public

app_name = "complaints"
urlpatterns = [
    # public
    path("complaints/new/", public.public_new, name="public_new"),
    path("complaints/consult/", public.consult_new, name="consult_new"),
    path("complaints/receipt/", public.receipt, name="receipt"),
    path("complaints/track/", public.track, name="track"),
    path("complaints/track/<key:number>/", public.progress, name="progress"),
    path("complaints/faq/", public.faq, name="faq"),
    # back office
    path("office/complaints/", office.office, name="office"),
    path("office/complaints/new/", office.staff_new, name="staff_new"),
    path("office/complaints/analysis/", analysis.analysis, name="analysis"),
    path("office/complaints/attachments/<int:pk>/", office.attachment, name="attachment"),
    path("office/consultations/", office.consultations, name="consultations"),
    path("office/consultations/<key:number>/", office.consultation, name="consultation"),
    path("office/complaints/<key:number>/", office.detail, name="detail"),
]
