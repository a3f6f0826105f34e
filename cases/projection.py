"""From events to the case row and its alerts: the only place that calls the pure clock for storage.

recompute(case_nos, now) loads every event of those cases in one query, the item versions and the
calendar, and goes the engine's plain order (docs/engine.md, "The engine's interface"): project (the
clock on each case's events, its row written), alert (the findings against the stored alerts: raised,
closed, withdrawn, moved, contested, written), count (the `projected` signal: the live counters).
What an ingest already knows (its catalog, its calendar, its own events and the clock states
computed before its transaction) comes in one `Known`.
"""
import secrets
from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext as _

from alerts.actions import AlertSpec, Reconciled, apply_reconciled, decide_alerts, store_reconciled, write_alerts
from alerts.models import ACTIVE_STATUSES, Alert, AlertStatus, Contest, highest
from catalog.models import Item
from catalog.versions import version_on, versions_by_item
from core import bulk
from ledger import chain
from orgs.lookup import centres_for
from orgs.models import Region, Window
from workdays.models import load_calendar as calendar
from workdays.zone import local_date, tz

from . import clock, rules
from .bulk import fresh_events, load_events, lock_cases
from .models import ApiClient, Case, CaseEvent, RejectedEvent
from .vocab import SUBJECT

# Sent once per recompute, after the case rows and alerts are written: new=[Case], changed=[Case],
# before={case_no: {field: value} of each changed case as it was stored}, alerts=[Alert created],
# recounted=[(alert, raised_at, +1 | -1)] for stored alerts withdrawn, re-raised or moved. Higher
# floors keep live counters with it (supervision.tally) without this module knowing them.
projected = Signal()


def item_rules(version):
    """The pure clock's view of an item version."""
    return clock.ItemRules(
        promised_days=version.promised_limit_days,
        legal_days=version.legal_limit_days,
        warn_days=version.warn_days,
        max_extension_days=version.max_extension_days,
        steps=tuple(clock.StepRule(s["code"], s["limit_days"], s.get("required", True), s.get("kind") or "",
                                   s.get("name") or "") for s in version.steps),
        fees={f["code"]: Decimal(str(f["max_amount"])) for f in version.fees},
        fee_names={f["code"]: f.get("name") or "" for f in version.fees},
    )


# What ingest and recompute read of an item: a row, not a model instance with its department and
# region (a live feed's batch touches hundreds of items; instances cost ten times as much).
ItemRef = namedtuple("ItemRef", "pk code department_id region_id")


class Catalog:
    """Items (ItemRef: with department and region ids) and their versions by item code, each loaded once: a
    batch's ingest checks codes against it and hands it on to recompute."""

    def __init__(self):
        self.items, self.by_pk, self.versions, self._asked = {}, {}, {}, set()

    def load(self, codes, ids=()):
        """Load the items of these codes and of these primary keys (the ones not loaded yet)."""
        missing, missing_ids = set(codes) - self._asked - self.items.keys(), set(ids) - self.by_pk.keys()
        if missing or missing_ids:
            self._asked |= missing
            loaded = [ItemRef(*row) for row in Item.objects.filter(Q(code__in=missing) | Q(pk__in=missing_ids))
                      .values_list("pk", "code", "department_id", "department__region_id")]
            self.items.update((item.code, item) for item in loaded)
            self.by_pk.update((item.pk, item) for item in loaded)
            self.versions.update(versions_by_item(loaded))
        return self


