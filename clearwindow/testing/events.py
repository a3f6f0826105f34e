import json
from datetime import datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

_ids = count(1)


def ev(case_no, type_, at, **fields):
    """One exchange event as an integrator would send it."""
    return {"event_id": f"e{next(_ids)}", "case_no": case_no, "type": type_, "occurred_at": at, **fields}


def post(client, key, events, raw=None):
    body = raw if raw is not None else json.dumps({"events": events})
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post("/api/v1/events", data=body, content_type="application/json", **headers)


def get_case(client, key, case_no, as_of=None):
    url = f"/api/v1/cases/{case_no}" + (f"?as_of={as_of.replace('+', '%2B')}" if as_of else "")
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def earlier_today(minutes=0):
    """An instant `minutes` ago in local time, but not before today's local midnight, so that an event
    meant to count as "today" does so also when the test runs just after midnight."""
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(microsecond=0)
    return max(now - timedelta(minutes=minutes), now.replace(hour=0, minute=0, second=0)).isoformat()
