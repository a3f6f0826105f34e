"""The live simulator: the League's approval systems at work, now.

Each tick takes in a few new cases (received now) and moves some of today's simulated cases one
event on (acceptance, a step, a fee, the completion …), now and then with an anomaly. Everything goes
through cases.ingest as live (not historical) events with occurred_at = now — except a back-dated
suspension, which is sent with an earlier occurred_at on purpose.

Simulated cases have serials from history.SIM_SERIAL_FROM on (152502-20261127-900001), so they
never meet the generated history, whose cases keep their own deterministic future.
"""
import random
from datetime import timedelta
from decimal import Decimal

from django.db.models import Max

from cases.ingest import IngestResult, ingest
from cases.models import OPEN_STATUSES, Case, CaseEvent
from workdays.models import load_calendar
from workdays.zone import local_date

from . import history
from .region import build

SIM_CASE = r"-9[0-9]{5}$"
ANOMALIES_IN_PROGRESS = ("fee_over", "fee_unlisted", "backdated_suspension", "skip_steps", "out_of_order",
                         "extension_invalid")


class Simulator:
    def __init__(self, client, *, seed=None, receipts=1.0, advance=3, anomaly_rate=0.08):
        self.client, self.receipts, self.advance, self.anomaly_rate = client, receipts, advance, anomaly_rate
        self.rng = random.Random(seed)
        self.cat = history.Catalog(build())
        self.departments = [d for d in self.cat.departments if self.cat.items.get(d)]
        self.weights = [self.cat.daily_mean(d) for d in self.departments]
        self.serials = {}  # (region prefix, day) -> the last serial used

    def tick(self, now):
        """Make and ingest this tick's events; returns (events, IngestResult)."""
        cal = load_calendar()
        events = self.new_cases(now, cal) + self.next_events(now, cal)
        if not events:
            return events, IngestResult()
        return events, ingest(self.client, events, now=now, source="api")

    # -- new receipts
    def new_cases(self, now, cal):
        events = []
        for _ in range(history.poisson(self.rng, self.receipts)):
            dept = self.rng.choices(self.departments, weights=self.weights)[0]
            life = history.CaseLife(self.rng, cal, self.cat, dept, self.case_no(dept, now), now.astimezone(history.CST))
            life.receive()
            events.extend(life.events)
        return events

    def case_no(self, dept, now):
        prefix, day = self.cat.region[dept][:6], local_date(now)
        key = (prefix, day)
        if key not in self.serials:
            head = f"{prefix}-{day:%Y%m%d}-"
            last = Case.objects.filter(case_no__startswith=head, case_no__regex=SIM_CASE).aggregate(m=Max("case_no"))["m"]
            self.serials[key] = int(last[-6:]) if last else history.SIM_SERIAL_FROM
        self.serials[key] += 1
        return f"{prefix}-{day:%Y%m%d}-{self.serials[key]:06d}"

    # -- the next event of open cases
    def next_events(self, now, cal):
        open_cases = list(Case.objects.filter(client=self.client, status__in=OPEN_STATUSES, case_no__regex=SIM_CASE,
                                              received_at__gte=now - timedelta(days=30))
                          .select_related("item_version", "department").order_by("received_at")[:500])
        chosen = self.rng.sample(open_cases, min(self.advance, len(open_cases)))
        rows = {}
        for row in CaseEvent.objects.filter(case_no__in=[c.case_no for c in chosen]).order_by("occurred_at", "pk"):
            rows.setdefault(row.case_no, []).append(row)
        events = []
        for case in chosen:
            step = CaseStep(self.rng, cal, case, rows.get(case.case_no, []), now)
            anomaly = self.rng.random() < self.anomaly_rate
            events.extend(step.next(anomaly))
        return events