@dataclass
class Known:
    """What an ingest knows when it calls recompute, so that recompute need not find it again: the
    catalog it checked the batch against and the calendar; and, when every event of the batch was
    stored, `fresh` ({case_no: [EventRow]}: the batch's events, which are all the events of a case
    that had no row before) and `ahead` (the clock states of those cases, computed before the
    transaction: on SQLite that holds the database's one write lock)."""
    catalog: object
    cal: object
    fresh: dict | None = None
    ahead: dict | None = None

    @classmethod
    def before_storing(cls, rows, now, catalog, cal):
        """Known of a batch about to be stored (rows in cases.bulk.EVENT_COLUMNS order without the id):
        the clock states of the cases its events begin, each event's seq its index in `rows` until
        `stored` gives the ids."""
        known = cls(catalog, cal)
        known._rows = rows
        known._ahead = compute_ahead(fresh_events(rows, range(len(rows))), now, catalog, cal)
        return known

    def stored(self, ids, count):
        """After insert_events gave the rows `ids` and stored `count` of them: with every row stored,
        the batch's events and the states ahead (their notes now naming the events by id); with
        duplicates among them, the catalog and the calendar only (recompute reads the events)."""
        if count != len(self._rows):
            return Known(self.catalog, self.cal)
        for *_, state in self._ahead.values():
            for note in state.notes:  # the clock's notes name an event by its seq
                note["seq"] = ids[note["seq"]]
        return Known(self.catalog, self.cal, fresh_events(self._rows, ids), self._ahead)


def recompute(case_nos, now, known=None):
    """Recompute and store the projection of these cases as of `now`: project, alert, count. `known`
    (from an ingest) saves finding again what it knows: with its `fresh` events, the events of cases
    that had no row before are not read, and `ahead` gives their clock states. The other cases'
    events are read."""
    case_nos = set(case_nos)
    catalog, cal, fresh, ahead = (known.catalog, known.cal, known.fresh, known.ahead) if known else (None,) * 4
    lock_cases(case_nos)
    cases = {c.case_no: c for c in bulk.fetch(Case.objects.filter(case_no__anyof=case_nos))}
    stored = case_nos & cases.keys()  # a case row comes with its first events, in the same transaction
    events = load_events(case_nos if fresh is None else stored)
    if fresh is not None:
        events.update((no, sorted(fresh[no], key=_stored_order)) for no in case_nos - stored)
    before = {no: {f: getattr(c, f) for f in SNAPSHOT} for no, c in cases.items()}
    catalog = catalog or Catalog()
    refuse_out_of_scope(events, stored, catalog)  # events read back: held ones may come from other clients
    received = {no: _first_received(rows) for no, rows in events.items()}
    catalog.load(r.data["item_code"] for r in received.values() if r)
    windows = _windows({r.data.get("window") for r in received.values() if r and r.data.get("window")})
    alerts = _alerts_by_case(stored)  # a case without a row has raised none
    cal, zone = cal or calendar(), tz()
    new_cases, changed, specs, states, rules_of = [], [], [], [], {}
    codes = check_codes()
    for no in case_nos:
        case = cases.get(no)
        if case is None:
            case = bulk.build(Case, case_no=no, check_code=next(codes))
            new_cases.append(case)
        else:
            changed.append(case)
        found = (ahead or {}).get(no) if fresh is not None and no not in stored else None
        found = found or _clock_state(events.get(no, []), catalog, cal, now, zone, rules_of)
        if found is None:
            _apply_incomplete(case, events.get(no, []), now)
            continue
        rec, item, version, state = found
        _apply_identity(case, item, version, rec, windows)
        _apply_state(case, state)
        case.late_events = sum(1 for r in events[no] if r.late_arrival)
        states.append((case, state))
    centres = centres_for({case.region_id for case, _ in states})
    for case, state in states:
        specs.extend(_specs(case, state, centres.get(case.region_id)))
    # alert: the findings against the stored alerts, decided in memory first (a case row holds its
    # alert level), written after the case rows
    existing = {a_key(a): a for rows in alerts.values() for a in rows}
    recounted, applied = [], None
    if alerts:  # only cases that had a row can have stored alerts to reconcile
        plan = _reconcile(states, alerts, events, now, catalog, cal, zone, rules_of, fresh)
        if plan:
            recounted = _recounted(plan)
            applied = apply_reconciled(plan, now)
    decided = decide_alerts(specs, existing)
    created = decided.new
    for alert in created:
        alerts.setdefault(alert.subject_key, []).append(alert)
    for case in new_cases + changed:
        case.alert_level = active_level(alerts.get(case.case_no, []))
    # New rows straight in (no other transaction can add them: the cases' locks are held), the
    # others updated by primary key (bulk_update's CASE WHEN per column is far slower).
    bulk.insert(Case, new_cases)
    bulk.update(Case, changed, UPDATE_FIELDS + ["updated_at"])
    if applied is not None:
        store_reconciled(applied)
    write_alerts(decided)
    # count
    projected.send(sender=Case, new=new_cases, changed=changed, before=before, alerts=created, recounted=recounted)
    return created


