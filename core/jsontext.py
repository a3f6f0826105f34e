"""JSON text in and out, one way for the whole project: orjson where it can, the standard library
where orjson refuses, and never NaN or Infinity (Python's json reads them, but they are not JSON,
RFC 8259, and no JSON column can store them)."""
import json

import orjson


def parse(data):
    """The value of JSON text (str or bytes). Raises ValueError when it is not JSON. A byte-order
    mark or UTF-16 is read as json.loads reads it; an integer beyond 64 bits becomes a float."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data, parse_constant=_not_json)


def dump(value):
    """JSON text of a value (UTF-8, no ASCII escapes) by orjson, in a tenth of json.dumps's time;
    what orjson refuses (integers beyond 64 bits, keys that are not strings) goes through json.dumps."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False)


def _not_json(name):
    raise ValueError(f"{name} is not a JSON value")
