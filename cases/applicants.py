"""The applicant an event carries (申请人 {name, id_number, phone}) is personal data: ingest takes it out
of the event before the event is stored and ledgered, and keeps it in Applicant, encrypted at rest
(docs/personal-data.md). A refused event is kept for review with its applicant masked."""
from django.db.models import Q

from core import bulk
from core.crypto import lookup_hashes
from core.masking import mask_id_number, mask_name, mask_phone

from .models import Applicant

COLUMNS = ("name", "id_number", "phone")


def take(data):
    """(the event's data without its applicant, the applicant or None)."""
    if "applicant" not in data:
        return data, None
    rest = {k: v for k, v in data.items() if k != "applicant"}
    applicant = {k: v for k, v in (data["applicant"] or {}).items() if k in COLUMNS and v}
    return rest, applicant or None


MASKS = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}


def masked(raw):
    """A raw event as a refusal keeps it: its applicant masked as the pages show them, whatever was sent
    there (a number as its digits, another key like a name, anything nested as "…")."""
    if not isinstance(raw, dict) or "applicant" not in raw:
        return raw
    applicant = raw["applicant"]
    if isinstance(applicant, dict):
        return {**raw, "applicant": {k: _mask(k, v) for k, v in applicant.items()}}
    return {**raw, "applicant": _mask("name", applicant)}


def _mask(key, value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (str, int, float)):
        return MASKS.get(key, mask_name)(str(value))
    return "…"


def rows(found):
    """The rows of cases_applicant (encrypted, hashed) for `found`, [(case_no, applicant)] in the order the
    events occurred: a case's first one. Made before ingest's transaction (the crypto holds no lock)."""
    identity = Applicant._meta.get_field("identity")
    made, seen = [], set()
    for case_no, applicant in found:
        if case_no in seen:
            continue
        seen.add(case_no)
        stored, hashes = identity.sealed_record(applicant)
        made.append([case_no, stored, *hashes])
    return made


def store(rows):
    """Keep the rows of rows(): one already stored for the case stays (its first `received`)."""
    identity = Applicant._meta.get_field("identity")
    columns = ["case_no", identity.column] + [Applicant._meta.get_field(h).column for h in identity.hash_fields]
    # COPY and one INSERT … SELECT (PostgreSQL): a statement with a parameter per value cost the driver
    # more than the rest of storing them
    bulk.upsert_rows(Applicant._meta.db_table, columns, rows, conflict=["case_no"])


def search(text):
    """A Q on Case: the applicant's name, ID number or phone is exactly `text` (keyed hashes)."""
    q = Q(pk__in=[])
    for column, kind in (("name", "text"), ("id_number", "id_number"), ("phone", "phone")):
        found = lookup_hashes(text, kind)
        if found:
            q |= Q(**{f"applicant__{column}_hash__in": found})
    return q