def refuse_out_of_scope(events, case_nos, catalog):
    """Refuse, for good, the events of these cases sent by a client whose scope does not cover the case's
    department, and take them out of `events` ({case_no: [EventRow]}, as read by load_events).

    Ingest checks an event against its case's department when the case's `received` is known; events
    held before it are checked here, when it has arrived, in the transaction that applies it. The case
    is the one its first-arrived `received` (lowest seq) makes it; events of other clients outside
    that department's scope, and another client's `received` of another department's item (which would
    re-shape the case), are refused: their rows are marked (CaseEvent.refusal) and listed for review
    (RejectedEvent). Only cases whose events come from more than one client are looked at: a few
    comparisons per event."""
    anchors = {}
    for no in case_nos:
        rows = events.get(no)
        if rows and any(r.client_id != rows[0].client_id for r in rows):
            first = min((r for r in rows if r.type == "received"), key=_arrival, default=None)
            if first is not None:
                anchors[no] = first
    if not anchors:
        return
    catalog.load(r.data["item_code"] for no in anchors for r in events[no] if r.type == "received")
    items = {no: catalog.items.get(rec.data["item_code"]) for no, rec in anchors.items()}
    paths = dict(Region.objects.filter(code__in={i.region_id for i in items.values() if i}).values_list("code", "path"))
    client_ids = {r.client_id for no in anchors for r in events[no]}
    scopes = {c.pk: c.scope() for c in ApiClient.objects.filter(pk__in=client_ids).select_related("region")}
    refused = {}  # reason -> [EventRow]
    for no, first in anchors.items():
        item = items[no]
        if item is None:
            continue
        kept = []
        for row in events[no]:
            reason = None
            if row.client_id != first.client_id:
                scope = scopes.get(row.client_id)
                if scope is None or not scope.covers(item.department_id, paths.get(item.region_id, "")):
                    reason = (f"case_no: case {no!r} (item {item.code}) is outside the departments this API key may "
                              f"report for; the event was held until the case's 'received' arrived, and is not applied")
                elif row.type == "received":
                    other = catalog.items.get(row.data["item_code"])
                    if other is None or other.department_id != item.department_id:
                        reason = (f"item_code: case {no!r} was received first for item {item.code} of another "
                                  f"department; a 'received' for item {row.data['item_code']} does not change it")
            if reason:
                refused.setdefault(reason, []).append(row)
            else:
                kept.append(row)
        events[no] = kept
    _store_refusals(refused)


def _arrival(row):
    return row.seq


def _store_refusals(refused):
    """Mark the refused events' rows and list them for review beside the events refused at input."""
    review = []
    for reason, rows in refused.items():
        pks = [r.seq for r in rows]
        CaseEvent.all_events.filter(pk__in=pks).update(refusal=reason)
        for event in CaseEvent.all_events.filter(pk__in=pks).order_by("pk"):
            payload = {"event_id": event.event_id, "case_no": event.case_no, "type": event.type,
                       "occurred_at": event.occurred_at.astimezone(tz()).isoformat(), **event.data}
            review.append(RejectedEvent(client_id=event.client_id, source=event.source, index=-1,
                                        event_id=event.event_id, payload=payload, error=reason))
    chain.append_saved(RejectedEvent, [r.pk for r in RejectedEvent.objects.bulk_create(review)])


