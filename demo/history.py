"""Case histories for the demo region: what the League's approval systems would have sent.

`generate(demo, start, end, until=…)` yields, case by case, the events of every case received on the
working days from `start` to `end`, in the exchange-API format (DOMAIN.md, "Data exchange"): dicts
with event_id, case_no, type, occurred_at (ISO 8601, +08:00) and the type's fields. Events after
`until` have not happened yet and are left out, so the latest cases are still open.

Deterministic: a case depends only on (seed, day, department), never on which days or departments
were asked for, so case numbers and event ids are stable and a second feed is all duplicates.
Mostly good behaviour, with the anomalies the supervision engine must catch mixed in (SCENARIOS).
Pure: no Django import; the calendar is a parameter (default: Monday–Friday).
"""
import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from workdays.arith import WorkCalendar

from . import data as d

CST = timezone(timedelta(hours=8))
OPEN, NOON, AFTERNOON, CLOSE = 8 * 60 + 30, 12 * 60, 14 * 60, 17 * 60 + 30  # minutes of the local day
SIM_SERIAL_FROM = 900000  # case serials from here on belong to the live simulator

# How cases go (weights per 1,000). "normal" is on time and by the book; the rest is what supervision is for.
SCENARIOS = {
    "normal": 772, "supplement": 50, "supplement_twice": 12, "late_accept": 20, "rejected": 25,
    "withdrawn": 15, "late": 35, "step_slow": 20, "skipped_step": 10, "out_of_order": 10, "no_acceptance": 3,
    "long_suspension": 12, "suspension_after_due": 8, "extension": 12, "extension_invalid": 6,
}
STEP_SCENARIOS = ("step_slow", "skipped_step", "out_of_order", "long_suspension", "suspension_after_due")
# Step durations of good cases (CaseLife.step_days): share of the step's limit ~ log-normal(STEP_MU,
# STEP_SIGMA) (median ≈ 0.30, p90 ≈ 0.74, p99 ≈ 1.54), times the item's and the department's pace.
STEP_MU, STEP_SIGMA = -1.2, 0.7
PACE_SIGMA = 0.3  # pace: log-normal around 1, fixed per item and per department (p10 ≈ 0.68, p90 ≈ 1.47)
FEE_OVER_RATE = 0.05  # of cases of items that charge
FEE_UNLISTED_RATE = 0.004  # of all cases
UNLISTED_FEES = [("ZXF", "200.00"), ("JJF", "50.00"), ("CXF", "300.00"), ("GBF", "15.00")]

REJECT_REASONS = ["申请事项不属于本机关职权范围", "申请人不具备法定申请资格", "申请材料存在虚假内容",
                  "申请事项依法不需要取得行政许可"]
WITHDRAW_REASONS = ["申请人主动撤回申请", "申请人因项目调整申请撤回", "申请人另行提交新申请，撤回原申请"]
SPECIAL_REASONS = ["组织专家评审", "组织听证", "现场勘验", "委托第三方检测", "公示期"]
OTHER_SUSPEND_REASONS = ["等待申请人补充说明材料", "申请人申请暂停办理", "等待相关部门出具意见"]
EXTENSION_REASONS = ["情况复杂，需征求相关部门意见，经本机关负责人批准延长", "需进行实地核查，经本机关负责人批准延长"]
OPINIONS = {"handle": "材料齐全，符合条件，建议准予", "inspect": "现场核查情况与申请材料一致",
            "review": "同意承办意见", "expert": "专家评审通过", "approve": "同意"}
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "158", "159", "177", "180", "182", "186", "187", "189", "199"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


# ---- the catalog, indexed once -------------------------------------------------------------------
class Catalog:
    """What the generator needs from demo.region.build(): items by department, windows, staff."""

    def __init__(self, demo):
        catalog = demo["catalog"]
        self.departments = [x["code"] for x in catalog["departments"]]
        self.region = {x["code"]: x["region"] for x in catalog["departments"]}
        self.items = {}
        for item in catalog["items"]:
            self.items.setdefault(item["department"], []).append(item)
        self.windows = {}
        for w in catalog["windows"]:
            self.windows.setdefault(w["department"], []).append(w["code"])
        self.clerks = {}
        for s in demo["staff"]:
            if s["role"] == "window_staff":
                self.clerks.setdefault(s["window"], []).append(s["code"])
        self.counties = [c[0] for c in d.COUNTIES]

    def daily_mean(self, dept):
        """Cases a working day: League bureaus and utilities busiest, townships least."""
        region, items = self.region[dept], len(self.items.get(dept, []))
        if region == d.LEAGUE[0]:
            return 2.0 + 0.6 * items
        if len(region) == 6:
            return 1.0 + 0.5 * items
        return 0.4 + 0.25 * items


