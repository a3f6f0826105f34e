"""The ledger's own parts: SM3 as the standard gives it, the canonical serialisation, the block's hash."""
import hashlib
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import hashes

from ledger.chain import _Sm3Cryptography, _sm3_hashlib, block_hash, dumps
from ledger.roots import sm3
from ledger.models import GENESIS

AT = datetime(2026, 3, 2, 1, 0, 0, 5, tzinfo=timezone.utc)


def test_sm3_gives_the_standards_vector_for_abc():
    h = hashes.Hash(hashes.SM3())
    h.update(b"abc")
    assert h.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    for make in (_sm3_hashlib, _Sm3Cryptography) if "sm3" in hashlib.algorithms_available else (_Sm3Cryptography,):
        h = make()  # the ledger's SM3, either way it is reached, and in two pieces
        h.update(b"a")
        h.update(b"bc")
        assert h.digest().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"ab", b"c").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_canonical_form_sorts_keys_writes_instants_in_utc_and_decimals_as_strings():
    shanghai = datetime(2026, 3, 2, 9, 0, 0, 123, tzinfo=timezone.utc).astimezone(ZoneInfo("Asia/Shanghai"))
    body = dumps([["x.y", ["id", "b", "a", "at"], [(1, Decimal("85.50"), {"z": 1, "y": "张"},
                                                    shanghai.astimezone(timezone.utc))]]])
    assert body == '[["x.y",["id","b","a","at"],[[1,"85.50",{"y":"张","z":1},"2026-03-02T09:00:00.000123Z"]]]]'.encode()


def test_a_blocks_hash_covers_its_place_its_time_its_predecessor_and_its_body():
    base = block_hash(GENESIS, 0, 1, AT, b"[]")
    assert len(base) == 64
    assert block_hash(GENESIS, 0, 2, AT, b"[]") != base
    assert block_hash(GENESIS, 1, 1, AT, b"[]") != base
    assert block_hash("1" * 64, 0, 1, AT, b"[]") != base
    assert block_hash(GENESIS, 0, 1, AT.replace(microsecond=6), b"[]") != base
    assert block_hash(GENESIS, 0, 1, AT, b"[ ]") != base