def check_codes():
    """Unguessable six-digit codes for the progress lookup (portal.track), from the operating system's
    randomness 1,024 at a time: one read per code (secrets.randbelow) cost 3 % of ingest."""
    while True:
        pool = secrets.token_bytes(4 * 1024)
        for i in range(0, len(pool), 4):
            # 2**32 is not a multiple of 10**6: the lower 967,296 codes are 1/4,295 likelier, no help to a guesser
            yield f"{int.from_bytes(pool[i:i + 4], 'big') % 10**6:06d}"


def compute_ahead(fresh, now, catalog, cal):
    """{case_no: (received, item, version, clock state)} of the cases whose 'received' is among `fresh`
    ({case_no: [EventRow]}, one batch's events), from those events alone. Ingest runs it before its
    transaction (on SQLite that holds the database's one write lock, so two workers' clocks overlap);
    recompute takes a state only for a case that still had no row under its lock, whose events are
    then exactly these."""
    zone, rules_of, states = tz(), {}, {}
    for no, rows in fresh.items():
        if any(r.type == "received" for r in rows):
            found = _clock_state(sorted(rows, key=_stored_order), catalog, cal, now, zone, rules_of)
            if found:
                states[no] = found
    return states


def _clock_state(rows, catalog, cal, now, zone, rules_of):
    """(received, item, version, clock state) of a case's events in stored order, None while its
    'received' (or its item) is unknown. rules_of caches the clock's view of each version."""
    rec = _first_received(rows)
    item = catalog.items.get(rec.data["item_code"]) if rec else None
    if item is None:
        return None
    version = version_on(catalog.versions.get(item.code, []), local_date(rec.occurred_at))
    found = rules_of.get(version.pk)
    if found is None:
        found = rules_of[version.pk] = _version_rules(version)
    return rec, item, version, clock.compute(found, rows, cal, now, zone)


def _version_rules(version):
    """item_rules of a stored version, kept on the instance: versions never change once written, and
    versions_by_item keeps the instances for the process (building the rules per batch and version was
    a few per cent of a live feed's ingest)."""
    found = version.__dict__.get("_clock_rules")
    if found is None:
        found = version.__dict__["_clock_rules"] = item_rules(version)
    return found


def active_level(alerts):
    """A case's alert_level: the highest level among its active (open, urged, answered) alerts."""
    return highest(a.level for a in alerts if a.status in ACTIVE_STATUSES)


def refresh_alert_levels(case_nos):
    """Store each case's alert_level again after its alerts changed status or level."""
    alerts = _alerts_by_case(case_nos)
    cases = list(Case.objects.filter(case_no__in=case_nos))
    for case in cases:
        case.alert_level = active_level(alerts.get(case.case_no, []))
    bulk.update(Case, cases, ["alert_level"])


# what `projected` reports of each changed case as it was before
SNAPSHOT = ("department_id", "region_id", "window_id", "status", "received_at", "clock_start", "deemed_accepted",
            "ended_at", "late")

UPDATE_FIELDS = [
    "item", "item_version", "department", "region", "window", "client", "status", "received_at", "clock_start",
    "deemed_accepted", "promised_due", "legal_due", "suspended_days", "extension_days", "ended_at", "late",
    "alert_level", "next_check_at", "channel",
    "quality_notes", "late_events", "ignored_events",
]


def a_key(alert):
    return (alert.subject_type, alert.subject_key, alert.rule, alert.step)


def _stored_order(row):
    return row.occurred_at, row.seq  # as load_events orders what it reads


def _first_received(rows):
    return next((r for r in rows if r.type == "received"), None)


def _windows(codes):
    return {w.code: w for w in Window.objects.filter(code__in=codes)} if codes else {}


