from django.urls import path

from .views import kiosk, office, public

app_name = "evaluations"
urlpatterns = [
    path("evaluations/", public.public_new, name="public_new"),
    path("evaluations/rate/", public.public_rate, name="public_rate"),
    path("evaluations/satisfaction/", public.public_stats, name="public_stats"),
    path("evaluations/kiosk/", kiosk.kiosk, name="kiosk"),
    path("evaluations/kiosk/rate/", kiosk.kiosk_rate, name="kiosk_rate"),
    path("office/evaluations/", office.office, name="office"),
    path("office/evaluations/ratings/", office.rating_list, name="ratings"),
    path("office/evaluations/ratings/<key:number>/", office.rating_detail, name="rating"),
    path("office/evaluations/statistics/", office.statistics, name="statistics"),
    path("office/evaluations/devices/", office.devices, name="devices"),
    path("office/evaluations/signals/", office.signals, name="signals"),
]
