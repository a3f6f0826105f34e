"""Personal data encrypted at rest (docs/personal-data.md): SM4-GCM for the values, HMAC-SM3 keyed
hashes for the look-ups that need equality, through `cryptography` (OpenSSL) — no home-made crypto.

The key is a 32-byte master key (64 hex characters) from the environment or a key file, never the
database (settings: PERSONAL_DATA_KEY / PERSONAL_DATA_KEY_FILE; older keys, for reading values not yet
rotated: PERSONAL_DATA_OLD_KEYS / PERSONAL_DATA_OLD_KEY_FILE). From it HKDF-SM3 derives the SM4 key
(16 bytes), the HMAC-SM3 key (32 bytes) and the key id (8 hex characters, stored in every value).

A stored value: "sm4:<key id>:<base64url(nonce 12 bytes ‖ ciphertext ‖ GCM tag 16 bytes)>", a random
nonce per value; the additional data is the field's label ("complaints.complainantidentity.phone"),
so a value copied into another column does not decrypt there. "" stays "" (an anonymous complaint).
"""
import base64
import json
import os
import re
from contextlib import nullcontext
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection, models, transaction
from django.db.models.lookups import Exact, IsNull

PREFIX = "sm4:"
NONCE = 12
TAG = 16
HEX_KEY = re.compile(r"^[0-9a-fA-F]{64}$")


class KeyNotConfigured(ImproperlyConfigured):
    """A value was encrypted with a key that is not configured (current or old)."""


class Key:
    def __init__(self, master_hex):
        master = bytes.fromhex(master_hex)
        self.sm4 = _derive(master, b"clearwindow personal data sm4", 16)
        self.mac = _derive(master, b"clearwindow personal data hmac-sm3", 32)
        self.id = _derive(master, b"clearwindow personal data key id", 4).hex()
        self.cipher = algorithms.SM4(self.sm4)  # checked once: each value's Cipher takes it as it is
        self._hmac = hmac.HMAC(self.mac, hashes.SM3())  # copied for each hash: half the cost of a new one

    def keyed_hash(self, data):
        h = self._hmac.copy()
        h.update(data)
        return h.finalize().hex()


def _derive(master, info, length):
    return HKDF(algorithm=hashes.SM3(), length=length, salt=None, info=info).derive(master)


def check_key(text, name):
    """The hex master key `text` given in the setting/variable `name`, or ImproperlyConfigured naming it."""
    text = text.strip()
    if not HEX_KEY.match(text):
        raise ImproperlyConfigured(f"{name}: expected 64 hexadecimal characters (a 32-byte key, e.g. python3 -c "
                                   f"'import secrets; print(secrets.token_hex(32))'), got {len(text)} characters")
    return text.lower()


@lru_cache(maxsize=1)
def keys():
    """(current Key, {key id: Key} of every configured key)."""
    current = Key(check_key(settings.PERSONAL_DATA_KEY, "PERSONAL_DATA_KEY"))
    known = {current.id: current}
    for i, old in enumerate(settings.PERSONAL_DATA_OLD_KEYS):
        key = Key(check_key(old, f"PERSONAL_DATA_OLD_KEYS[{i}]"))
        known.setdefault(key.id, key)
    return current, known


def _reset(setting, **kwargs):
    if setting in ("PERSONAL_DATA_KEY", "PERSONAL_DATA_OLD_KEYS"):
        keys.cache_clear()


setting_changed.connect(_reset, dispatch_uid="core.crypto.reset")


def current_key_id():
    return keys()[0].id


def key_id_of(stored):
    """The key id a stored value was encrypted with ('' for an empty or plain value)."""
    return stored[4:12] if stored and stored.startswith(PREFIX) else ""


def encrypt(value, aad):
    """The stored form of text `value` (str) under the current key; "" stays ""."""
    if not value:
        return ""
    key = keys()[0]
    nonce = os.urandom(NONCE)
    enc = Cipher(key.cipher, modes.GCM(nonce)).encryptor()
    enc.authenticate_additional_data(aad.encode())
    sealed = nonce + enc.update(value.encode()) + enc.finalize() + enc.tag
    return f"{PREFIX}{key.id}:{base64.urlsafe_b64encode(sealed).decode().rstrip('=')}"


