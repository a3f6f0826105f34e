"""The rater's phone encrypted at rest (SM4-GCM, core.crypto); its hash becomes a keyed HMAC-SM3 (it was
SHA-256 of SECRET_KEY and the digits). Ratings are ledgered without either column."""
import hashlib

from django.conf import settings
from django.db import migrations

import core.crypto

PHONE = {"rater_phone": "evaluations.rating.rater_phone"}


def encrypt(apps, schema_editor):
    core.crypto.rewrite_columns(schema_editor.connection, "evaluations_rating", PHONE, {
        "rater_phone_hash": ("rater_phone", lambda v: core.crypto.keyed_hash(v, "phone"))})


def old_hash(phone):
    digits = core.crypto.digits(phone)
    return hashlib.sha256((settings.SECRET_KEY + digits).encode()).hexdigest() if digits else ""


def decrypt(apps, schema_editor):
    core.crypto.rewrite_columns(schema_editor.connection, "evaluations_rating", PHONE,
                                {"rater_phone_hash": ("rater_phone", old_hash)}, to_plain=True)


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0002_change_row_base'),
    ]

    operations = [
        migrations.AlterField(
            model_name='rating',
            name='rater_phone',
            field=core.crypto.EncryptedTextField(blank=True, hash_field='rater_phone_hash', hash_kind='phone',
                                                 max_length=20, verbose_name='评价人电话'),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