def weekday_calendar():
    return WorkCalendar({})


# ---- the feed ------------------------------------------------------------------------------------
def generate(demo, start, end, *, until, seed=2025, cal=None, departments=None, scale=1.0):
    """Yield one list of events per case received on a working day in [start, end], cut at `until`."""
    cat = demo if isinstance(demo, Catalog) else Catalog(demo)
    cal = cal or weekday_calendar()
    wanted = set(departments) if departments else None
    day = start
    while day <= end:
        if cal.is_workday(day):
            yield from _day(cat, cal, day, until, seed, wanted, scale)
        day += timedelta(days=1)


def events(demo, start, end, **options):
    """All events of generate() in one flat list."""
    return [event for case in generate(demo, start, end, **options) for event in case]


def batches(cases, size=5000):
    """Group per-case event lists into batches of at most `size` events, never splitting a case."""
    batch = []
    for case in cases:
        if batch and len(batch) + len(case) > size:
            yield batch
            batch = []
        batch.extend(case)
    if batch:
        yield batch


def _day(cat, cal, day, until, seed, wanted, scale):
    serials = {}
    for dept in cat.departments:
        rng = random.Random(f"{seed}/{day.isoformat()}/{dept}")
        count = poisson(rng, cat.daily_mean(dept) * scale * _weekday_factor(day))
        prefix = cat.region[dept][:6]
        first = serials.get(prefix, 0) + 1
        serials[prefix] = first + count - 1
        if wanted is not None and dept not in wanted or not cat.items.get(dept):
            continue
        for serial in range(first, first + count):
            case_no = f"{prefix}-{day:%Y%m%d}-{serial:06d}"
            case = CaseLife(rng, cal, cat, dept, case_no, receipt_instant(rng, day))
            case.play(pick_scenario(rng, case.item))
            kept = [e for e in case.events if datetime.fromisoformat(e["occurred_at"]) <= until]
            if kept:
                yield kept


def pace(code):
    """How fast an item's or a department's work goes (1 = typical): fixed by its code, not by the feed."""
    return random.Random(f"pace/{code}").lognormvariate(0.0, PACE_SIGMA)


def _weekday_factor(day):
    return {0: 1.2, 4: 0.85}.get(day.weekday(), 1.0)


def poisson(rng, mean):
    """Knuth's method (means here are small)."""
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick_scenario(rng, item):
    names = list(SCENARIOS)
    scenario = rng.choices(names, weights=[SCENARIOS[n] for n in names])[0]
    if not item["steps"] and scenario in STEP_SCENARIOS:
        return "normal"
    if item["promised_limit_days"] == 0 and scenario in ("extension", "extension_invalid"):
        return "late"
    return scenario


# ---- people --------------------------------------------------------------------------------------
def person_name(rng):
    if rng.random() < 0.55:
        return rng.choice(d.SURNAMES) + rng.choice(d.HAN_GIVEN)
    given = rng.choice(d.MONGOLIAN)
    return (rng.choice(d.MONGOLIAN_SURNAMES) + given) if rng.random() < 0.3 else given


def id_number(rng, region):
    """An 18-digit resident ID number of the GB 11643 form: region, birth date, sequence, check digit
    (a sequence whose check digit would be X is skipped, so the number is all digits)."""
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    while True:
        body = f"{region[:6]}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        check = (12 - sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11) % 11
        if check < 10:
            return body + str(check)


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10 ** 8):08d}"


def receipt_instant(rng, day):
    """A moment in opening hours, mornings busier than afternoons, none at lunch."""
    if rng.random() < 0.6:
        minute = rng.randrange(OPEN, NOON)
    else:
        minute = rng.randrange(AFTERNOON, CLOSE)
    return local(day, minute, rng.randrange(60))