def _reconcile(states, alerts, events, now, catalog, cal, zone, rules_of, fresh=None):
    """Compare each stored case's alerts with the clock's findings on its full history (docs/engine.md,
    "Reconciling alerts"). The usual case (they agree) costs one dict look-up per alert. Where they
    differ: an alert the findings lack is withdrawn, one whose raised_at moved is corrected, a
    withdrawn one found again is re-raised — unless late events (late_arrival) that arrived in this
    very batch (arrived_at = now) are what asks for the withdrawal or the move: without them the
    findings would keep the alert as stored. Then it is contested and waits for the centre. A pending
    or rejected contest is left as it is.

    A finding depends only on the events up to its instant (docs/clock.md), so when the batch's
    events of a case are known (`fresh`, an ingest) an alert raised before the earliest of them
    cannot have changed and is not compared: in a live feed the new events mostly come after every
    alert the case has."""
    plan, differing = Reconciled(), []
    known, withdrawn, limits = rules.RULES, AlertStatus.WITHDRAWN, {}
    for case, state in states:
        stored = alerts.get(case.case_no)
        if not stored:
            continue
        new = fresh.get(case.case_no) if fresh is not None else None
        earliest = min(r.occurred_at for r in new) if new else None
        found = {(f.rule, f.step or ""): f for f in state.alerts}
        diff = []
        for alert in stored:
            raised = alert.raised_at
            if alert.rule not in known:
                continue  # not the clock's
            if alert.status == withdrawn:
                finding = found.get((alert.rule, alert.step))
                if finding is not None:
                    plan.reopen.append((alert, finding))
                continue
            if earliest is not None and raised < earliest and alert.contest == Contest.NONE:
                continue  # every new event came after it
            limit = limits.get(raised.tzinfo) or limits.setdefault(raised.tzinfo, now.astimezone(raised.tzinfo))
            if raised > limit:
                continue  # raised by a writer with a later `now` (a sweep takes its own when its tick starts)
            finding = found.get((alert.rule, alert.step))
            if finding is not None and _same_instant(finding.raised_at, raised):
                if alert.contest == Contest.PENDING:
                    plan.settle.append((alert, _("争议消除：完整记录仍构成此告警")))
            elif alert.contest == Contest.NONE:
                diff.append((alert, finding))
        if diff:
            differing.append((case, diff))
    if not differing:
        return plan
    late = _late_now([case.case_no for case, _d in differing if case.late_events], now)
    for case, diff in differing:
        rows = events.get(case.case_no, [])
        cause = _describe(max(rows, key=lambda r: r.seq)) if rows else ""
        without = None
        if case.case_no in late:  # what the on-time record alone (this batch's late events left out) finds
            on_time = [r for r in rows if r.seq not in late[case.case_no]]
            got = _clock_state(on_time, catalog, cal, now, zone, rules_of)
            without = {(f.rule, f.step or ""): f for f in (got[3].alerts if got else ())}
        for alert, finding in diff:
            kept = without.get((alert.rule, alert.step)) if without is not None else None
            if kept is not None and kept.raised_at == alert.raised_at:
                asked = [r for r in rows if r.seq in late[case.case_no]]
                detail = {"would": "move" if finding else "withdraw",
                          "raised_at": finding.raised_at.isoformat() if finding else None,
                          "events": [_event_json(r, now) for r in asked]}
                what = _("更正触发时间") if finding else _("撤销")
                plan.contest.append((alert, detail, _("有争议：迟报事件 %(events)s 将%(what)s此告警，待监察中心核实")
                                     % {"events": "、".join(_describe(r) for r in asked), "what": what}))
            elif finding is None:
                plan.withdraw.append((alert, _("撤销：按完整记录此告警不成立（事件 %(event)s）") % {"event": cause}))
            else:
                plan.move.append((alert, finding.raised_at, _("触发时间更正：%(old)s → %(new)s（事件 %(event)s）") % {
                    "old": _local(alert.raised_at, zone), "new": _local(finding.raised_at, zone), "event": cause}))
    return plan


def _same_instant(found, stored):
    """found == stored, cheaply: two aware datetimes of different time zones (the clock's local
    midnights, the database's UTC) compare at about 2 µs — most of the reconcile's cost when every
    stored alert of a batch was compared so. Of the same zone object they compare as naive ones; an
    event rule's instant is its event's, read from the database like the alert's."""
    if found.tzinfo is stored.tzinfo:
        return found == stored
    return found.astimezone(stored.tzinfo) == stored


