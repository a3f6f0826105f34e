"""Personal data at rest (core.crypto): the national algorithms give their published test vectors, a
value encrypts with a fresh nonce under a key id, does not decrypt in another column or once altered,
and the server refuses to start without a key."""
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import FieldError

from complaints.models import ComplainantIdentity
from core import crypto

ROOT = Path(__file__).resolve().parents[2]
AAD = "complaints.complainantidentity.phone"


def test_sm3_gives_the_standard_abc_vector():
    h = hashes.Hash(hashes.SM3())
    h.update(b"abc")
    assert h.finalize().hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_sm4_gcm_gives_the_rfc_8998_vector():
    enc = Cipher(algorithms.SM4(bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")),
                 modes.GCM(bytes.fromhex("00001234567800000000ABCD"))).encryptor()
    enc.authenticate_additional_data(bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"))
    plain = bytes.fromhex("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                          "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA")
    sealed = enc.update(plain) + enc.finalize()
    assert sealed.hex().upper() == ("17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
                                    "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D")
    assert enc.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


def test_a_value_is_encrypted_with_a_fresh_nonce_under_the_current_key_id():
    one, two = crypto.encrypt("13912345678", AAD), crypto.encrypt("13912345678", AAD)
    assert one != two and "13912345678" not in one
    assert one.startswith(f"sm4:{crypto.current_key_id()}:") and crypto.key_id_of(one) == crypto.current_key_id()
    assert crypto.decrypt(one, AAD) == crypto.decrypt(two, AAD) == "13912345678"
    assert crypto.encrypt("", AAD) == "" and crypto.decrypt("", AAD) == ""
    assert crypto.decrypt(crypto.encrypt("张三丰 内蒙古锡林浩特市", AAD), AAD) == "张三丰 内蒙古锡林浩特市"


def test_a_value_moved_to_another_column_or_altered_does_not_decrypt():
    stored = crypto.encrypt("13912345678", AAD)
    with pytest.raises(ValueError, match="complaints.complainantidentity.name"):
        crypto.decrypt(stored, "complaints.complainantidentity.name")
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    with pytest.raises(ValueError, match="does not authenticate"):
        crypto.decrypt(flipped, AAD)


def test_a_value_under_a_key_not_configured_names_the_setting_that_would_read_it(settings):
    stored, old = crypto.encrypt("13912345678", AAD), settings.PERSONAL_DATA_KEY
    settings.PERSONAL_DATA_KEY = secrets.token_hex(32)
    with pytest.raises(crypto.KeyNotConfigured, match="PERSONAL_DATA_OLD_KEYS"):
        crypto.decrypt(stored, AAD)
    settings.PERSONAL_DATA_OLD_KEYS = [old]
    assert crypto.decrypt(stored, AAD) == "13912345678"


def test_keyed_hashes_match_the_same_number_written_differently_and_depend_on_the_key(settings):
    a = crypto.keyed_hash("139 1234 5678", "phone")
    plain = hmac.HMAC(crypto.keys()[0].mac, hashes.SM3())  # HMAC-SM3 of the digits, computed on its own
    plain.update(b"13912345678")
    assert a == crypto.keyed_hash("13912345678", "phone") == plain.finalize().hex()
    assert crypto.keyed_hash("13912345679", "phone") != a and crypto.keyed_hash("", "phone") == ""
    assert crypto.keyed_hash("15250219900101123x", "id_number") == crypto.keyed_hash("15250219900101123X", "id_number")
    old = settings.PERSONAL_DATA_KEY
    settings.PERSONAL_DATA_KEY, settings.PERSONAL_DATA_OLD_KEYS = secrets.token_hex(32), [old]
    assert crypto.keyed_hash("13912345678", "phone") != a
    assert a in crypto.lookup_hashes("13912345678", "phone") and len(crypto.lookup_hashes("13912345678", "phone")) == 2


@pytest.mark.django_db
def test_an_encrypted_field_cannot_be_searched_by_its_value():
    with pytest.raises(FieldError, match="phone is encrypted"):
        list(ComplainantIdentity.objects.filter(phone="13912345678"))
    with pytest.raises(FieldError, match="name is encrypted"):
        list(ComplainantIdentity.objects.filter(name__icontains="王"))
    assert list(ComplainantIdentity.objects.filter(phone="")) == []


def start(tmp_path, **env):
    """Load the settings in a fresh process, as the server does at start; (exit status, output)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("PERSONAL_DATA_")}
    base.update({"DEBUG": "0", "SECRET_KEY": "s" * 50, "VAR_DIR": str(tmp_path), **env})
    done = subprocess.run([sys.executable, "-c", "import django; django.setup(); from core import crypto; "
                           "print('key', crypto.current_key_id())"],
                          cwd=ROOT, env={**base, "DJANGO_SETTINGS_MODULE": "clearwindow.settings"},
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def test_the_server_refuses_to_start_without_a_key_with_debug_off(tmp_path):
    status, out = start(tmp_path)
    assert status != 0 and "PERSONAL_DATA_KEY is not set" in out and "bin/setup" in out
    status, out = start(tmp_path, DEBUG="1")
    assert status == 0 and "key " in out  # development: the public development key


def test_it_names_a_malformed_key_or_a_missing_key_file(tmp_path):
    status, out = start(tmp_path, PERSONAL_DATA_KEY="abc123")
    assert status != 0 and "PERSONAL_DATA_KEY: expected keys of 64 hexadecimal characters" in out
    status, out = start(tmp_path, PERSONAL_DATA_KEY_FILE=str(tmp_path / "absent"))
    assert status != 0 and "PERSONAL_DATA_KEY_FILE: no such file" in out
    (tmp_path / "short.key").write_text("0123abcd\n")
    status, out = start(tmp_path, PERSONAL_DATA_KEY_FILE=str(tmp_path / "short.key"))
    assert status != 0 and f"PERSONAL_DATA_KEY_FILE ({tmp_path / 'short.key'}): expected keys of 64" in out
    status, out = start(tmp_path, PERSONAL_DATA_KEY=secrets.token_hex(32), PERSONAL_DATA_OLD_KEYS="zz")
    assert status != 0 and "PERSONAL_DATA_OLD_KEYS: expected" in out


def test_it_reads_the_key_from_a_key_file_or_var(tmp_path):
    key = secrets.token_hex(32)
    (tmp_path / "pd.key").write_text(key + "\n")
    status, out = start(tmp_path, PERSONAL_DATA_KEY_FILE=str(tmp_path / "pd.key"))
    assert status == 0, out
    (tmp_path / "personal_data_key").write_text(key + "\n")  # what bin/setup makes
    status2, out2 = start(tmp_path)
    assert status2 == 0 and out2.split()[-1] == out.split()[-1]


def test_no_ledgered_record_holds_an_encrypted_value():
    """rotate_keys rewrites encrypted values: in a ledgered record that would read as tampering, and the
    ledger's bodies and proofs are exported."""
    from ledger import chain

    for model, (kind, fields) in chain.registered().items():
        assert not {f.attname for f in crypto.encrypted_fields(model)} & set(fields), kind
