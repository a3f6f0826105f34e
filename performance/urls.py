from django.urls import path

from .views import office, public, stats

app_name = "performance"
urlpatterns = [
    path("performance/", public.public, name="public"),
    path("performance/month/<str:month>.xlsx", public.month_xlsx, name="month_xlsx"),
    path("performance/bulletin/<int:year>/q<int:quarter>/", public.bulletin, name="bulletin"),
    path("performance/bulletin/<int:year>/q<int:quarter>.<str:fmt>", public.bulletin, name="bulletin_file"),
    path("performance/year/<int:year>/", public.year_evaluation, name="year"),
    path("performance/year/<int:year>.<str:fmt>", public.year_evaluation, name="year_file"),
    path("performance/stats/", stats.page, name="stats"),
    path("performance/opendata.<str:fmt>", stats.open_data, name="open_data"),
    path("office/performance/", office.office, name="office"),
    path("office/performance/preview/<int:year>/q<int:quarter>/", office.preview, name="preview_bulletin"),
    path("office/performance/preview/<int:year>/", office.preview, name="preview_year"),
    path("office/performance/score/<int:pk>/", office.score_detail, name="score"),
    path("office/performance/line/<int:pk>/", office.line_evidence, name="evidence"),
    path("office/performance/<str:month>/", office.period_detail, name="period"),
    path("office/performance/<str:month>/<slug:action>/", office.act, name="act"),
]
