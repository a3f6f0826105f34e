from django.urls import path

from . import stats, views

app_name = "performance"
urlpatterns = [
    path("performance/", views.public, name="public"),
    path("performance/month/<str:month>.xlsx", views.month_xlsx, name="month_xlsx"),
    path("performance/bulletin/<int:year>/q<int:quarter>/", views.bulletin, name="bulletin"),
    path("performance/bulletin/<int:year>/q<int:quarter>.<str:fmt>", views.bulletin, name="bulletin_file"),
    path("performance/year/<int:year>/", views.year_evaluation, name="year"),
    path("performance/year/<int:year>.<str:fmt>", views.year_evaluation, name="year_file"),
    path("performance/stats/", stats.page, name="stats"),
    path("performance/opendata.<str:fmt>", stats.open_data, name="open_data"),
    path("office/performance/", views.office, name="office"),
    path("office/performance/preview/<int:year>/q<int:quarter>/", views.preview, name="preview_bulletin"),
    path("office/performance/preview/<int:year>/", views.preview, name="preview_year"),
    path("office/performance/score/<int:pk>/", views.score_detail, name="score"),
    path("office/performance/line/<int:pk>/", views.line_evidence, name="evidence"),
    path("office/performance/<str:month>/", views.period_detail, name="period"),
    path("office/performance/<str:month>/<slug:action>/", views.act, name="act"),
]
