"""The public portal: filing with attachments, abuse protection, tracking, rating, inert text."""
import re

import pytest
from django.urls import reverse

from complaints.intake import new_token
from complaints.models import Attachment, Complaint, ComplainantIdentity, IntakeHit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"


def form(org, **extra):
    data = {"category": "delay", "department": org["dept"].pk, "subject": "办件拖延", "content": "营业执照变更等了一个月没有结果。",
            "name": "王秀英", "phone": "13912345678", "ts": new_token()}
    data.update(extra)
    return data


def upload(name, blob, content_type="image/png"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, blob, content_type=content_type)


def receipt_of(response):
    text = response.content.decode()
    number = re.search(r'data-field="number">([^<]+)<', text).group(1)
    secret = re.search(r'data-field="secret" class="code">([^<]+)<', text).group(1)
    return number, secret


def test_it_files_a_complaint_with_attachments_and_shows_number_and_secret(client, org, calendar):
    r = client.post(reverse("complaints:public_new"),
                    form(org, attachments=[upload("photo.png", PNG), upload("证明.pdf", PDF, "application/pdf")]),
                    follow=True)
    number, secret = receipt_of(r)
    c = Complaint.objects.get(number=number)
    assert (c.channel, c.status, c.department, c.centre.region) == ("portal", "submitted", org["dept"], org["county"])
    assert sorted(Attachment.objects.filter(complaint=c).values_list("content_type", flat=True)) == [
        "application/pdf", "image/png"]
    assert ComplainantIdentity.objects.get(complaint=c).name == "王秀英"
    assert len(secret) == 8


def test_it_rejects_a_disguised_file_and_keeps_the_text(client, org, calendar):
    r = client.post(reverse("complaints:public_new"),
                    form(org, attachments=[upload("photo.png", b"<html><script>alert(1)</script>")]))
    text = r.content.decode()
    assert "不是 JPG、PNG、GIF、WebP 图片或 PDF 文件" in text
    assert "营业执照变更等了一个月没有结果。" in text  # nothing typed is lost
    assert Complaint.objects.count() == 0


def test_it_rejects_a_file_over_the_limit(client, org, calendar, settings):
    settings.COMPLAINTS_MAX_FILE_BYTES = 1024 * 1024
    big = upload("big.png", PNG + b"0" * 1024 * 1024)
    r = client.post(reverse("complaints:public_new"), form(org, attachments=[big]))
    assert "超过 1 MB" in r.content.decode() and Complaint.objects.count() == 0


def test_it_names_the_missing_fields(client, org, calendar):
    r = client.post(reverse("complaints:public_new"), form(org, subject="", name="", phone="abc"))
    text = r.content.decode()
    assert "标题：" in text and "姓名：" in text and "联系电话：请填写有效的电话号码" in text


def test_it_accepts_an_anonymous_complaint_without_contact(client, org, calendar):
    r = client.post(reverse("complaints:public_new"), form(org, anonymous="on", name="", phone=""), follow=True)
    number, _ = receipt_of(r)
    assert ComplainantIdentity.objects.get(complaint__number=number).name == ""


@pytest.mark.parametrize("problem", ["honeypot", "fast", "forged"])
def test_it_stops_robots_without_losing_the_text(client, org, calendar, settings, problem):
    settings.COMPLAINTS_MIN_FORM_SECONDS = 3
    data = form(org)
    if problem == "honeypot":
        settings.COMPLAINTS_MIN_FORM_SECONDS = 0
        data["website"] = "http://spam.example"
    elif problem == "forged":
        data["ts"] = "123:forged"
    r = client.post(reverse("complaints:public_new"), data)
    assert Complaint.objects.count() == 0
    assert "营业执照变更等了一个月没有结果。" in r.content.decode()


def test_it_limits_submissions_per_address(client, org, calendar, settings):
    settings.COMPLAINTS_RATE_LIMITS = {"submit": (2, 60), "lookup": (20, 10)}
    for _ in range(2):
        client.post(reverse("complaints:public_new"), form(org))
    r = client.post(reverse("complaints:public_new"), form(org))
    assert "提交过于频繁" in r.content.decode()
    assert Complaint.objects.count() == 2
    assert IntakeHit.objects.count() == 2


def test_it_shows_progress_only_with_the_secret_and_lets_the_complainant_rate(client, org, people, calendar):
    from complaints import actions as A

    r = client.post(reverse("complaints:public_new"), form(org, content="<script>alert('x')</script> 窗口拖延办理"),
                    follow=True)
    number, secret = receipt_of(r)
    other = client.__class__()
    r = other.post(reverse("complaints:track"), {"number": number, "secret": "WRONG123"})
    assert "编号或查询码不正确" in r.content.decode()
    assert other.get(reverse("complaints:progress", args=[number])).status_code == 302
    r = other.post(reverse("complaints:track"), {"number": number, "secret": secret.lower()}, follow=True)
    text = r.content.decode()
    assert "已提交" in text and "<script>alert" not in text and "&lt;script&gt;" in text
    c = Complaint.objects.get(number=number)
    sup = people["county_supervisor"]
    A.do_register_complaint(c, actor=sup)
    A.do_assign_complaint(c, actor=sup, department=org["dept"])
    A.do_answer_complaint(c, actor=people["manager"], findings="属实")
    A.do_verify_complaint(c, actor=sup)
    A.do_feed_back_complaint(c, actor=sup, feedback="经核查属实，已责令整改。")
    text = other.get(reverse("complaints:progress", args=[number])).content.decode()
    assert "经核查属实，已责令整改。" in text and "评价办理结果" in text
    other.post(reverse("complaints:progress", args=[number]), {"satisfaction": "satisfied"})
    c.refresh_from_db()
    assert (c.status, c.satisfaction) == ("closed", "satisfied")


def test_it_takes_a_consultation_and_publishes_its_answer_as_faq(client, org, people, calendar):
    from complaints import actions as A

    r = client.post(reverse("complaints:consult_new"), {"question": "个体工商户注销需要什么材料？", "ts": new_token()},
                    follow=True)
    number, secret = receipt_of(r)
    from complaints.models import Consultation
    q = Consultation.objects.get(number=number)
    A.do_answer_consultation(q, actor=people["manager"], answer="注销登记申请书和营业执照正副本。")
    A.do_publish_consultation(q, actor=people["county_supervisor"], publish=True, faq_question="个体工商户如何注销？")
    text = client.get(reverse("complaints:faq"), {"q": "注销"}).content.decode()
    assert "个体工商户如何注销？" in text and "营业执照正副本" in text
    assert "个体工商户如何注销？" not in client.get(reverse("complaints:faq"), {"q": "社保"}).content.decode()
    text = client.get(reverse("complaints:progress", args=[number])).content.decode()
    assert "注销登记申请书" in text


def test_it_speaks_english_when_asked(client, org, calendar):
    client.cookies["django_language"] = "en"
    text = client.get(reverse("complaints:public_new")).content.decode()
    assert "Send complaint" in text and "Department complained about" in text


def test_english_calls_the_check_code_by_one_name(client, org, calendar):
    """查询码 read "Check code" on labels but "secret code" or "query code" in the sentences around them."""
    client.cookies["django_language"] = "en"
    receipt = client.post(reverse("complaints:public_new"), form(org), follow=True).content.decode()
    pages = [receipt] + [client.get(url).content.decode() for url in ("/complaints/new/", "/complaints/track/", "/evaluations/")]
    assert "Check code" in receipt and "the check code" in receipt and "a check code" in pages[1]
    assert "check code from your case receipt" in pages[3]
    assert [p for p in pages if re.search(r"(?i)secret code|query code", p)] == []
