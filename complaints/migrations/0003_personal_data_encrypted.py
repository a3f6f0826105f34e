"""Complainants' and enquirers' personal data encrypted at rest (SM4-GCM, core.crypto), with the phone's
keyed hash (HMAC-SM3) for finding the same complainant."""
from django.db import migrations, models

import core.crypto

IDENTITY = {c: f"complaints.complainantidentity.{c}" for c in ("name", "phone", "email", "address")}
CONSULTATION = {c: f"complaints.consultation.{c}" for c in ("name", "phone")}
PHONE_HASH = {"phone_hash": ("phone", lambda v: core.crypto.keyed_hash(v, "phone"))}


def encrypt(apps, schema_editor):
    core.crypto.rewrite_columns(schema_editor.connection, "complaints_complainantidentity", IDENTITY, PHONE_HASH)
    core.crypto.rewrite_columns(schema_editor.connection, "complaints_consultation", CONSULTATION)


def decrypt(apps, schema_editor):
    core.crypto.rewrite_columns(schema_editor.connection, "complaints_complainantidentity", IDENTITY, to_plain=True)
    core.crypto.rewrite_columns(schema_editor.connection, "complaints_consultation", CONSULTATION, to_plain=True)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0002_change_row_base'),
    ]

    operations = [
        migrations.AddField(
            model_name='complainantidentity',
            name='phone_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='complainantidentity',
            name='address',
            field=core.crypto.EncryptedTextField(blank=True, max_length=200, verbose_name='地址'),
        ),
        migrations.AlterField(
            model_name='complainantidentity',
            name='email',
            field=core.crypto.EncryptedTextField(blank=True, max_length=254, verbose_name='邮箱'),
        ),
        migrations.AlterField(
            model_name='complainantidentity',
            name='name',
            field=core.crypto.EncryptedTextField(blank=True, max_length=60, verbose_name='姓名'),
        ),
        migrations.AlterField(
            model_name='complainantidentity',
            name='phone',
            field=core.crypto.EncryptedTextField(blank=True, hash_field='phone_hash', hash_kind='phone', max_length=30,
                                                 verbose_name='电话'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='name',
            field=core.crypto.EncryptedTextField(blank=True, max_length=60, verbose_name='姓名'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='phone',
            field=core.crypto.EncryptedTextField(blank=True, max_length=30, verbose_name='电话'),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
