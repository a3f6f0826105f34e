from django.urls import path

from . import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("home/", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
]
