"""The `key` path converter: a record's stored string key (case number, department or camera code,
urge/complaint/rating/observation/accountability number) in a URL, whatever characters it holds.

Every URL pattern that carries such a key uses `<key:…>` and every link is built by `reverse()` or
`{% url %}`, so no stored value can break a page. `/` cannot travel percent-encoded (the server
decodes `%2F` before routing), so the converter writes `~` followed by two hex digits for `~`, `/`,
control characters, and a key that is only dots (`.`/`..` would be resolved away by the browser);
Django's `reverse()` percent-encodes the rest (`?`, `#`, `%`, space, Chinese). Ordinary keys
(`152500-GAJ-20260301-0001`) stay as they are. A URL that decodes to a NUL byte, or holds a `~` not
followed by two hex digits, matches nothing (404): no stored key can hold NUL on PostgreSQL.
"""
import re

_UNSAFE = re.compile(r"[~/\x00-\x1f\x7f]")
_ESCAPE = re.compile(r"~([0-9A-Fa-f]{2})")


def _escape(match):
    return f"~{ord(match[0]):02X}"


class KeyConverter:
    regex = "[^/]+"

    def to_python(self, value):
        if "~" in value:
            if "~" in _ESCAPE.sub("", value):
                raise ValueError("a ~ must be followed by two hex digits")
            value = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), value)
        if "\x00" in value:
            raise ValueError("no key holds a NUL byte")
        return value

    def to_url(self, value):
        value = str(value)
        if value and value.strip(".") == "":
            return "~2E" * len(value)
        return _UNSAFE.sub(_escape, value)
