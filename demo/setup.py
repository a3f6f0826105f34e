"""Writing the demo region into the database (demo_setup). Idempotent: everything is upserted by
code, so running it again changes nothing (and a newer generator updates what differs).
The case history goes in through cases.ingest like any approval system's events: re-sending it only
counts duplicates (and adds whatever has happened since)."""
import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.db import transaction

from django.utils import timezone

from cases.ingest import ingest
from cases.models import ApiClient
from catalog.importer import import_catalog
from core.audit import record
from orgs.models import Centre, Department, Hall, Region, Staff, Window
from video.models import Camera
from workdays.models import load_calendar
from workdays.zone import local_date

from . import history
from .region import build

DEMO_CLIENT = "demo-approval-system"
DEFAULT_HISTORY_DAYS = 90

DEFAULT_PASSWORD = "demo12345"


def demo_password():
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def do_setup_demo(actor="demo_setup", seed=2025):
    """Seed the calendar (if the workdays app offers it), import the demo catalog, then create the
    centres, cameras, staff and demo log-ins. Returns {what: count of rows it created}."""
    if "seed_calendar" in get_commands():
        call_command("seed_calendar", verbosity=0)
    demo = build(seed)
    with transaction.atomic():
        import_catalog(demo["catalog"], actor)
        created = {
            "centres": _sync_centres(demo["centres"]),
            "cameras": _sync_cameras(demo["cameras"]),
            "staff": _sync_staff(demo["staff"]),
            "users": _sync_logins(demo["logins"]),
        }
        record(actor, "demo.setup", "demo", seed, after=created)
    return created


def _ids(model, codes):
    return dict(model.objects.filter(code__in=set(codes)).values_list("code", "pk"))


def _sync(model, rows):
    """Create or update `model` rows by code (rows: {code, field: value, ...}); returns the count created."""
    existing = model.objects.in_bulk([r["code"] for r in rows], field_name="code")
    new, changed = [], []
    fields = [name for name in rows[0] if name != "code"]
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            new.append(model(**row))
        elif any(getattr(obj, name) != row[name] for name in fields):
            for name in fields:
                setattr(obj, name, row[name])
            changed.append(obj)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, [name.removesuffix("_id") for name in fields])
    return len(new)


def _sync_centres(centres):
    return _sync(Centre, [{"code": c["code"], "name": c["name"], "region_id": c["region"], "phone": c["phone"],
                           "email": c["email"]} for c in centres])


def _sync_cameras(cameras):
    halls = _ids(Hall, [c["hall"] for c in cameras])
    created = _sync(Camera, [
        {"code": c["code"], "name": c["name"], "hall_id": halls[c["hall"]], "stream_url": c["stream_url"],
         "retention_days": c["retention_days"], "active": c["active"]} for c in cameras
    ])
    ids = _ids(Camera, [c["code"] for c in cameras])
    windows = _ids(Window, [w for c in cameras for w in c["windows"]])
    through = Camera.windows.through
    through.objects.filter(camera_id__in=ids.values()).delete()
    through.objects.bulk_create([through(camera_id=ids[c["code"]], window_id=windows[w])
                                 for c in cameras for w in c["windows"]])
    return created


def _sync_staff(staff):
    centres = _ids(Centre, [s["centre"] for s in staff if s["centre"]])
    departments = _ids(Department, [s["department"] for s in staff if s["department"]])
    windows = _ids(Window, [s["window"] for s in staff if s["window"]])
    return _sync(Staff, [
        {"code": s["code"], "name": s["name"], "role": s["role"], "post": s["post"], "phone": s["phone"],
         "centre_id": centres.get(s["centre"]), "department_id": departments.get(s["department"]),
         "window_id": windows.get(s["window"]), "active": True} for s in staff
    ])


def _sync_logins(logins):
    """One log-in per demo role, linked to its staff record. A password is set only when the user
    is created (hashing is deliberately slow); `reset_demo_passwords` sets them again."""
    users = get_user_model().objects.in_bulk([u for u, _, _ in logins], field_name="username")
    created = 0
    for username, staff_code, _text in logins:
        user = users.get(username)
        if user is None:
            user = _create_login(username)
            created += 1
        Staff.objects.filter(user=user).exclude(code=staff_code).update(user=None)
        Staff.objects.filter(code=staff_code).update(user=user)
    return created


def _create_login(username):
    model = get_user_model()
    if username == "admin":
        return model.objects.create_superuser(username, password=demo_password())
    return model.objects.create_user(username, password=demo_password())


def reset_demo_passwords(logins):
    for user in get_user_model().objects.filter(username__in=[u for u, _, _ in logins]):
        user.set_password(demo_password())
        user.is_active = True
        user.save(update_fields=["password", "is_active"])


# ---- case history ------------------------------------------------------------------------------
def demo_client(actor="demo_setup"):
    """The API client the demo's approval systems report as: the whole League. Its key is not kept
    (events go through cases.ingest directly); `create_api_client` makes one with a key."""
    client = ApiClient.objects.filter(name=DEMO_CLIENT).first()
    if client is None:
        client = ApiClient(name=DEMO_CLIENT, region=Region.objects.get(code=history.d.LEAGUE[0]))
        client.set_new_key()
        client.save()
        record(actor, "create", "ApiClient", client.pk, after={"name": DEMO_CLIENT, "region": client.region_id})
    return client


def do_load_history(days, actor="demo_history", seed=2025, now=None, end=None, departments=None, scale=1.0,
                    progress=None):
    """Send the generated history of the `days` days up to `end` (default: today) through ingest, as
    an import of historical events, in batches of 5,000 that never split a case; events after `now`
    have not happened yet. `scale` multiplies the volume. Returns the counts."""
    now = now or timezone.now()
    end = end or local_date(now)
    client = demo_client(actor)
    cases = history.generate(build(seed), end - timedelta(days=days - 1), end, until=now, seed=seed,
                             cal=load_calendar(), departments=departments, scale=scale)
    totals = {"cases": 0, "events": 0, "accepted": 0, "duplicates": 0, "rejected": 0}
    counted = _counting(cases, totals)
    for batch in history.batches(counted):
        result = ingest(client, batch, now=now, source="import", historical=True)
        totals["events"] += len(batch)
        totals["accepted"] += result.accepted
        totals["duplicates"] += result.duplicates
        totals["rejected"] += len(result.rejected)
        if progress:
            progress(totals)
    record(actor, "demo.history", "demo", seed, after={"days": days, **totals})
    return totals


def _counting(cases, totals):
    for case in cases:
        totals["cases"] += 1
        yield case
