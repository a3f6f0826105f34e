"""Screenshots of every page issue 16 names, for a person to look at: each role, each page, at 1920×1080,
1440×900 and 390×844, in Chinese and English. Not a test: it asserts nothing; it writes PNGs and a report
of what a machine can see (page too wide, full-width punctuation or unmarked Chinese on English pages,
code-like words on Chinese pages, an error status).

    DATABASE_URL=sqlite:///var/screens.sqlite3 .venv/bin/python tools/screens.py --setup --port 8851
    .venv/bin/python tools/screens.py --port 8851 --only wall,centre --viewports 1920

--setup migrates the database and loads the demo region (`demo_setup --history-days 90`) first; the
script then runs its own web server on 127.0.0.1:PORT (stopped at the end) and logs in through the
log-in form with the demo password. Output: var/screens/<lang>/<viewport>/<nn>-<role>-<page>.png and
var/screens/<lang>/<viewport>/report.json (a line per page: status, and the findings). Keep var/ out of git.
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearwindow.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///var/screens.sqlite3")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the ORM look-ups below run beside Playwright

VIEWPORTS = {"1920": (1920, 1080), "1440": (1440, 900), "390": (390, 844)}
LANGS = {"zh": "zh-hans", "en": "en"}
OUT = ROOT / "var" / "screens"

# What a page shows that a person should not see (a finding, not a verdict: look at the PNG).
CHECK_JS = r"""(lang) => {
    const out = {wide: [], fullwidth: [], unmarked: [], codes: []};
    const doc = document.documentElement;
    if (doc.scrollWidth > innerWidth + 1) out.wide.push(['page', doc.scrollWidth, innerWidth]);
    for (const el of document.querySelectorAll('main *, .wall *, header *, nav *, .video-full *')) {
        const r = el.getBoundingClientRect();
        if (r.width <= 2 || el.closest('.visually-hidden, [hidden], .skip-link, .table-wrap')) continue;
        if (r.right > innerWidth + 1 && out.wide.length < 8) out.wide.push([el.tagName.toLowerCase() + '.' + [...el.classList].join('.'), Math.round(r.right), innerWidth]);
    }
    const texts = [document.title];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement;
        if (!n.data.trim() || el.closest('script, style, template, [hidden]')) continue;
        const zh = ((el.closest('[lang]') || doc).getAttribute('lang') || '').toLowerCase().startsWith('zh');
        const t = n.data.trim().slice(0, 60);
        if (lang === 'en' && !zh && /[：（），；。、！？【】《》]/.test(n.data) && out.fullwidth.length < 10) out.fullwidth.push(t);
        if (lang === 'en' && !zh && /[\u3400-\u9fff]/.test(n.data) && out.unmarked.length < 10) out.unmarked.push(t);
        if (lang === 'zh' && /\b[A-Z]{2,}_[A-Z_]{2,}\b|\b(window|approved|pending|issued|answered|closed|scored|handle|review|approve|portal)\b/.test(n.data)
            && !el.closest('code, .code, input, textarea') && out.codes.length < 10) out.codes.push(t);
    }
    if (lang === 'en' && /[：（），；。、！？【】《》]/.test(document.title)) out.fullwidth.push('title: ' + document.title);
    return out;
}"""


def django_setup():
    import django
    django.setup()


def objects():
    """The demo objects the pages need: {name: value}, looked up in the database the server uses."""
    from datetime import date, timedelta

    from django.db.models import F

    from alerts.models import Alert
    from cases.models import Case, CaseStatus
    from catalog.models import Item
    from complaints.models import Complaint
    from orgs.models import Staff
    from performance.models import Period, PeriodStatus
    from supervision.models import Urge
    from video.models import Camera

    o = {}
    done = Case.objects.filter(status=CaseStatus.COMPLETED, ended_at__isnull=False).exclude(check_code="")
    # a case that took days and went through steps, so that the replay has something to take away
    case = done.filter(ended_at__gt=F("received_at") + timedelta(days=4)).order_by("-ended_at").first() or \
        done.order_by("-ended_at").first()
    o["case"] = case.case_no
    o["case_at"] = int((case.received_at + (case.ended_at - case.received_at) / 2).timestamp())
    o["check_code"] = case.check_code
    open_case = Case.objects.filter(ended_at__isnull=True, alert_level="red").order_by("case_no").first() or case
    o["open_case"] = open_case.case_no
    o["clerk_case"] = (Case.objects.filter(window__staff__user__username="window_clerk").order_by("-received_at")
                       .values_list("case_no", flat=True).first() or case.case_no)
    item = Item.objects.filter(published=True, cases__isnull=False).order_by("code").first()
    o["item"] = item.code
    urge = Urge.objects.order_by("-pk")
    o["urge"] = (urge.filter(status="answered").first() or urge.first()).number
    manager = Staff.objects.get(user__username="dept_manager")
    o["urge_dept"] = urge.filter(department=manager.department_id).values_list("number", flat=True).first()
    late = Complaint.objects.filter(due__lt=date.today(), status__in=["registered", "assigned", "answered"]).first()
    o["complaint"] = (late or Complaint.objects.order_by("-number").first()).number
    o["camera"] = Camera.objects.order_by("code").values_list("code", flat=True).first()
    periods = Period.objects.filter(status=PeriodStatus.PUBLISHED).order_by("month")
    o["empty_month"] = f"{periods.first().month:%Y-%m}"
    o["month"] = f"{periods.last().month:%Y-%m}"
    today = date.today()
    quarter = (today.month - 1) // 3 + 1                  # the running quarter: previewed, never published
    o["year"], o["quarter"] = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)  # the last closed one
    o["running"] = f"{today.year}/q{quarter}"
    o["alert_dept"] = Alert.objects.filter(department__isnull=False).values_list("department__code", flat=True).first()
    return o


def pages(o):
    """(role, name, path) for every page the issue names. Roles: public (not logged in), window_clerk,
    dept_manager, xlht_supervisor (a banner/county centre), league_supervisor, league_admin, admin."""
    public = [
        ("portal", "/"), ("guide", "/guide/"), ("guide-search", "/guide/?q=营业执照"),
        ("guide-item", f"/guide/{o['item']}/"), ("track", "/track/"), ("track-result", "track-result"),
        ("complaint-form", "/complaints/new/"), ("complaint-receipt", "complaint-receipt"),
        ("complaint-lookup", "/complaints/track/"), ("complaint-progress", "complaint-progress"),
        ("consult", "/complaints/consult/"), ("faq", "/complaints/faq/"),
        ("rating-lookup", "/evaluations/"), ("rating", f"/evaluations/?case={o['case']}&code={o['check_code']}"),
        ("satisfaction", "/evaluations/satisfaction/"), ("kiosk", "/evaluations/kiosk/"),
        ("performance", "/performance/"), ("performance-empty-month", f"/performance/?month={o['empty_month']}"),
        ("bulletin", f"/performance/bulletin/{o['year']}/q{o['quarter']}/"),
        ("year-evaluation", f"/performance/year/{int(o['running'][:4]) - 1}/"),
        ("year-evaluation-running", f"/performance/year/{o['running'][:4]}/"),
        ("performance-stats", "/performance/stats/"),
        ("ledger", "/ledger/"), ("login", "/accounts/login/"), ("404", "/no-such-page/"),
    ]
    clerk = [("home", "/home/"), ("workbench", "/cases/workbench/"), ("register", "/cases/workbench/new/"),
             ("workbench-case", f"/cases/workbench/{o['clerk_case']}/"), ("403-centre", "/supervision/centre/"),
             ("alerts", "/supervision/alerts/")]
    manager = [("home", "/home/"), ("alerts", "/supervision/alerts/"), ("urges", "/supervision/urges/"),
               ("urge", f"/supervision/urges/{o['urge_dept']}/" if o["urge_dept"] else "/supervision/urges/"),
               ("complaints", "/office/complaints/"),
               ("performance", "/office/performance/"), ("403-wall", "/supervision/centre/wall/")]
    county = [("home", "/home/"), ("centre", "/supervision/centre/"), ("wall", "/supervision/centre/wall/"),
              ("alerts", "/supervision/alerts/"), ("cases", "/supervision/cases/"),
              ("complaints", "/office/complaints/"), ("video", "/video/")]
    league = [
        ("home", "/home/"), ("centre", "/supervision/centre/"), ("wall", "/supervision/centre/wall/"),
        ("quality", "/supervision/centre/quality/"), ("alerts", "/supervision/alerts/"),
        ("department", f"/supervision/departments/{o['alert_dept']}/"),
        ("urges", "/supervision/urges/"), ("urge", f"/supervision/urges/{o['urge']}/"),
        ("urge-print", f"/supervision/urges/{o['urge']}/print/"), ("cases", "/supervision/cases/"),
        ("case", f"/supervision/cases/{o['case']}/"), ("case-as-of", f"/supervision/cases/{o['case']}/?at={o['case_at']}"),
        ("case-open", f"/supervision/cases/{o['open_case']}/"),
        ("complaints", "/office/complaints/"), ("complaint", f"/office/complaints/{o['complaint']}/"),
        ("complaints-analysis", "/office/complaints/analysis/"), ("consultations", "/office/consultations/"),
        ("evaluations", "/office/evaluations/"), ("ratings", "/office/evaluations/ratings/"),
        ("rating-stats", "/office/evaluations/statistics/"),
        ("performance", "/office/performance/"), ("period", f"/office/performance/{o['month']}/"),
        ("period-empty", f"/office/performance/{o['empty_month']}/"),
        ("bulletin-preview", f"/office/performance/preview/{o['running']}/"),
        ("year-preview", f"/office/performance/preview/{o['running'][:4]}/"),
        ("video", "/video/"), ("video-full", "/video/?view=full&layout=16"), ("observations", "/video/observations/"),
        ("accountability", "/accountability/"), ("likely", "/supervision/likely/"), ("time", "/insight/time/"),
        ("variants", "/insight/variants/"), ("403-points", "/video/points/"),
    ]
    centre_admin = [("points", "/video/points/"), ("point-new", "/video/points/new/"),
                    ("point", f"/video/points/{o['camera']}/"), ("camera", f"/video/cameras/{o['camera']}/")]
    admin = [("admin", "/admin/"), ("admin-staff", "/admin/orgs/staff/"), ("admin-calendar", "/admin/workdays/")]
    for role, rows in (("public", public), ("window_clerk", clerk), ("dept_manager", manager),
                       ("xlht_supervisor", county), ("league_supervisor", league), ("league_admin", centre_admin),
                       ("admin", admin)):
        for name, path in rows:
            yield role, name, path


def special(page, base, name, o, state):
    """Pages reached through a form: the /track/ result, a complaint filed and looked up."""
    if name == "track-result":
        page.goto(base + "/track/")
        page.fill("#id_case_no", o["case"])
        page.fill("#id_check_code", o["check_code"])
        page.locator("main form button[type=submit]").first.click()
    elif name == "complaint-receipt":
        page.goto(base + "/complaints/new/")
        page.select_option("#id_category", index=1)
        page.fill("#id_subject", "窗口人员离岗" if state["lang"] == "zh" else "Nobody at the window")
        page.fill("#id_content", "上午十点在三号窗口等候四十分钟，工作人员一直不在。")
        page.check("#id_anonymous")
        page.wait_for_timeout(3200)                       # the form's minimum filling time (anti-robot)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        state["complaint"] = page.locator("[data-field=number]").inner_text().strip()
        secret = page.locator("[data-field=secret]")
        state["secret"] = secret.inner_text().strip() if secret.count() else ""
        return
    elif name == "complaint-progress":
        if not state.get("secret"):
            page.goto(base + "/complaints/track/")
            return
        page.goto(base + "/complaints/track/")
        page.fill("#id_number", state["complaint"])
        page.fill("#id_secret", state["secret"])
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()


def sheets(report, per_row=4):
    """Contact sheets for looking: the phone screenshots four to a sheet (each page in Chinese, then English),
    and each desktop page's Chinese and English first screens one above the other. var/screens/sheets/."""
    from PIL import Image

    folder = OUT / "sheets"
    folder.mkdir(exist_ok=True)
    shots = {}
    for r in report:
        if "png" in r:
            shots.setdefault((r["vp"], r["role"], r["page"]), {})[r["lang"]] = ROOT / r["png"]
    made = []
    for vp in VIEWPORTS:
        keys = [k for k in shots if k[0] == vp]
        width, height = VIEWPORTS[vp]
        group = per_row // 2 if vp == "390" else 1
        for i in range(0, len(keys), group):
            tiles = [shots[k].get(lang) for k in keys[i:i + group] for lang in ("zh", "en")]
            images = [Image.open(t) for t in tiles if t]
            if not images:
                continue
            if vp == "390":
                sheet = Image.new("RGB", (sum(im.width for im in images) + 8 * len(images), max(im.height for im in images)), "#888")
                x = 0
                for im in images:
                    sheet.paste(im, (x, 0))
                    x += im.width + 8
            else:
                cut = [im.crop((0, 0, im.width, min(im.height, height))) for im in images]
                sheet = Image.new("RGB", (width, sum(im.height for im in cut) + 8 * len(cut)), "#888")
                y = 0
                for im in cut:
                    sheet.paste(im, (0, y))
                    y += im.height + 8
            name = folder / f"{vp}-{i // group:02d}-{'+'.join(k[1] + '-' + k[2] for k in keys[i:i + group])}.png"
            sheet.save(name)
            made.append(name)
    return made


