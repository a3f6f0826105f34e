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


@pytest.mark.django_db
def test_it_marks_chinese_data_on_the_english_admin_pages(client, world, calendar_seeded):
    """Names of regions, departments, windows, staff, items and holidays are data: on the English admin
    each list row's cell and filter choice, and a record's breadcrumb and heading, holding them is marked
    lang="zh-CN" (WCAG 3.1.2), so a screen reader switches voice; a weekday reads "Thursday", never
    "Weekday四". (A record's change form: the next test.)"""
    from django.urls import reverse

    from core.testing.a11y import unmarked_chinese_html

    get_user_model().objects.create_superuser("root", password="pw-12345")
    client.force_login(get_user_model().objects.get(username="root"))
    client.cookies["django_language"] = "en"
    problems = {}
    for model in admin.site._registry:
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = client.get(path)
        assert response.status_code == 200, path
        found = unmarked_chinese_html(response.content.decode())
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
    days = client.get(reverse("admin:workdays_calendarday_changelist")).content.decode()
    assert re.search(r">(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)</td>", days)
    depts = client.get(reverse("admin:orgs_department_changelist")).content.decode()
    assert re.search(r'<td lang="zh-CN" class="field-name">', depts)
    from orgs.models import Department

    dept = Department.objects.order_by("pk").first()
    page = client.get(reverse("admin:orgs_department_change", args=[dept.pk])).content.decode()
    assert f'<h2><span lang="zh-CN">{dept.name}</span></h2>' in page
    assert f'&rsaquo; <span lang="zh-CN">{dept.name}</span>' in page


@pytest.mark.django_db
def test_it_marks_chinese_data_in_the_english_admin_change_forms(client, world, calendar_seeded):
    """A record's change form in English: its read-only values, an inline row's name and read-only values
    (a scheme's indicators), the Chinese values of its text fields and text areas and the Chinese labels of its
    <select> options are marked lang="zh-CN", so a screen reader reads 锡林郭勒盟 with a Chinese voice;
    the user form's permissions read "… | Can add …" in English, never "… | Can add 告警"."""
    from django.urls import reverse

    from core.testing.a11y import unmarked_chinese_html

    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    client.force_login(root)
    client.cookies["django_language"] = "en"
    problems, seen = {}, 0
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        path = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        page = client.get(path).content.decode()
        seen += 1
        found = unmarked_chinese_html(page)
        # a field's value that is Chinese text (a code before it, "ITEM-01 测试事项", reads as English: |zh_lang)
        found += [tag[:80] for tag in re.findall(r"<(?:input|textarea)\b[^>]*>", page)
                  if re.search(r'value="[^"A-Za-z\u3400-\u9fff]*[\u3400-\u9fff]', tag) and ' lang="zh-CN"' not in tag]
        if found:
            problems[path] = found
    assert seen >= 10
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())

    from orgs.models import Department
    from performance.models import Scheme

    dept = Department.objects.order_by("pk").first()
    page = client.get(reverse("admin:orgs_department_change", args=[dept.pk])).content.decode()
    assert f'value="{dept.name}" lang="zh-CN"' in page
    scheme = client.get(reverse("admin:performance_scheme_change", args=[Scheme.objects.first().pk])).content.decode()
    assert re.search(r'<td class="original">\s*<p>\s*<span lang="zh-CN">[A-Z_]+ [\u3400-\u9fff]', scheme)
    user = client.get(reverse("admin:auth_user_change", args=[root.pk])).content.decode()
    options = re.findall(r"<option [^>]*>([^<]*\| [^<]*)</option>", user)
    assert len(options) > 100 and any(" | Can add " in o for o in options)
    assert [o for o in options if HAN.search(o)] == []


@pytest.mark.django_db
def test_it_names_permissions_in_the_readers_language(client):
    """Django stores "Can add 告警" once, at migrate: the Chinese user and group forms showed English words,
    the English ones Chinese data. Each form lists every permission in the page's language."""
    from django.urls import reverse

    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    client.force_login(root)
    for path in (reverse("admin:auth_user_change", args=[root.pk]), reverse("admin:auth_group_add")):
        page = client.get(path).content.decode()
        options = re.findall(r"<option [^>]*>([^<]*\| [^<]*)</option>", page)
        assert len(options) > 100
        assert [o for o in options if "Can " in o] == [], path
        assert any(o.endswith(" | 告警 | 可以添加告警") for o in options), path
        assert [o for o in options if re.search(r"\| [A-Za-z ]+ \|", o)] == [], path  # a model without a Chinese name
        assert any(o.endswith(" | 账本区块 | 可以查看账本区块") for o in options), path


def test_it_names_every_admin_app_and_model_in_chinese_too():
    """The Chinese admin had a section "AXES" with "Access attempts", "Access failures", "Access logs"
    (django-axes ships no Chinese), and the staff list's columns CENTRE, DEPARTMENT, WINDOW: every app
    and model the admin shows, and every field and column of our own models, has a Chinese name."""
    from django.apps import apps

    with translation.override("zh-hans"):
        latin = [(m._meta.label, str(text)) for m in admin.site._registry
                 for text in (apps.get_app_config(m._meta.app_label).verbose_name, m._meta.verbose_name_plural)
                 if not HAN.search(str(text))]
        # the columns and fields of our own models: "CENTRE", "DEPARTMENT", "WINDOW" headed the staff list
        latin += [(m._meta.label, what, str(text)) for m, ma in admin.site._registry.items()
                  if m._meta.app_label not in ("auth", "axes") for what, text in labels_of(m, ma)
                  if what not in ("app", "model", "models", "id") and " help" not in what and " choice" not in what
                  and not HAN.search(str(text))]
    assert latin == []