def _late_now(case_nos, now):
    """{case_no: {seq}} of the late-arriving events of these cases that arrived in this batch."""
    if not case_nos:
        return {}
    late = {}
    rows = CaseEvent.objects.filter(case_no__anyof=case_nos, arrived_at=now, late_arrival=True)
    for no, pk in rows.values_list("case_no", "pk"):
        late.setdefault(no, set()).add(pk)
    return late


def _local(instant, zone):
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _describe(row):
    return f"#{row.seq} {row.type} {_local(row.occurred_at, tz())}"


def _event_json(row, arrived):
    return {"seq": row.seq, "type": row.type, "occurred_at": row.occurred_at.isoformat(),
            "arrived_at": arrived.isoformat()}


def _recounted(plan):
    """What the live counters must take away and add for the stored alerts the plan changes."""
    out = [(a, a.raised_at, -1) for a, _n in plan.withdraw]
    out += [(a, f.raised_at, +1) for a, f in plan.reopen]  # counted again at the instant found now
    for a, raised_at, _n in plan.move:
        out += [(a, a.raised_at, -1), (a, raised_at, +1)]
    return out


@dataclass(slots=True)
class StoredAlert:
    """What the projection reads of a stored alert (building full Alert instances cost five times as
    much); alerts.actions.sync_alerts takes it where it takes an Alert."""
    pk: int
    subject_type: str
    subject_key: str
    rule: str
    step: str
    status: str
    level: str
    closed_at: datetime | None
    raised_at: datetime
    contest: str
    department_id: int | None
    region_id: str
    contest_detail: dict | None = None  # not read: alerts.actions.write_reconciled sets it where it writes it


def _alerts_by_case(case_nos):
    result = {}
    if not case_nos:
        return result
    rows = Alert.objects.filter(subject_type=SUBJECT, subject_key__anyof=case_nos)
    for row in rows.values_list("pk", "subject_type", "subject_key", "rule", "step", "status", "level", "closed_at",
                                "raised_at", "contest", "department_id", "region_id"):
        alert = StoredAlert(*row)
        result.setdefault(alert.subject_key, []).append(alert)
    return result


def _apply_incomplete(case, rows, now):
    case.status = "incomplete"
    case.next_check_at = None
    case.client_id = rows[0].client_id if rows else None
    case.quality_notes = [{"note": "no_received", "detail": "events held until the case's 'received' arrives"}]


def _apply_identity(case, item, version, rec, windows):
    case.item_id, case.item_version_id = item.pk, version.pk  # ids: the descriptors cost more than the rest
    case.department_id = item.department_id
    case.region_id = item.region_id
    window = windows.get(rec.data.get("window"))
    case.window_id = window.pk if window else None
    case.client_id = rec.client_id
    case.channel = rec.data.get("channel", "")


def _apply_state(case, state):
    case.status = state.status
    case.received_at = state.received_at
    case.clock_start = state.clock_start
    case.deemed_accepted = state.deemed_accepted
    case.promised_due = state.promised_due
    case.legal_due = state.legal_due
    case.suspended_days = state.suspended_working_days
    case.extension_days = state.extension_days
    case.ended_at = state.ended_at
    case.late = state.late
    case.next_check_at = state.next_check_at
    case.quality_notes = [_note(n) for n in state.notes]
    case.ignored_events = len(case.quality_notes)


def _note(note):
    """A clock note made JSON-safe (instants as ISO strings)."""
    if not isinstance(note, dict):
        return {"note": str(note)}
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in note.items()}


def _specs(case, state, centre):
    return [
        AlertSpec(
            subject_type=SUBJECT, subject_key=case.case_no, rule=f.rule, step=f.step or "", level=f.level,
            raised_at=f.raised_at, detail=f.detail or "", department_id=case.department_id,
            region_id=case.region_id, centre_id=centre, closed_at=f.closed_at,
        )
        for f in state.alerts
    ]
