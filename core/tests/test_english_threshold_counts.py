"""Messages whose number is a configured limit read right in English for 1 and for more: the scored months a
unit needs to be graded (the performance report and its printed PDF), the files an urge's answer may carry
and the attachments an upload takes. Chinese has no plural; English must not say "1 months" or "1 files"."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import translation

from core import uploads

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def words(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
@pytest.mark.parametrize("template", ["performance/report.html", "performance/print.html"])
def test_the_scored_months_a_unit_needs_agree_with_their_number(template, rf):
    with translation.override("en"):
        one = words(render_to_string(template, {"minimum": 1, "months": [1], "preview": True}, request=rf.get("/")))
        two = words(render_to_string(template, {"minimum": 2, "months": [1, 2], "preview": True}, request=rf.get("/")))
    assert "a unit is graded once it has 1 scored month." in one
    assert "fewer than 1 scored months" not in one
    assert "a unit with fewer than 2 scored months is not graded." in two


def test_the_files_an_urge_answer_may_carry_agree_with_their_number():
    """The help under the answer's file field (supervision/urge_detail.html), for a limit of 1 and of 3."""
    source = "{% load i18n %}" + re.search(r'<p id="attachments-help"[^>]*>(.*?)</p>',
                                           open("supervision/templates/supervision/urge_detail.html").read()).group(1)
    from django.template import Context, Template

    with translation.override("en"):
        one = Template(source).render(Context({"max_files": 1, "max_mb": 10}))
        three = Template(source).render(Context({"max_files": 3, "max_mb": 10}))
    assert one == "One file of at most 10 MB: a JPG, PNG, GIF or WebP image, or a PDF."
    assert three == "Up to 3 files of at most 10 MB each: JPG, PNG, GIF or WebP images, or PDF."


@pytest.mark.parametrize("limit, message", [(1, "At most 1 attachment"), (2, "At most 2 attachments")])
def test_too_many_attachments_names_the_limit_in_the_right_number(limit, message):
    files = [SimpleUploadedFile(f"{i}.png", PNG, "image/png") for i in range(limit + 1)]
    with translation.override("en"), pytest.raises(ValueError) as refused:
        uploads.check_files(files, max_files=limit, max_bytes=1024 * 1024)
    assert str(refused.value) == message
