"""The accountability pages in English: the case list and the form to open a case read in English when
the browser asks for it, with none of the main Chinese headings left."""
import pytest
from django.test import Client


pytestmark = pytest.mark.usefixtures("back_to_the_default_language")


def test_it_shows_the_case_list_and_the_new_case_form_in_english(world):
    client = Client()
    client.force_login(world["people"]["league_supervisor"])
    page = client.get("/accountability/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accountability cases" in page and "Filter" in page
    assert "问责案件" not in page and "筛选" not in page
    form = client.get("/accountability/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Open accountability case" in form and "Unit held accountable" in form
    assert "启动问责" not in form and "被问责单位" not in form
