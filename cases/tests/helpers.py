import json
from itertools import count

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
