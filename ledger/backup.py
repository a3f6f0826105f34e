"""Backup and restore (docs/ledger.md, "Backup and restore"): the database, the registered file
directories (core.backup: media, evidence clips), the ledger's signed roots exported apart, and a
manifest with the SM3 hash of every file and where the keys are (never the keys), signed with the
centre's ledger key. The ledger lives here because it is what proves a restore: the restored database
must give the same roots, and verify_ledger and verify_evidence must pass on it.

Layout of a backup (a directory, `clearwindow-backup-YYYYMMDD-HHMMSS`):

    manifest.json        format, when, the database's vendor, every file's size and SM3, the keys' location,
                         the ledger's lanes and roots at the time
    manifest.sig         hex Ed25519 signature of manifest.json's bytes (when the key was readable)
    database.dump        PostgreSQL: pg_dump --format=custom      | database.sqlite3: SQLite's online backup
    ledger-roots.json    every daily root with its signature and public key (also inside the dump)
    files/<name>/…       each registered directory
"""
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection, connections

from core import backup as registry

FORMAT = "clearwindow-backup/1"
CHUNK = 1 << 20


class BackupError(Exception):
    pass


def sm3_file(path):
    h = hashes.Hash(hashes.SM3())
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            h.update(chunk)
    return h.finalize().hex()


def _pg_env(db):
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def key_locations():
    """Where the keys are (not the keys): SECRET_KEY's source and every *_KEY_FILE setting's path."""
    found = {"SECRET_KEY": "the environment (SECRET_KEY)" if os.environ.get("SECRET_KEY")
             else str(settings.VAR_DIR / "secret_key")}
    for name in sorted(dir(settings)):
        if name.endswith("_KEY_FILE") and isinstance(getattr(settings, name), str):
            found[name] = getattr(settings, name) or "(not set)"
    return found


def _roots():
    from .models import DailyRoot, Lane

    roots = [{"day": r.day.isoformat(), "heads": r.heads, "heads_root": r.heads_root, "records_root": r.records_root,
              "root": r.root, "signature": r.signature, "public_key": r.public_key}
             for r in DailyRoot.objects.order_by("day")]
    lanes = [[n, s, h] for n, s, h in Lane.objects.order_by("number").values_list("number", "seq", "head")]
    return roots, lanes


