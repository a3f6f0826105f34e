"""A fixed cast for access tests: two regions with their departments, halls, windows, items and
cameras, one user per role in each scope, an outsider, a disabled user and the anonymous user.

    152500 League ── 152502 county ── 152502100 township        152900 other League
       centre cL        centre cC         (no centre)              centre cX

Objects are in `cast.obj[name]`, users in `cast.users[name]` (None for anonymous). The names are
the vocabulary of the access matrix (core/tests/test_access_matrix.py). The `cast` fixture
(clearwindow.testing.fixtures) builds it.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from django.contrib.auth.models import AnonymousUser, User

from alerts.models import Alert
from cases.models import Case
from catalog.models import Item, ItemKind, ItemVersion
from core.roles import Role
from insight.models import CaseForecast, CaseTrace, StepStat, StepTiming, VariantStat
from orgs.models import Centre, Department, Hall, HallKind, Region, RegionLevel, Staff, Window
from supervision.models import DayTally, OpenTally, Urge, UrgeAttachment
from video.models import Camera

PASSWORD = "cast-pass-1"


@dataclass
class Cast:
    obj: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.obj[name]


def _regions(c):
    r = c.obj
    r["rL"] = Region.objects.create(code="152500", name="锡林郭勒盟", level=RegionLevel.LEAGUE)
    r["rC"] = Region.objects.create(code="152502", name="锡林浩特市", level=RegionLevel.COUNTY, parent=r["rL"])
    r["rT"] = Region.objects.create(code="152502100", name="阿尔善宝拉格镇", level=RegionLevel.TOWNSHIP,
                                    parent=r["rC"])
    r["rX"] = Region.objects.create(code="152900", name="阿拉善盟", level=RegionLevel.LEAGUE)
    for key, region in (("cL", "rL"), ("cC", "rC"), ("cX", "rX")):
        r[key] = Centre.objects.create(code=key, name=f"{r[region].name}监察中心", region=r[region])


def _organisation(c):
    o = c.obj
    for key, region, kind in (("L", "rL", HallKind.CENTRE_HALL), ("C", "rC", HallKind.CENTRE_HALL),
                              ("T", "rT", HallKind.TOWNSHIP_HALL), ("X", "rX", HallKind.CENTRE_HALL)):
        o[f"h{key}"] = Hall.objects.create(code=f"h{key}", name=f"大厅{key}", kind=kind, region=o[region])
        o[f"d{key}"] = Department.objects.create(code=f"d{key}", name=f"部门{key}", region=o[region])
    windows = {"wL1": ("hL", "dL"), "wL2": ("hL", "dL"), "wLC": ("hC", "dL"),  # a League bureau in a county hall
               "wC": ("hC", "dC"), "wT": ("hT", "dT"), "wX": ("hX", "dX")}
    for key, (hall, dept) in windows.items():
        o[key] = Window.objects.create(code=key, name=f"窗口{key}", hall=o[hall], department=o[dept])
    for key in "LCTX":
        o[f"i{key}"] = Item.objects.create(code=f"i{key}", department=o[f"d{key}"])
        o[f"v{key}"] = ItemVersion.objects.create(
            item=o[f"i{key}"], number=1, effective_from=date(2025, 1, 1), name=f"事项{key}",
            kind=ItemKind.LICENSING, legal_basis="《中华人民共和国行政许可法》", legal_limit_days=20,
            promised_limit_days=10,
        )
        o[f"cam{key}"] = Camera.objects.create(code=f"cam{key}", name=f"摄像头{key}", hall=o[f"h{key}"],
                                               stream_url=f"rtsp://127.0.0.1:8554/cam{key}")
    o["camL"].windows.add(o["wL1"])


# name: (role, centre, department, window, active)
STAFF = {
    "s_sys": (Role.SYSTEM_ADMIN, None, None, None, True),
    "s_league_admin": (Role.CENTRE_ADMIN, "cL", None, None, True),
    "s_league_sup": (Role.SUPERVISOR, "cL", None, None, True),
    "s_county_sup": (Role.SUPERVISOR, "cC", None, None, True),
    "s_other_sup": (Role.SUPERVISOR, "cX", None, None, True),
    "s_mgr_L": (Role.DEPT_MANAGER, None, "dL", None, True),
    "s_mgr_C": (Role.DEPT_MANAGER, None, "dC", None, True),
    "s_mgr_X": (Role.DEPT_MANAGER, None, "dX", None, True),  # no log-in
    "s_clerk_L": (Role.WINDOW_STAFF, None, "dL", "wL1", True),
    "s_clerk_L2": (Role.WINDOW_STAFF, None, "dL", "wL2", True),  # no log-in
    "s_clerk_C": (Role.WINDOW_STAFF, None, "dC", "wC", True),
    "s_inactive": (Role.WINDOW_STAFF, None, "dL", "wL1", False),  # no longer at the post
    "s_disabled": (Role.SUPERVISOR, "cL", None, None, True),  # its user account is disabled
}
# user name -> staff record (the users the matrix runs as)
USERS = {
    "sys_staff": "s_sys", "league_admin": "s_league_admin", "league_sup": "s_league_sup",
    "county_sup": "s_county_sup", "other_sup": "s_other_sup", "mgr_L": "s_mgr_L", "mgr_C": "s_mgr_C",
    "clerk_L": "s_clerk_L", "clerk_C": "s_clerk_C", "inactive_staff": "s_inactive", "disabled": "s_disabled",
}


def _people(c):
    o = c.obj
    for name, (role, centre, dept, window, active) in STAFF.items():
        o[name] = Staff.objects.create(code=name, name=name, role=role, centre=o.get(centre),
                                       department=o.get(dept), window=o.get(window), active=active)
    for username, staff in USERS.items():
        user = User.objects.create_user(username, password=PASSWORD, is_active=username != "disabled")
        o[staff].user = user
        o[staff].save(update_fields=["user"])
        c.users[username] = user
    c.users["superuser"] = User.objects.create_superuser("superuser", password=PASSWORD)
    c.users["outsider"] = User.objects.create_user("outsider", password=PASSWORD)
    c.users["anonymous"] = AnonymousUser()
    c.users["nobody"] = None


def _supervision(c):
    """Cases, alerts and urges: one per department (two at the League bureau's two windows)."""
    o = c.obj
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for key, dept, window in (("kL", "dL", "wL1"), ("kL2", "dL", "wL2"), ("kC", "dC", "wC"), ("kT", "dT", "wT"),
                              ("kX", "dX", "wX")):
        department = o[dept]
        o[key] = Case.objects.create(case_no=key, item=o[f"i{dept[1]}"], department=department,
                                     region=department.region, window=o[window], status="in_progress")
        o[f"f{key}"] = CaseForecast.objects.create(case=o[key], probability=0.5, basis="item", history=40,
                                                   used_days=1, limit_days=5, remaining_days=4, computed_at=now,
                                                   case_no=key, region=department.region, department=department,
                                                   window=o[window])
        where = {"item": o[f"i{dept[1]}"], "department": department, "region": department.region}
        o[f"st{key}"] = StepTiming.objects.create(case=o[key], window=o[window], step="cb", started_on=now.date(),
                                                  used_days=1, limit_days=2, **where)
        o[f"ct{key}"] = CaseTrace.objects.create(case=o[key], clock_start=now.date(), variant="cb", built_at=now,
                                                 **where)
    for key in "LCTX":  # the nightly aggregates: a heat-map cell and a variant per department
        where = {"item": o[f"i{key}"], "department": o[f"d{key}"], "region": o[f"d{key}"].region}
        o[f"ss{key}"] = StepStat.objects.create(period="12m", step="cb", steps=1, completed=1, overdue=0,
                                                suspended=0, supplemented=0, **where)
        o[f"vs{key}"] = VariantStat.objects.create(variant="cb", cases=1, ended=1, skipped=0, out_of_order=0, **where)
    for key in "LCTX":
        department = o[f"d{key}"]
        o[f"a{key}"] = Alert.objects.create(subject_type="case", subject_key=f"k{key}", rule="OVERDUE",
                                            level="yellow", raised_at=now, department=department,
                                            region=department.region)
    for key, centre in (("L", "cL"), ("C", "cC"), ("X", "cX")):
        o[f"u{key}"] = Urge.objects.create(number=f"u{key}", centre=o[centre], department=o[f"d{key}"],
                                           demand="整改", issued_at=now, deadline=date(2026, 3, 5))
        o[f"ua{key}"] = UrgeAttachment.objects.create(urge=o[f"u{key}"], file="x.pdf", original_name="整改.pdf",
                                                      content_type="application/pdf", size=1, uploaded_at=now)
    for key in "LCTX":  # the monitoring centre's live counters, one of each per department
        department = o[f"d{key}"]
        o[f"td{key}"] = DayTally.objects.create(day=date(2026, 3, 2), department=department,
                                                region=department.region, received=1)
        o[f"to{key}"] = OpenTally.objects.create(department=department, region=department.region, open=1)


def _complaints(c):
    """Complaints (tT is kept by the centre: no department sees it), their complainants' identities,
    attachments, suggestions and consultations."""
    from complaints.models import (
        Attachment,
        ComplainantIdentity,
        Complaint,
        Consultation,
        Suggestion,
    )

    o = c.obj
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for key, region, centre, assignee in (("L", "rL", "cL", "dL"), ("C", "rC", "cC", "dC"), ("T", "rT", "cC", None),
                                          ("X", "rX", "cX", "dX")):
        o[f"t{key}"] = Complaint.objects.create(
            number=f"t{key}", channel="portal", category="attitude", subject="s", content="c", region=o[region],
            centre=o[centre], department=o[f"d{key}"], assignee=o.get(assignee), handled_by_centre=assignee is None,
            status="assigned", submitted_at=now, register_due=date(2026, 3, 5))
        o[f"pi{key}"] = ComplainantIdentity.objects.create(complaint=o[f"t{key}"], region=o[region], name="张三")
    for key in "LX":
        o[f"at{key}"] = Attachment.objects.create(complaint=o[f"t{key}"], region=o[f"t{key}"].region, file="x.pdf",
                                                  original_name="x.pdf", content_type="application/pdf", size=1)
        o[f"sg{key}"] = Suggestion.objects.create(region=o[f"r{key}"], period="2026-03", department=o[f"d{key}"],
                                                  text="整改")
    for key, centre in (("L", "cL"), ("C", "cC"), ("X", "cX")):
        department = o[f"d{key}"]
        o[f"q{key}"] = Consultation.objects.create(
            number=f"q{key}", channel="portal", question="?", region=department.region, centre=o[centre],
            department=department, submitted_at=now, due=date(2026, 3, 5))


def _evaluations(c):
    """Ratings of each case, devices at three windows, a follow-up in three regions."""
    from evaluations.models import Device, FollowUp, Rating

    o = c.obj
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for key in ("L", "L2", "C", "T", "X"):
        case = o[f"k{key}"]
        o[f"ev{key}"] = Rating.objects.create(
            number=f"ev{key}", case=case, stage="acceptance", level="dissatisfied", channel="web", rated_at=now,
            department=case.department, region=case.region, window=case.window, hall=case.window.hall)
    for key, window in (("L", "wL1"), ("C", "wC"), ("X", "wX")):
        o[f"dv{key}"] = Device(code=f"dv{key}", window=o[window], registered_at=now)
        o[f"dv{key}"].set_new_token()
        o[f"dv{key}"].save()
        o[f"fu{key}"] = FollowUp.objects.create(rating=o[f"ev{key}"], deadline=date(2026, 3, 20))


def _performance(c):
    """Accountability cases (one per department) and monthly scores (two League departments, one county)."""
    from accountability.models import AccountabilityCase
    from performance.models import Period, Scheme, Score

    o = c.obj
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for key in "LCTX":
        o[f"acc{key}"] = AccountabilityCase.objects.create(
            number=f"acc{key}", title="t", facts="f", source_type="alert", department=o[f"d{key}"],
            region=o[f"d{key}"].region, stage="opened", deadline=date(2026, 3, 5), opened_at=now)
    period = Period.objects.create(month=date(2026, 2, 1), scored_at=now)
    scheme = Scheme.objects.create(group="league_dept", version=1, effective_from=date(2020, 1, 1))
    for key, dept, region in (("scL", "dL", "rL"), ("scC", None, "rC"), ("scX", "dX", "rX")):
        o[key] = Score.objects.create(period=period, group="league_dept", unit=key, name=key, scheme=scheme,
                                      department=o.get(dept), region=o[region], computed=90, total=90)


def _video(c):
    """An evidence clip per camera, patrols of three centres, observations at four windows (wLC: a
    League bureau's window in the county hall)."""
    from video.models import EvidenceClip, Observation, Patrol

    o = c.obj
    now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for key in "LCTX":
        o[f"clip{key}"] = EvidenceClip.objects.create(camera=o[f"cam{key}"], instant=now, start=now, end=now,
                                                      path=f"clip{key}.mp4", size=1, sha256="0" * 64, sealed_at=now)
    for key, centre in (("L", "cL"), ("C", "cC"), ("X", "cX")):
        o[f"pat{key}"] = Patrol.objects.create(supervisor=c.users["superuser"], centre=o[centre], started_at=now,
                                               last_seen_at=now)
    for key, cam, window in (("L", "camL", "wL1"), ("LC", "camC", "wLC"), ("C", "camC", "wC"), ("X", "camX", "wX")):
        o[f"ob{key}"] = Observation.objects.create(
            number=f"ob{key}", camera=o[cam], window=o[window], department=o[window].department, instant=now,
            category="phone", recorded_by=c.users["superuser"], recorded_at=now)


def build_cast():
    c = Cast()
    _regions(c)
    _organisation(c)
    _people(c)
    _supervision(c)
    _complaints(c)
    _evaluations(c)
    _performance(c)
    _video(c)
    return c
