"""The printable 督办单 (A4 page and PDF) and the files a department sends with its answer."""
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alerts.models import Alert
from core.models import AuditEntry
from core.pdf import chromium
from supervision.models import Urge, UrgeAttachment

from .test_urges import late_case, urge_via_api  # noqa: F401  (fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture
def urge(client, late_case, people):  # noqa: F811
    ids = list(Alert.objects.filter(subject_key="XL-LATE", rule__in=["OVERDUE", "LEGAL_OVERDUE"])
               .values_list("pk", flat=True))
    number = urge_via_api(client, people["county_supervisor"], ids, demand="请于期限内说明超期原因并整改").json()[0]["number"]
    return Urge.objects.get(number=number)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S))


def answer(client, user, urge, text="已查明原因，已整改", files=()):
    client.force_login(user)
    return client.post(f"/supervision/urges/{urge.number}/", {"action": "answer", "text": text,
                                                               "attachments": list(files)})


def test_it_prints_the_urge_on_an_a4_page_in_words(client, urge, people):
    client.force_login(people["county_supervisor"])
    response = client.get(f"/supervision/urges/{urge.number}/print/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "size: A4" in html
    text = text_of(html)
    for words in (urge.number, urge.centre.name, urge.department.name, urge.deadline.strftime("%Y-%m-%d"),
                  "超承诺时限", "超法定时限", "黄牌", "红牌", "办件 XL-LATE", "请于期限内说明超期原因并整改",
                  "签发人", "签收人", "盖章处", "督办单位（盖章）", "被督办单位签收（盖章）"):
        assert words in text, words
    for code in ("OVERDUE", "LEGAL_OVERDUE", "yellow", "issued"):
        assert not re.search(rf"\b{code}\b", text), code


def test_it_prints_the_urge_in_english_for_an_english_reader(client, urge, people):
    client.force_login(people["county_supervisor"])
    client.cookies["django_language"] = "en"
    text = text_of(client.get(f"/supervision/urges/{urge.number}/print/").content.decode())
    for words in ("Supervision Order", "Issued by", "Answer by", "Signed by", "Seal", "Past promised limit", "Case XL-LATE"):
        assert words in text, words


def test_it_makes_a_one_page_pdf_of_the_answered_urge(client, urge, people, settings, tmp_path):
    if not Path(chromium()).exists():
        pytest.skip("Chromium is not installed")
    settings.MEDIA_ROOT = tmp_path
    answer(client, people["manager"], urge, text="经查，该件因材料流转延误超期，已于当日办结，并对承办人进行批评教育。",
           files=[SimpleUploadedFile("整改报告.pdf", PDF, "application/pdf")])
    response = client.get(f"/supervision/urges/{urge.number}/print.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", response.content)) == 1


def test_it_shows_the_printable_urge_only_to_those_who_see_the_urge(client, urge, people):
    for who in ("other_manager", "other_supervisor"):
        client.force_login(people[who])
        assert client.get(f"/supervision/urges/{urge.number}/print/").status_code == 404
        assert client.get(f"/supervision/urges/{urge.number}/print.pdf").status_code == 404


def test_it_keeps_the_files_sent_with_an_answer_for_the_centre_and_the_department(client, urge, people, settings,
                                                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = answer(client, people["manager"], urge, files=[
        SimpleUploadedFile("整改照片.png", PNG, "image/png"), SimpleUploadedFile("整改报告.pdf", PDF, "application/pdf")])
    assert response.status_code == 302
    urge.refresh_from_db()
    assert urge.status == "answered"
    files = list(UrgeAttachment.objects.filter(urge=urge).order_by("pk"))
    assert [(f.original_name, f.content_type) for f in files] == [("整改照片.png", "image/png"),
                                                                 ("整改报告.pdf", "application/pdf")]
    for who in ("county_supervisor", "league_supervisor", "manager"):
        client.force_login(people[who])
        page = client.get(f"/supervision/urges/{urge.number}/").content.decode()
        assert "整改照片.png" in page and "整改报告.pdf" in page
        got = client.get(f"/supervision/urges/attachments/{files[0].pk}/")
        assert got.status_code == 200 and b"".join(got.streaming_content) == PNG
        assert got["Content-Security-Policy"] == "sandbox" and "attachment" in got["Content-Disposition"]
    assert AuditEntry.objects.filter(action="urge.attachment.download", object_id=urge.number).count() == 3
    for who in ("other_manager", "other_supervisor"):
        client.force_login(people[who])
        assert client.get(f"/supervision/urges/attachments/{files[0].pk}/").status_code == 404
    client.force_login(people["county_supervisor"])
    assert "整改照片.png" in text_of(client.get(f"/supervision/urges/{urge.number}/print/").content.decode())


def test_it_refuses_a_disguised_file_as_the_complaint_forms_do_and_keeps_the_answer_typed(client, urge, people,
                                                                                          settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = answer(client, people["manager"], urge, text="原因已查明，正在整改",
                      files=[SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", "image/png")])
    assert response.status_code == 400
    html = response.content.decode()
    assert "附件“photo.png”不是 JPG、PNG、GIF、WebP 图片或 PDF 文件" in html
    assert "原因已查明，正在整改" in html
    urge.refresh_from_db()
    assert urge.status == "issued" and not UrgeAttachment.objects.exists()


def test_it_refuses_more_files_than_the_complaint_forms_allow(client, urge, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = [SimpleUploadedFile(f"p{i}.png", PNG, "image/png") for i in range(4)]
    response = answer(client, people["manager"], urge, files=files)
    assert response.status_code == 400 and "最多上传 3 个附件" in response.content.decode()
    urge.refresh_from_db()
    assert urge.status == "issued"


def test_the_english_urge_page_marks_the_names_in_its_history(client, urge, people):
    """"2026-12-03 10:24 · 孟和 · — → Urged": the person who acted is Chinese data on an English page, marked
    lang="zh-CN" like every other name (docs/accessibility.md)."""
    from orgs.models import Staff

    from core.testing.a11y import unmarked_chinese_html

    Staff.objects.filter(user=people["county_supervisor"]).update(name="孟和")
    client.force_login(people["county_supervisor"])
    client.cookies["django_language"] = "en"
    html = client.get(f"/supervision/urges/{urge.number}/").content.decode()
    assert '<span lang="zh-CN">孟和</span>' in html
    assert unmarked_chinese_html(html) == []
