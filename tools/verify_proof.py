#!/usr/bin/env python3
"""Check a ClearWindow ledger proof offline, without ClearWindow's database (docs/ledger.md).

    python3 tools/verify_proof.py proof.json [--public-key HEX]

A proof (made by `manage.py ledger_proof KIND ID`) holds one record as the ledger keeps it, the path
from its leaf to its block's records root, the path from there to its day's records root, the day's
heads root and root, and the centre's Ed25519 signature of the root. This script recomputes every
step with SM3 and checks the signature; pass the centre's published public key (the /ledger/ page)
with --public-key so that a proof signed with another key is refused. Needs only Python 3 and the
`cryptography` package. Prints what was proven and exits 0, or names the failing step and exits 1.
"""
import argparse
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sm3(*parts):
    h = hashes.Hash(hashes.SM3())
    for part in parts:
        h.update(part)
    return h.finalize()


def canonical(value):
    """JSON as the ledger writes it: keys sorted, no whitespace, UTF-8 (the record's values are
    already JSON: instants as UTC text, decimals as strings)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def climb(node, steps):
    for side, sibling in steps:
        sibling = bytes.fromhex(sibling)
        node = sm3(b"\x01", sibling, node) if side == "L" else sm3(b"\x01", node, sibling)
    return node


def check(proof, public_key=None):
    """[] when the proof holds, else the failing steps."""
    if proof.get("format") != "clearwindow-ledger-proof/1":
        return ["not a ClearWindow ledger proof (format)"]
    record, block, day = proof["record"], proof["block"], proof["day"]
    leaf = sm3(b"\x00", canonical([record["kind"], dict(zip(record["columns"], record["values"]))]))
    if climb(leaf, block["path"]).hex() != block["records_root"]:
        return ["the record is not in its block: the record or its path was changed"]
    if climb(bytes.fromhex(block["records_root"]), day["path"]).hex() != day["records_root"]:
        return ["the block is not in its day's records root"]
    root = sm3(b"\x02", bytes.fromhex(day["heads_root"]), bytes.fromhex(day["records_root"])).hex()
    if root != day["root"]:
        return ["the day's root is not the root of its heads and records"]
    if not day.get("signature"):
        return ["the day's root is not signed"]
    if public_key and public_key.lower() != day["public_key"].lower():
        return ["signed with another key than the one given"]
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(day["public_key"])).verify(
            bytes.fromhex(day["signature"]), f"ClearWindow ledger {day['day']} {day['root']}".encode())
    except (InvalidSignature, ValueError):
        return ["the signature does not verify"]
    return []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("proof", help="the proof file (JSON)")
    parser.add_argument("--public-key", help="the centre's Ed25519 public key (hex), as /ledger/ publishes it")
    args = parser.parse_args(argv)
    with open(args.proof, encoding="utf-8") as f:
        proof = json.load(f)
    problems = check(proof, args.public_key)
    if problems:
        print("NOT PROVEN: " + "; ".join(problems))
        return 1
    r = proof["record"]
    print(f"PROVEN: {r['kind']} id={r['values'][0]} is in the ledger as shown, under the root of {proof['day']['day']} "
          f"{proof['day']['root']} signed by {proof['day']['public_key']}"
          + ("" if args.public_key else " (pass --public-key to check whose key that is)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