class CaseStep:
    """Decides the next event(s) of one open case from its events so far."""

    def __init__(self, rng, cal, case, rows, now):
        self.rng, self.cal, self.case, self.rows, self.now = rng, cal, case, rows, now
        self.types = [r.type for r in rows]
        self.steps = [s["code"] for s in case.item_version.steps]
        self.fees = case.item_version.fees
        self.done = {r.data.get("step") for r in rows if r.type == "step_completed"}
        self.charged = {r.data.get("fee_code") for r in rows if r.type == "fee_charged"}
        self.received = next((r for r in rows if r.type == "received"), None)
        self.clerk = (self.received.data.get("staff") if self.received else None) or f"{case.department.code}-M"
        self.manager = f"{case.department.code}-M"
        self.out = []

    def emit(self, type_, at=None, **fields):
        n = len(self.rows) + len(self.out) + 1
        self.out.append({"event_id": f"{self.case.case_no}-{n:02d}", "case_no": self.case.case_no, "type": type_,
                         "occurred_at": (at or self.now).astimezone(history.CST).isoformat(), **fields})

    def count(self, type_):
        return self.types.count(type_)

    def next(self, anomaly):
        if self.count("suspended") > self.count("resumed"):
            self.emit("resumed")
        elif self.count("supplement_requested") > self.count("supplement_received"):
            self.emit("supplement_received")
        elif "accepted" not in self.types:
            self.decide(anomaly)
        else:
            self.progress(anomaly)
        return self.out

    def decide(self, anomaly):
        rng = self.rng
        if anomaly and self.steps and rng.random() < 0.3:  # 先办后受: completed with no acceptance
            self.emit("completed", result="approved", staff=self.clerk)
        elif anomaly or (rng.random() < 0.08 and "supplement_requested" not in self.types):
            names = [m["name"] for m in self.case.item_version.materials] or ["申请书"]
            self.emit("supplement_requested", materials=rng.sample(names, 1))  # a second one: REPEATED_SUPPLEMENT
        elif rng.random() < 0.04:
            self.emit("rejected", staff=self.clerk, reason=rng.choice(history.REJECT_REASONS))
        else:
            self.emit("accepted", staff=self.clerk)

    def progress(self, anomaly):
        remaining = [s for s in self.steps if s not in self.done]
        if anomaly and self.anomaly(self.rng.choice(ANOMALIES_IN_PROGRESS), remaining):
            return
        if remaining and remaining[0] == "expert" and "suspended" not in self.types:
            self.emit("suspended", kind="special_procedure", reason="组织专家评审")
        elif remaining:
            self.emit("step_completed", step=remaining[0], staff=self.staff_for(remaining[0]),
                      opinion=history.OPINIONS.get(remaining[0], "同意"))
        elif any(f["code"] not in self.charged for f in self.fees):
            for fee in self.fees:
                if fee["code"] not in self.charged:
                    self.emit("fee_charged", fee_code=fee["code"], amount=f"{Decimal(str(fee['max_amount'])):.2f}")
        elif self.rng.random() < 0.02:
            self.emit("withdrawn", reason=self.rng.choice(history.WITHDRAW_REASONS))
        else:
            self.emit("completed", result="approved" if self.rng.random() < 0.95 else "denied", staff=self.clerk)

    def staff_for(self, step):
        return self.manager if step in ("approve", "review", "expert") else self.clerk

    def anomaly(self, kind, remaining):
        """Send one anomaly if it applies to this case; False when it does not."""
        if kind == "fee_over" and self.fees:
            fee = self.rng.choice(self.fees)
            self.emit("fee_charged", fee_code=fee["code"], amount=f"{Decimal(str(fee['max_amount'])) * 2:.2f}")
        elif kind == "fee_unlisted":
            code, amount = self.rng.choice([f for f in history.UNLISTED_FEES
                                            if f[0] not in {x["code"] for x in self.fees}])
            self.emit("fee_charged", fee_code=code, amount=amount)
        elif kind == "skip_steps" and remaining:
            self.emit("completed", result="approved", staff=self.clerk)
        elif kind == "out_of_order" and len(remaining) > 1:
            self.emit("step_completed", step=remaining[1], staff=self.staff_for(remaining[1]))
        elif kind == "extension_invalid":
            self.emit("extended", days=15, approved_by=self.manager, reason=self.rng.choice(history.EXTENSION_REASONS))
        elif kind == "backdated_suspension":
            return self.backdated_suspension()
        else:
            return False
        return True

    def backdated_suspension(self):
        """A suspension sent today but dated two working days back (it arrives late: data quality)."""
        accepted = next(r.occurred_at for r in self.rows if r.type == "accepted")
        back = local_date(self.now)
        for _ in range(2):
            back = _previous_workday(self.cal, back)
        at = history.local(back, 10 * 60)
        if at <= accepted or "suspended" in self.types:
            return False
        self.emit("suspended", at=at, kind="other", reason=self.rng.choice(history.OTHER_SUSPEND_REASONS))
        return True


def _previous_workday(cal, day):
    return cal.workday_before(day)
