"""Uploaded files judged by their bytes, never by their name or the browser's content type: images
(JPG, PNG, GIF, WebP) and PDF, a bounded number of bounded size, stored under a random name.
Used by the complaint forms and by the answers to urges (docs/complaints.md, "Attachments")."""
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _, ngettext

MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
    (b"%PDF-", "application/pdf", "pdf"),
)
MAX_FILES = 3  # per form


def max_file_bytes():
    """The largest file accepted (setting UPLOAD_MAX_FILE_BYTES, default 5 MB)."""
    return getattr(settings, "UPLOAD_MAX_FILE_BYTES", 5 * 1024 * 1024)


def sniff(head: bytes):
    """(content type, extension) of a file from its first bytes, or None if it is not an allowed kind."""
    for magic, content_type, ext in MAGIC:
        if head.startswith(magic):
            return content_type, ext
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def check_files(uploaded, *, max_files, max_bytes):
    """[(original name, content type, extension, bytes)] for good files; ValueError naming the bad one."""
    if len(uploaded) > max_files:
        raise ValueError(ngettext("最多上传 %(n)d 个附件", "最多上传 %(n)d 个附件", max_files) % {"n": max_files})
    good = []
    for f in uploaded:
        if f.size > max_bytes:
            raise ValueError(_("附件“%(name)s”超过 %(mb)d MB") % {"name": f.name, "mb": max_bytes // (1024 * 1024)})
        blob = f.read()
        kind = sniff(blob[:16])
        if kind is None:
            raise ValueError(_("附件“%(name)s”不是 JPG、PNG、GIF、WebP 图片或 PDF 文件") % {"name": f.name})
        good.append((f.name, kind[0], kind[1], blob))
    return good


def store(field_file, ext, blob):
    """Save checked bytes into a FileField under a random name (the original name is kept apart)."""
    field_file.save(f"{secrets.token_hex(12)}.{ext}", ContentFile(blob), save=False)