def make_backup(dest, now=None):
    """Write a backup under the directory `dest`; returns its path."""
    from .roots import public_hex, signing_key

    now = now or datetime.now(timezone.utc)
    out = Path(dest) / f"clearwindow-backup-{now:%Y%m%d-%H%M%S}"
    out.mkdir(parents=True)
    db = connection.settings_dict
    # the roots and the lanes' heads first: the dump, taken after, holds them (and maybe later blocks)
    roots, lanes = _roots()
    from .models import Block

    blocks = Block.objects.count()
    if connection.vendor == "postgresql":
        dump = out / "database.dump"
        done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]],
                              env=_pg_env(db), capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    elif connection.vendor == "sqlite":
        dump = out / "database.sqlite3"
        if connection.in_atomic_block:  # the backup would wait for this very transaction forever
            raise BackupError("database: a SQLite backup cannot be taken inside a transaction")
        connection.ensure_connection()
        target = sqlite3.connect(dump)
        try:
            connection.connection.backup(target)  # SQLite's online backup: consistent while others write
        finally:
            target.close()
    else:
        raise BackupError(f"database: {connection.vendor} is not supported")
    (out / "ledger-roots.json").write_text(json.dumps({"roots": roots, "lanes": lanes}, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    for name, path in registry.directories().items():
        if path.is_dir():
            shutil.copytree(path, out / "files" / name, symlinks=False)
    files = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        files[rel] = {"size": path.stat().st_size, "sm3": sm3_file(path)}
    try:
        key = signing_key()
    except (OSError, ValueError, TypeError):
        key = None
    manifest = {
        "format": FORMAT, "created_at": now.isoformat(), "database": connection.vendor,
        "directories": {name: str(path) for name, path in registry.directories().items()},
        "files": files, "keys": key_locations(),
        "ledger": {"lanes": lanes, "blocks": blocks, "roots": len(roots),
                   "last_root": roots[-1]["root"] if roots else ""},
        "public_key": public_hex(key) if key else "",
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    (out / "manifest.json").write_bytes(body)
    if key:
        (out / "manifest.sig").write_text(key.sign(body).hex() + "\n")
    return out


def check_backup(src):
    """The backup's manifest (a dict) once every file is as the manifest lists it and the signature holds;
    raises BackupError naming each problem otherwise. Reads, never writes."""
    from .roots import public_hex, signing_key

    src = Path(src)
    try:
        body = (src / "manifest.json").read_bytes()
        manifest = json.loads(body)
    except (OSError, ValueError) as error:
        raise BackupError(f"manifest.json: cannot be read ({error})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"manifest.json: format {manifest.get('format')!r}, expected {FORMAT!r}")
    problems = []
    if manifest.get("public_key"):
        try:
            signature = bytes.fromhex((src / "manifest.sig").read_text().strip())
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(manifest["public_key"])).verify(signature, body)
        except (OSError, ValueError, InvalidSignature):
            problems.append("manifest.sig: the manifest's signature does not verify")
        try:
            key = signing_key()
        except (OSError, ValueError, TypeError):
            key = None
        if key is not None and public_hex(key) != manifest["public_key"]:
            problems.append("manifest.json: signed with another key than the centre's configured key")
    listed = manifest.get("files", {})
    present = {p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file()} - {"manifest.json",
                                                                                      "manifest.sig"}
    for rel in sorted(present - set(listed)):
        problems.append(f"{rel}: not in the manifest (added after the backup)")
    for rel, meta in sorted(listed.items()):
        path = src / rel
        if not path.is_file():
            problems.append(f"{rel}: missing")
        elif path.stat().st_size != meta["size"] or sm3_file(path) != meta["sm3"]:
            problems.append(f"{rel}: its SM3 hash is not the manifest's (the file was changed or damaged)")
    if problems:
        raise BackupError("the backup does not match its manifest; nothing was restored:\n  " + "\n  ".join(problems))
    return manifest


def _pg_admin(db, statement, params=()):
    """Run one statement on the server's maintenance database (CREATE DATABASE needs no transaction)."""
    import psycopg

    kwargs = {k: v for k, v in {"host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER"),
                                 "password": db.get("PASSWORD")}.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **kwargs) as conn:
        cursor = conn.execute(statement, params)
        return cursor.fetchall() if cursor.description else None


def _pg_exists(db):
    return bool(_pg_admin(db, "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]))


def _target_problems(manifest):
    """Why restoring here would overwrite something (a list; empty when the targets are free)."""
    problems = []
    db = connection.settings_dict
    if manifest["database"] != connection.vendor:
        problems.append(f"database: the backup is of {manifest['database']}, this site uses {connection.vendor}")
    elif connection.vendor == "postgresql":
        if _pg_exists(db):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
                if cursor.fetchone()[0]:
                    problems.append(f"database: {db['NAME']} exists and holds tables: restore into a new or empty "
                                    "database (drop it, or point DATABASE_URL at a new name)")
    else:
        path = Path(db["NAME"])
        if str(db["NAME"]).startswith(("file:", ":memory:")) or db["NAME"] == ":memory:":
            problems.append("database: an in-memory SQLite database cannot be restored into")
        elif path.exists() and path.stat().st_size:
            problems.append(f"database: {path} exists: move it away first")
    for name, target in registry.directories().items():
        prefix = f"files/{name}/"
        for rel, meta in manifest["files"].items():
            if rel.startswith(prefix):
                there = target / rel[len(prefix):]
                if there.exists() and sm3_file(there) != meta["sm3"]:
                    problems.append(f"{there}: exists with other content")
                    break
    return problems


def restore_backup(src, stdout=None):
    """Check the backup, then restore the database and the files; returns the manifest. Nothing is
    written unless the whole backup matches its manifest and no target holds other data."""
    src = Path(src)
    manifest = check_backup(src)
    problems = _target_problems(manifest)
    if problems:
        raise BackupError("nothing was restored:\n  " + "\n  ".join(problems))
    db = connection.settings_dict
    connections.close_all()
    if connection.vendor == "postgresql":
        if not _pg_exists(db):
            from psycopg import sql

            _pg_admin(db, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", db["NAME"],
                               str(src / "database.dump")], env=_pg_env(db), capture_output=True, text=True)
        if done.returncode:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
    else:
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / "database.sqlite3", db["NAME"])
    for name, target in registry.directories().items():
        source = src / "files" / name
        if source.is_dir():  # files already there are the same (checked above): kept as they are
            shutil.copytree(source, target, dirs_exist_ok=True,
                            copy_function=lambda a, b: None if os.path.exists(b) else shutil.copy2(a, b))
    problem = _restored_ledger_problem(json.loads((src / "ledger-roots.json").read_text(encoding="utf-8")))
    if problem:
        raise BackupError(f"the restored database {problem}")
    return manifest


def _restored_ledger_problem(exported):
    """What the restored database lacks of the ledger the backup exported before its dump ('' if nothing):
    every exported root, as it was, and each lane reaching at least its exported head (the dump, taken
    after, may hold later blocks and roots)."""
    from .models import Block

    roots, _ = _roots()
    by_day = {r["day"]: r for r in roots}
    for r in exported["roots"]:
        if by_day.get(r["day"]) != r:
            return f"does not hold the ledger root of {r['day']} as the backup exported it"
    for lane, seq, head in exported["lanes"]:
        if seq and Block.objects.filter(lane=lane, seq=seq).values_list("hash", flat=True).first() != head:
            return f"does not hold block {seq} of ledger lane {lane} as the backup exported it"
    return ""