def local(day, minute, second=0):
    return datetime.combine(day, time(minute // 60, minute % 60, second), tzinfo=CST)


# ---- one case --------------------------------------------------------------------------------------
class CaseLife:
    """Plays one case from receipt to its end, writing its events (cursor = the last event's instant)."""

    def __init__(self, rng, cal, cat, dept, case_no, received_at):
        self.rng, self.cal, self.cat, self.dept, self.case_no = rng, cal, cat, dept, case_no
        items = cat.items[dept]
        self.item = rng.choices(items, weights=[1 / (i + 1) for i in range(len(items))])[0]
        self.window = rng.choice(cat.windows[dept])
        self.clerk = rng.choice(cat.clerks.get(self.window) or [f"{dept}-M"])
        self.manager = f"{dept}-M"
        self.cursor = received_at
        self.events = []
        self.start = None  # S, the acceptance day
        self.susp = 0  # working days suspended so far
        self.ext = 0  # days of a valid extension

    @property
    def promised(self):
        return self.item["promised_limit_days"]

    def emit(self, type_, **fields):
        self.events.append({"event_id": f"{self.case_no}-{len(self.events) + 1:02d}", "case_no": self.case_no,
                            "type": type_, "occurred_at": self.cursor.isoformat(), **fields})

    # -- time
    def soon(self, lo=3, hi=40):
        """A few minutes later, or the next working morning when the hall has closed."""
        at = self.cursor + timedelta(minutes=self.rng.randint(lo, hi), seconds=self.rng.randrange(60))
        local_minute = at.hour * 60 + at.minute
        if at.date() != self.cursor.date() or local_minute >= CLOSE:
            at = local(self.cal.add_wd(self.cursor.date(), 1), OPEN + self.rng.randrange(90), self.rng.randrange(60))
        self.cursor = at

    def later(self, days):
        """`days` working days later (0: soon), at a working hour after the cursor."""
        if days <= 0:
            return self.soon()
        self.on_day(self.cal.add_wd(self.cursor.date(), days))

    def on_day(self, day):
        if day <= self.cursor.date():
            return self.soon()
        self.cursor = local(day, self.rng.randrange(OPEN, CLOSE - 90), self.rng.randrange(60))

    def due(self, extra=0):
        return self.cal.add_wd(self.start, self.promised + self.susp + self.ext + extra)

    # -- the story
    def play(self, scenario):
        self.receive()
        if scenario == "rejected":
            return self.reject()
        if scenario == "no_acceptance":
            return self.no_acceptance()
        self.decide(scenario)
        if scenario == "withdrawn":
            self.later(self.rng.randint(0, max(1, self.promised // 2)))
            return self.emit("withdrawn", reason=self.rng.choice(WITHDRAW_REASONS))
        if scenario == "extension":
            self.extend(valid=True)
        self.work(scenario)
        self.charge()
        self.finish(scenario)

    def receive(self):
        rng = self.rng
        channel = rng.choices(["window", "online", "mail"], weights=[70, 26, 4])[0]
        region = self.cat.region[self.dept]
        home = rng.choice(self.cat.counties) if region == d.LEAGUE[0] else region
        fields = {"item_code": self.item["code"], "channel": channel,
                  "applicant": {"name": person_name(rng), "id_number": id_number(rng, home), "phone": mobile(rng)}}
        if channel == "window":
            fields.update(window=self.window, staff=self.clerk)
        self.emit("received", **fields)
        self.channel = channel

    def decide(self, scenario):
        """Acceptance: on the spot at a window, within days online; or after supplements; or too late."""
        if scenario in ("supplement", "supplement_twice"):
            self.supplement()
            if scenario == "supplement_twice":
                self.supplement()
        if scenario == "late_accept":
            self.later(self.rng.randint(6, 9))  # past the 5-working-day window: ACCEPT_LATE
        elif self.channel == "window" and scenario not in ("supplement", "supplement_twice"):
            self.soon(2, 25)
        else:
            self.later(self.rng.choice([0, 0, 1, 1, 2]))
        self.emit("accepted", staff=self.clerk)
        self.start = self.cursor.date()

    def supplement(self):
        materials = [m["name"] for m in self.item["materials"]] or ["申请书"]
        self.later(self.rng.choice([0, 0, 1, 2]))
        self.emit("supplement_requested", materials=self.rng.sample(materials, min(len(materials), self.rng.randint(1, 2))))
        self.later(self.rng.randint(1, 4))
        self.emit("supplement_received")

    def reject(self):
        if self.rng.random() < 0.3:
            self.supplement()
        self.later(self.rng.choice([0, 1, 2]))
        self.emit("rejected", staff=self.clerk, reason=self.rng.choice(REJECT_REASONS))

    def no_acceptance(self):
        """先办后受: the steps and the completion are recorded before the acceptance."""
        for step in self.item["steps"]:
            self.later(self.rng.choice([0, 1]))
            self.emit("step_completed", step=step["code"], staff=self.staff_for(step["code"]))
        self.soon()
        self.emit("completed", result="approved", staff=self.clerk)
        self.soon()
        self.emit("accepted", staff=self.clerk)

    def staff_for(self, step):
        return self.manager if step in ("approve", "review", "expert") else self.clerk

    def work(self, scenario):
        steps = list(self.item["steps"])
        order = list(range(len(steps)))
        if scenario == "skipped_step" and len(steps) > 1:
            order.remove(self.rng.randrange(len(steps) - 1))
        if scenario == "out_of_order" and len(steps) > 1:
            i = self.rng.randrange(len(steps) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        slow = self.rng.randrange(len(steps)) if scenario == "step_slow" and steps else None
        for n, index in enumerate(order):
            step = steps[index]
            if n == 1 and scenario == "long_suspension":
                self.suspend("special_procedure", self.rng.choice(SPECIAL_REASONS), self.rng.randint(10, 30))
            if n == len(order) - 1 and scenario == "suspension_after_due":
                self.on_day(self.due(self.rng.randint(1, 3)))
                self.suspend("other", self.rng.choice(OTHER_SUSPEND_REASONS), self.rng.randint(2, 6))
            self.do_step(step, slow == index)

    def do_step(self, step, slow):
        code, limit = step["code"], step["limit_days"]
        if code == "expert" and self.rng.random() < 0.7:
            self.soon()
            self.emit("step_started", step=code, staff=self.manager)
            self.suspend("special_procedure", "组织专家评审", self.rng.randint(3, 10))
        days = limit + self.rng.randint(1, 3) if slow else self.step_days(limit)
        self.later(days)
        self.emit("step_completed", step=code, staff=self.staff_for(code), opinion=OPINIONS[code])

    def step_days(self, limit):
        """Working days a step takes in a good case: a heavy-tailed (log-normal) share of its limit, scaled by
        the item's and the department's pace; work taken up on a Friday waits for Monday half the time.
        Mostly within the limit, sometimes not: lateness that grows out of the work, as in real halls."""
        if limit <= 0:
            return 0
        share = self.rng.lognormvariate(STEP_MU, STEP_SIGMA) * pace(self.item["code"]) * pace(self.dept)
        friday = 1 if self.cursor.weekday() == 4 and self.rng.random() < 0.5 else 0
        return min(round(limit * share) + friday, 3 * limit + 5)

    def suspend(self, kind, reason, days):
        self.soon()
        self.emit("suspended", kind=kind, reason=reason)
        began = self.cursor.date()
        self.later(days)
        self.emit("resumed")
        self.susp += self.cal.wd_between(began, self.cursor.date())

    def extend(self, valid):
        self.soon()
        days = self.rng.randint(5, 10)
        fields = {"days": days, "approved_by": self.manager, "reason": self.rng.choice(EXTENSION_REASONS)}
        if not valid:
            flaw = self.rng.choice(["unapproved", "too_long", "after_due"])
            if flaw == "unapproved":
                del fields["approved_by"]
            elif flaw == "too_long":
                fields["days"] = 15
            else:
                self.on_day(self.due(self.rng.randint(1, 3)))
        self.emit("extended", **fields)
        if valid:
            self.ext = days

    def charge(self):
        rng = self.rng
        for fee in self.item["fees"]:
            amount = Decimal(fee["max_amount"])
            if rng.random() < FEE_OVER_RATE:
                amount = (amount * Decimal(rng.choice(["1.2", "1.5", "2"]))).quantize(Decimal("0.01"))
            self.soon(1, 10)
            self.emit("fee_charged", fee_code=fee["code"], amount=f"{amount:.2f}")
        if rng.random() < FEE_UNLISTED_RATE:
            code, amount = rng.choice(UNLISTED_FEES)
            if not any(f["code"] == code for f in self.item["fees"]):
                self.soon(1, 10)
                self.emit("fee_charged", fee_code=code, amount=amount)

    def finish(self, scenario):
        rng = self.rng
        if scenario == "extension_invalid":
            self.extend(valid=False)
        if scenario in ("late", "extension_invalid"):
            self.on_day(self.due(rng.choice([1, 1, 2, 3, 5, 8, 15])))
        elif scenario == "extension":
            self.on_day(self.cal.add_wd(self.start, self.promised + self.susp + rng.randint(1, self.ext)))
        else:
            self.soon(5, 90) if self.promised == 0 else self.later(rng.choice([0, 0, 1]) if self.promised >= 5 else 0)
        result = "denied" if self.item["kind"] == d.K_LIC and rng.random() < 0.06 else "approved"
        self.emit("completed", result=result, staff=self.clerk)
