import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_offers_a_log_in_link_to_the_public(client, catalog):
    html = client.get(reverse("portal:index")).content.decode()
    assert reverse("login") in html and "退出登录" not in html


def test_it_logs_out_with_a_post_form(client, catalog):
    user = User.objects.create_user("wang", password="pw-123456")
    client.force_login(user)
    html = client.get(reverse("portal:index")).content.decode()
    form = html.split(f'action="{reverse("logout")}"')[1].split("</form>")[0]
    assert 'method="post"' in html.split(f'action="{reverse("logout")}"')[1][:30]
    assert "csrfmiddlewaretoken" in form and "退出登录" in form
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_it_names_the_supervision_centre_and_its_hotline(client, catalog):
    html = client.get(reverse("portal:index")).content.decode()
    footer = html.split('class="footer"')[1]
    assert "锡林郭勒盟行政效能电子监察监控中心" in footer and "0479-8273105" in footer


def test_it_renders_the_frame_on_an_empty_database(client, db):
    html = client.get(reverse("portal:index")).content.decode()
    assert "行政效能电子监察系统" in html and "监督电话" not in html
