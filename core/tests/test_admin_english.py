"""The admin in the English edition (issue 19): every app, model and field name, help text, choice,
column, action and fieldset of the models the admin shows has English; the admin's index reads in
English. Data (names of regions, departments …) stays as entered and is not part of this check."""
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import translation

HAN = re.compile(r"[\u3400-\u9fff]")


def labels_of(model, model_admin):
    from django.apps import apps

    meta = model._meta
    yield "app", apps.get_app_config(meta.app_label).verbose_name
    yield "model", meta.verbose_name
    yield "models", meta.verbose_name_plural
    for f in meta.get_fields():
        if hasattr(f, "verbose_name"):
            yield f.name, f.verbose_name
        if getattr(f, "help_text", ""):
            yield f"{f.name} help", f.help_text
        for _, label in getattr(f, "choices", None) or []:
            yield f"{f.name} choice", label
    for name in [*model_admin.list_display, *getattr(model_admin, "readonly_fields", ())]:
        fn = name if callable(name) else getattr(model_admin, name, None)
        if getattr(fn, "short_description", None):
            yield f"column {name}", fn.short_description
    for action in model_admin.actions or ():
        fn = action if callable(action) else getattr(model_admin, action, None)
        if getattr(fn, "short_description", None):
            yield f"action {action}", fn.short_description
    for title, _ in model_admin.fieldsets or ():
        if title:
            yield "fieldset", title


def test_it_names_every_admin_model_and_field_in_english():
    with translation.override("en"):
        chinese = [(m._meta.label, what, str(text)) for m, ma in admin.site._registry.items()
                   for what, text in labels_of(m, ma) if HAN.search(str(text))]
    assert chinese == []


@pytest.mark.django_db
def test_it_shows_the_admin_index_in_english(client):
    get_user_model().objects.create_superuser("root", password="pw-12345")
    client.force_login(get_user_model().objects.get(username="root"))
    client.cookies["django_language"] = "en"
    page = client.get("/admin/").content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S))
    assert "Site administration" in page or "administration" in text.lower()
    assert HAN.findall(text) == []
