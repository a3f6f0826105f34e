"""The applicant leaves the case row for its own table, encrypted at rest (docs/personal-data.md).

Events stored before this migration keep the applicant in their data: they are ledgered records, and
taking it out would read as tampering (verify_ledger). New events no longer carry it."""
import django.db.models.deletion
from django.db import migrations, models

import core.crypto

FIELDS = {"name": "text", "id_number": "id_number", "phone": "phone"}  # Applicant's columns: their hash kind


def aad(name):
    return f"cases.applicant.{name}"


def move_out(apps, schema_editor, batch=5000):
    """Each case's applicant into cases_applicant, encrypted, `batch` cases at a time (by id)."""
    cursor, last = schema_editor.connection.cursor(), 0
    while True:
        cursor.execute("SELECT id, case_no, applicant_name, applicant_id_number, applicant_phone FROM cases_case "
                       "WHERE id > %s ORDER BY id LIMIT %s", [last, batch])
        found = cursor.fetchall()
        if not found:
            return
        last = found[-1][0]
        rows = []
        for _, case_no, *values in found:
            if any(values):
                row = [case_no]
                for (name, kind), value in zip(FIELDS.items(), values):
                    row += [core.crypto.encrypt(value, aad(name)), core.crypto.keyed_hash(value, kind)]
                rows.append(row)
        cursor.executemany("INSERT INTO cases_applicant (case_no, name, name_hash, id_number, id_number_hash, "
                           "phone, phone_hash) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)


def move_back(apps, schema_editor):
    cursor = schema_editor.connection.cursor()
    cursor.execute("SELECT case_no, name, id_number, phone FROM cases_applicant")
    rows = [[core.crypto.decrypt(v, aad(name)) for name, v in zip(FIELDS, values)] + [case_no]
            for case_no, *values in cursor.fetchall()]
    cursor.executemany("UPDATE cases_case SET applicant_name = %s, applicant_id_number = %s, applicant_phone = %s "
                       "WHERE case_no = %s", rows)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_caseevent_refusal'),
    ]

    operations = [
        migrations.CreateModel(
            name='Applicant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', core.crypto.EncryptedTextField(blank=True, hash_field='name_hash', hash_kind='text',
                                                        max_length=100)),
                ('name_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('id_number', core.crypto.EncryptedTextField(blank=True, hash_field='id_number_hash',
                                                             hash_kind='id_number', max_length=30)),
                ('id_number_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('phone', core.crypto.EncryptedTextField(blank=True, hash_field='phone_hash', hash_kind='phone',
                                                         max_length=30)),
                ('phone_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('case', models.OneToOneField(db_column='case_no', db_constraint=False,
                                              on_delete=django.db.models.deletion.DO_NOTHING,
                                              related_name='applicant', to='cases.case', to_field='case_no')),
            ],
        ),
        migrations.RunPython(move_out, move_back),
        migrations.RemoveField(model_name='case', name='applicant_id_number'),
        migrations.RemoveField(model_name='case', name='applicant_name'),
        migrations.RemoveField(model_name='case', name='applicant_phone'),
    ]
