"""PDF from self-contained HTML (inline CSS, an @page rule), printed by Debian's headless Chromium.
Chinese renders with the fonts-noto-cjk package that bin/setup installs; no Python dependency.
Used by the performance reports and the printable urge (督办单)."""
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class PdfError(RuntimeError):
    pass


def chromium():
    return getattr(settings, "CHROMIUM", "/usr/bin/chromium")


def html_to_pdf(html):
    """The PDF bytes of one HTML document; PdfError with the reason when Chromium is missing or fails."""
    if not Path(chromium()).exists():
        raise PdfError(_("未安装 Chromium，无法生成 PDF（bin/setup 会安装 Debian 的 chromium）"))
    with tempfile.TemporaryDirectory(prefix="cw-pdf-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        args = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
                "--disable-background-networking", "--virtual-time-budget=3000", f"--user-data-dir={tmp}/profile",
                f"--print-to-pdf={out}", page.as_uri()]
        done = subprocess.run(args, capture_output=True, timeout=60)
        if not out.exists() or out.stat().st_size == 0:
            raise PdfError(_("PDF 生成失败：%(e)s") % {"e": done.stderr.decode(errors="replace")[-300:]})
        return out.read_bytes()