def decrypt(stored, aad):
    """The text of a stored value. A value without the prefix (written before encryption) is returned as
    it is; one whose key is not configured, or that fails authentication, raises."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    kid = stored[4:12]
    key = keys()[1].get(kid)
    if key is None:
        raise KeyNotConfigured(f"a personal data value ({aad}) was encrypted with key {kid}, which is not configured: "
                               "give that key in PERSONAL_DATA_OLD_KEYS (or PERSONAL_DATA_OLD_KEY_FILE)")
    sealed = base64.urlsafe_b64decode(stored[13:] + "=" * (-len(stored[13:]) % 4))
    nonce, body, tag = sealed[:NONCE], sealed[NONCE:-TAG], sealed[-TAG:]
    dec = Cipher(key.cipher, modes.GCM(nonce, tag)).decryptor()
    dec.authenticate_additional_data(aad.encode())
    try:
        return (dec.update(body) + dec.finalize()).decode()
    except InvalidTag:
        raise ValueError(f"a personal data value ({aad}, key {kid}) does not authenticate: it was altered, or "
                         "copied from another column") from None


# -- keyed hashes for equality look-ups ------------------------------------------------------------
def digits(value):
    return "".join(ch for ch in value if ch.isdigit())


NORMALISE = {
    "text": lambda v: " ".join(v.split()),
    "phone": digits,
    "id_number": lambda v: v.strip().upper(),
    "email": lambda v: v.strip().lower(),
}


def keyed_hash(value, kind="text", key=None):
    """HMAC-SM3 (hex) of the normalised value under the current key (or `key`); "" for an empty one."""
    value = NORMALISE[kind](value or "")
    if not value:
        return ""
    return (key or keys()[0]).keyed_hash(value.encode())


def lookup_hashes(value, kind="text"):
    """The keyed hashes `value` has under every configured key: filter with `<hash>__in=` so that rows not
    yet rotated (rotate_keys) are found too. [] for an empty value."""
    if not NORMALISE[kind](value or ""):
        return []
    return list(dict.fromkeys(keyed_hash(value, kind, key) for key in keys()[1].values()))


# -- the model field -------------------------------------------------------------------------------
class EncryptedTextField(models.TextField):
    """Text kept encrypted (SM4-GCM): encrypted when written, decrypted when read. No look-up but
    `isnull` and `= ""`: compare a keyed hash instead. `hash_field` names a CharField(64) of the same
    model kept equal to keyed_hash(value, hash_kind) on every save (rotate_keys recomputes it).
    Or the value is a record, several values in one (record_text), and `record_hashes`
    {hash field: (the record's key, hash kind)} keeps each hash field equal to the keyed hash of its
    key's value. `max_length` checks the plain text in forms and full_clean."""

    description = "Text encrypted with SM4-GCM"

    def __init__(self, *args, hash_field=None, hash_kind="text", record_hashes=None, **kwargs):
        self.hash_field, self.hash_kind, self.record_hashes = hash_field, hash_kind, record_hashes
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"], kwargs["hash_kind"] = self.hash_field, self.hash_kind
        if self.record_hashes:
            kwargs["record_hashes"] = self.record_hashes
        return name, path, args, kwargs

    @property
    def hash_fields(self):
        """The names of the fields holding this one's keyed hashes, in the order of hashes()."""
        return [self.hash_field] if self.hash_field else list(self.record_hashes or ())

    def hashes(self, plain):
        """The keyed hashes of the plain value (text, or a record's text), in the order of hash_fields."""
        if self.hash_field:
            return [keyed_hash(plain or "", self.hash_kind)]
        return self.record_hashes_of(record_of(plain)) if self.record_hashes else []

    def record_hashes_of(self, record):
        """The keyed hashes of a record {key: text}, in the order of record_hashes."""
        return [keyed_hash(record.get(key) or "", kind) for key, kind in self.record_hashes.values()]

    def sealed_record(self, record):
        """(stored value, [keyed hashes]) of a record {key: text}: what a save of it writes, for writing
        rows without the ORM (cases.applicants.rows)."""
        return encrypt(record_text(record), self.aad), self.record_hashes_of(record)

    @property
    def aad(self):
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        return decrypt(value, self.aad) if value else value

    def get_db_prep_save(self, value, connection):
        value = self.get_prep_value(value)
        return encrypt(value, self.aad) if value else value

    def pre_save(self, instance, add):
        value = super().pre_save(instance, add)
        for name, digest in zip(self.hash_fields, self.hashes(value)):
            setattr(instance, name, digest)
        return value

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EmptyOnly
        raise FieldError(f"{self.name} is encrypted: it cannot be searched with '{lookup_name}'; "
                         "compare its keyed hash (core.crypto.lookup_hashes)")


class EmptyOnly(Exact):
    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(f"{self.lhs.target.name} is encrypted: compare its keyed hash "
                             "(core.crypto.lookup_hashes), not its value")
        return super().get_prep_lookup()


def encrypted_fields(model):
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


_RECORD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)  # made once: json.dumps
# with these arguments makes an encoder per call


def record_text(record):
    """A record's text, as an EncryptedTextField with record_hashes holds it: compact JSON, keys sorted,
    of its non-empty values ({key: text}); "" when none is."""
    kept = {k: v for k, v in record.items() if v}
    return _RECORD.encode(kept) if kept else ""


def record_of(text):
    """The record {key: text} of record_text's text ({} for "")."""
    return json.loads(text) if text else {}


# -- key rotation ------------------------------------------------------------------------------------
def rotate(batch=1000):
    """Re-encrypt under the current key every value that is not (older keys, or plain values written
    before encryption) and recompute its row's keyed hashes: table by table, `batch` rows a transaction
    (locked on PostgreSQL while they are rewritten), so an interrupted run resumes where it stopped —
    rows already under the current key are skipped. Returns {model label: rows rewritten}."""
    from django.apps import apps

    current, q = current_key_id(), connection.ops.quote_name
    lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
    done = {}
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        table, pk = q(model._meta.db_table), q(model._meta.pk.column)
        sets = [f"{q(f.column)} = %s" for f in fields] + [
            f"{q(model._meta.get_field(h).column)} = %s" for f in fields for h in f.hash_fields]
        columns = ", ".join(q(f.column) for f in fields)

        def rewrite(cursor, rows):  # called within this turn of the loop
            updates = []
            for key, *stored in rows:
                if all(not v or key_id_of(v) == current for v in stored):
                    continue
                plain = [decrypt(v, f.aad) if v else v for f, v in zip(fields, stored)]
                updates.append([encrypt(v, f.aad) if v else v for f, v in zip(fields, plain)]
                               + [h for f, v in zip(fields, plain) for h in f.hashes(v)]
                               + [key])
            if updates:
                cursor.executemany(f"UPDATE {table} SET {', '.join(sets)} WHERE {pk} = %s", updates)
            return len(updates)

        done[model._meta.label_lower] = _in_batches(connection, table, pk, columns, batch, rewrite,
                                                    atomic=True, lock=lock)
    return done


def rewrite_columns(connection, table, aads, hashes=None, *, to_plain=False, batch=2000):
    """For data migrations: encrypt the plain values of `table`'s columns ({column: aad}), or with
    to_plain=True decrypt them back, and set the columns of `hashes` ({hash column: (column, function of
    its plain value)}), `batch` rows at a time by primary key `id`."""
    hashes = hashes or {}
    q = connection.ops.quote_name
    columns = list(aads)
    sets = ", ".join(f"{q(c)} = %s" for c in [*columns, *hashes])

    def rewrite(cursor, rows):
        updates = []
        for key, *stored in rows:
            plain = {c: decrypt(v, aads[c]) if v else (v or "") for c, v in zip(columns, stored)}
            values = [plain[c] if to_plain else encrypt(plain[c], aads[c]) for c in columns]
            updates.append(values + [make(plain[source]) for source, make in hashes.values()] + [key])
        cursor.executemany(f"UPDATE {q(table)} SET {sets} WHERE id = %s", updates)
        return len(updates)

    _in_batches(connection, q(table), "id", ", ".join(q(c) for c in columns), batch, rewrite)


def _in_batches(connection, table, pk, columns, batch, write, *, atomic=False, lock=""):
    """Walk `table` (quoted) by its primary key `pk`, `batch` rows at a time: read each batch's
    (pk, `columns`) and hand them to write(cursor, rows), which writes them back on the same cursor before
    the next batch is read and returns how many rows it rewrote. With atomic=True each batch is one
    transaction, its rows locked by `lock` (" FOR UPDATE" on PostgreSQL). Returns the rows rewritten."""
    last, rewritten = None, 0
    while True:
        with transaction.atomic() if atomic else nullcontext(), connection.cursor() as cursor:
            after = "" if last is None else f"WHERE {pk} > %s "
            cursor.execute(f"SELECT {pk}, {columns} FROM {table} {after}ORDER BY {pk} LIMIT %s{lock}",
                           ([] if last is None else [last]) + [batch])
            rows = cursor.fetchall()
            if not rows:
                return rewritten
            last = rows[-1][0]
            rewritten += write(cursor, rows)
