"""The template builtins of core.templatetags.cw: |zh marks Chinese data inside a page in another
language, {% colon %} is the label separator of the page's language (docs/accessibility.md)."""
from django.template import Context, Template
from django.utils import translation


def render(source, **context):
    return Template(source).render(Context(context))


def assert_reads(source, *, zh, en):
    """`source` reads `zh` on a Chinese page and `en` on an English one."""
    with translation.override("zh-hans"):
        assert render(source) == zh
    with translation.override("en"):
        assert render(source) == en


def test_it_marks_chinese_data_on_an_english_page():
    with translation.override("en"):
        assert render("{{ v|zh }}", v="锡林郭勒盟") == '<span lang="zh-CN">锡林郭勒盟</span>'


def test_it_escapes_the_data_it_marks():
    with translation.override("en"):
        assert render("{{ v|zh }}", v="<b>张三</b>") == '<span lang="zh-CN">&lt;b&gt;张三&lt;/b&gt;</span>'
    with translation.override("zh-hans"):
        assert render("{{ v|zh }}", v="<b>张三</b>") == "&lt;b&gt;张三&lt;/b&gt;"


def test_it_leaves_chinese_pages_and_text_without_chinese_alone():
    with translation.override("zh-hans"):
        assert render("{{ v|zh }}", v="锡林郭勒盟") == "锡林郭勒盟"
    with translation.override("en"):
        assert render("{{ v|zh }}", v="XL-W01") == "XL-W01"
        assert render("{{ v|zh }}", v=None) == ""


def test_it_separates_a_label_in_the_page_language():
    with translation.override("zh-hans"):
        assert render("标题{% colon %}X") == "标题：X"
    with translation.override("en"):
        assert render("Title{% colon %}X") == "Title: X"


def test_it_marks_an_option_whose_label_is_chinese_data():
    with translation.override("en"):
        assert render('<option{{ v|zh_lang }}>{{ v }}</option>', v="锡林浩特市") == '<option lang="zh-CN">锡林浩特市</option>'
        assert render('<option{{ v|zh_lang }}>{{ v }}</option>', v="Graft (吃拿卡要)") == "<option>Graft (吃拿卡要)</option>"
        assert render('<option{{ v|zh_lang }}>{{ v }}</option>', v="2026-11") == "<option>2026-11</option>"
    with translation.override("zh-hans"):
        assert render('<option{{ v|zh_lang }}>{{ v }}</option>', v="锡林浩特市") == "<option>锡林浩特市</option>"


def test_it_joins_a_list_the_page_languages_way():
    with translation.override("zh-hans"):
        assert render("{{ v|join_list }}", v=["承办", "审核"]) == "承办、审核"
    with translation.override("en"):
        assert render("{{ v|join_list }}", v=["Camera name", "Retention (days)"]) == "Camera name, Retention (days)"


def test_it_brackets_an_aside_in_the_page_language():
    with translation.override("zh-hans"):
        assert render("{{ n|zh }}{{ c|paren }}", n="胡海峰", c="H152530-01-W02-1") == "胡海峰（H152530-01-W02-1）"
    with translation.override("en"):
        assert render("{{ n|zh }}{{ c|paren }}", n="胡海峰", c="H152530-01-W02-1") == \
            '<span lang="zh-CN">胡海峰</span> (H152530-01-W02-1)'
        assert render("{{ n|zh|paren }}", n="锡林浩特市") == ' (<span lang="zh-CN">锡林浩特市</span>)'  # marked data kept
        assert render("{{ c|paren }}", c="<b>") == " (&lt;b&gt;)"
        assert render("X{{ c|paren }}", c="") == "X"


def test_it_puts_a_sentences_punctuation_in_the_page_language():
    assert_reads('A{% punct "；" %}B{% punct "，" %}C{% punct "、" %}D', zh="A；B，C、D", en="A; B, C, D")


def test_a_change_row_names_its_actor_by_the_persons_name(db):
    """{{ change|actor }}: the staff name, else the account's full name, else the log-in name; a process
    reads 系统 / 公众 / 投诉人; a deleted user keeps the name written on the row."""
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model

    from core.roles import Role
    from orgs.models import Staff

    users = get_user_model().objects
    staffed = users.create_user("wl01")
    Staff.objects.create(user=staffed, code="S-wl01", name="乌兰", role=Role.SUPERVISOR)
    named = users.create_user("bt02", first_name="特尔", last_name="巴")
    bare = users.create_user("plain03")

    def row(user_id, actor_name):
        return SimpleNamespace(actor_id=user_id, actor_name=actor_name)

    with translation.override("zh-hans"):
        assert render("{% load vocab %}{{ c|actor }}", c=row(staffed.pk, "wl01")) == "乌兰"
        assert render("{% load vocab %}{{ c|actor }}", c=row(named.pk, "bt02")) == "巴特尔"
        assert render("{% load vocab %}{{ c|actor }}", c=row(bare.pk, "plain03")) == "plain03"
        assert render("{% load vocab %}{{ c|actor }}", c=row(None, "system")) == "系统"
        access = SimpleNamespace(user_id=staffed.pk, actor_name="wl01")  # a clip access row keys `user`
        assert render("{% load vocab %}{{ c|actor }}", c=access) == "乌兰"
    with translation.override("en"):
        assert render("{% load vocab %}{{ c|actor }}", c=row(None, "portal")) == "Public"


def test_it_says_due_today_rather_than_0_working_days_left():
    """{{ n|days_left }}: the case clocks and the wall's "likely to breach" list said "剩余 0 个工作日"."""
    assert_reads("{{ 0|days_left }} / {{ 1|days_left }} / {{ 3|days_left }}",
                 zh="今日到期 / 剩余 1 个工作日 / 剩余 3 个工作日",
                 en="Due today / 1 working day left / 3 working days left")


def test_it_says_how_late_rather_than_a_negative_number_of_days_left():
    """The wall's "likely to breach" list said "剩余 -16 个工作日" for a case already late."""
    assert_reads("{{ -1|days_left }} / {{ -16|days_left }}",
                 zh="超期 1 个工作日 / 超期 16 个工作日",
                 en="1 working day late / 16 working days late")


def test_it_says_overdue_on_a_day_off_after_the_due_date():
    """{{ n|days_left:late }}: remaining is 0 on a day off after a due date (no working day has passed)."""
    assert_reads("{{ 0|days_left:True }} / {{ 0|days_left:False }}",
                 zh="已超期 / 今日到期",
                 en="Overdue / Due today")