def start_server(port, log):
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the web server did not answer in 60 s (see var/screens/server.log)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8851)
    parser.add_argument("--setup", action="store_true", help="migrate and load the demo region first")
    parser.add_argument("--history-days", type=int, default=90)
    parser.add_argument("--only", default="", help="page names, comma-separated (default: all)")
    parser.add_argument("--roles", default="", help="roles, comma-separated (default: all)")
    parser.add_argument("--viewports", default="1920,1440,390")
    parser.add_argument("--langs", default="zh,en")
    parser.add_argument("--full", action="store_true", help="whole pages (default: up to 1.5 screens tall)")
    parser.add_argument("--sheets", action="store_true", help="also contact sheets (Chinese beside English)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))   # so that the web server is stopped too

    if args.setup:
        py = [sys.executable, "manage.py"]
        subprocess.run(py + ["migrate", "--noinput", "-v0"], cwd=ROOT, check=True)
        subprocess.run(py + ["demo_setup", "--history-days", str(args.history_days), "--reset-passwords"], cwd=ROOT, check=True)
    django_setup()
    from playwright.sync_api import sync_playwright

    from core.testing.browser import CHROMIUM, CHROMIUM_ARGS
    from demo.setup import demo_password

    o = objects()
    only = set(filter(None, args.only.split(",")))
    roles = set(filter(None, args.roles.split(",")))
    # numbered in the whole list, so that a narrower run writes the same file names
    todo = [(n, *p) for n, p in enumerate(pages(o)) if (not only or p[1] in only) and (not roles or p[0] in roles)]
    OUT.mkdir(parents=True, exist_ok=True)
    report, base = [], f"http://127.0.0.1:{args.port}"
    with open(OUT / "server.log", "w") as log:
        server = start_server(args.port, log)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                for lang in args.langs.split(","):
                    for vp in args.viewports.split(","):
                        width, height = VIEWPORTS[vp]
                        folder = OUT / lang / vp
                        folder.mkdir(parents=True, exist_ok=True)
                        state = {"lang": lang}
                        context = page = None
                        current_role = None
                        for n, role, name, path in todo:
                            if role != current_role:
                                if context:
                                    context.close()
                                context = browser.new_context(viewport={"width": width, "height": height},
                                                              locale="zh-CN" if lang == "zh" else "en-US")
                                context.add_cookies([{"name": "django_language", "value": LANGS[lang], "url": base}])
                                context.set_default_timeout(15_000)
                                page = context.new_page()
                                current_role = role
                                if role != "public":
                                    page.goto(base + "/accounts/login/")
                                    page.fill("input[name=username]", role)
                                    page.fill("input[name=password]", demo_password())
                                    page.locator("main form button[type=submit]").click()
                                    page.wait_for_load_state()
                            status = None
                            try:
                                if path.startswith("/"):
                                    reply = page.goto(base + path)
                                    status = reply.status if reply else None
                                else:
                                    special(page, base, path, o, state)
                            except Exception as err:  # noqa: BLE001 — a page that fails is a finding
                                report.append({"lang": lang, "vp": vp, "role": role, "page": name, "error": str(err)[:300]})
                            try:                      # charts drawn, fonts loaded (live pages poll: may not idle)
                                page.wait_for_load_state("networkidle", timeout=4000)
                            except Exception:  # noqa: BLE001
                                pass
                            page.wait_for_timeout(700 if "wall" in name or "video" in name else 150)
                            found = page.evaluate(CHECK_JS, lang)
                            shot = folder / f"{n:02d}-{role}-{name}.png"
                            tall = page.evaluate("() => document.documentElement.scrollHeight")
                            clip_h = tall if args.full else min(tall, int(height * 1.5))
                            page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": clip_h})
                            row = {"lang": lang, "vp": vp, "role": role, "page": name, "status": status,
                                   "url": page.url.removeprefix(base), "png": str(shot.relative_to(ROOT)),
                                   **{k: v for k, v in found.items() if v}}
                            report.append(row)
                            if status and status >= 400 and not name.startswith(("403", "404")) or len(row) > 7:
                                print(json.dumps(row, ensure_ascii=False)[:600])
                        if context:
                            context.close()
                        rows = [r for r in report if r["lang"] == lang and r["vp"] == vp]
                        done = {(r["role"], r["page"]) for r in rows}
                        kept = json.loads((folder / "report.json").read_text()) if (folder / "report.json").exists() else []
                        rows = [r for r in kept if (r["role"], r["page"]) not in done] + rows   # a narrower run updates its pages
                        (folder / "report.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))
                browser.close()
        finally:
            server.terminate()
            server.wait(10)
    if args.sheets:   # from every run's reports, so that runs of one language or viewport combine
        every = [r for f in sorted(OUT.glob("*/*/report.json")) for r in json.loads(f.read_text())]
        print(f"{len(sheets(every))} contact sheets in var/screens/sheets")
    print(f"{sum(1 for r in report if 'png' in r)} screenshots in {OUT.relative_to(ROOT)}; report.json "
          f"({sum(1 for r in report if len(r) > 7)} with findings)")


if __name__ == "__main__":
    main()
