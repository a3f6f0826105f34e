"""The applicant's name, ID number and phone in one encrypted value, `identity` (compact JSON of the parts
there are), instead of three: ingest encrypts once per applicant, not three times (docs/personal-data.md,
"Cost"). The three keyed hashes stay as they are; they are recomputed under the current key.

Rows are rewritten `batch` at a time by id. Values written before encryption (no "sm4:" prefix) are
read as they are. Reversible: back to three encrypted columns."""
from django.db import migrations

import core.crypto

PARTS = ("name", "id_number", "phone")


def batches(cursor, columns, batch):
    """cases_applicant's rows (id, *columns), `batch` at a time by id."""
    last = 0
    while True:
        cursor.execute(f"SELECT id, {', '.join(columns)} FROM cases_applicant WHERE id > %s ORDER BY id LIMIT %s",
                       [last, batch])
        rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def join(apps, schema_editor, batch=2000):
    """name, id_number, phone → identity (and the hashes)."""
    model = apps.get_model("cases", "Applicant")
    parts = [model._meta.get_field(name) for name in PARTS]
    identity = model._meta.get_field("identity")
    cursor = schema_editor.connection.cursor()
    for rows in batches(cursor, PARTS, batch):
        updates = []
        for key, *values in rows:
            record = {f.name: core.crypto.decrypt(v, f.aad) if v else "" for f, v in zip(parts, values)}
            stored, hashes = identity.sealed_record(record)
            updates.append([stored, *hashes, key])
        cursor.executemany("UPDATE cases_applicant SET identity = %s, name_hash = %s, id_number_hash = %s, "
                           "phone_hash = %s WHERE id = %s", updates)


def split(apps, schema_editor, batch=2000):
    """identity → name, id_number, phone (and the hashes)."""
    model = apps.get_model("cases", "Applicant")
    parts = [model._meta.get_field(name) for name in PARTS]
    identity = model._meta.get_field("identity")
    cursor = schema_editor.connection.cursor()
    for rows in batches(cursor, ["identity"], batch):
        updates = []
        for key, stored in rows:
            record = core.crypto.record_of(core.crypto.decrypt(stored, identity.aad) if stored else "")
            plain = [record.get(f.name, "") for f in parts]
            updates.append([core.crypto.encrypt(v, f.aad) for f, v in zip(parts, plain)]
                           + [h for f, v in zip(parts, plain) for h in f.hashes(v)] + [key])
        cursor.executemany("UPDATE cases_applicant SET name = %s, id_number = %s, phone = %s, name_hash = %s, "
                           "id_number_hash = %s, phone_hash = %s WHERE id = %s", updates)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_alter_applicant_options_alter_caseevent_options_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='applicant',
            name='identity',
            field=core.crypto.EncryptedTextField(blank=True, record_hashes={
                'name_hash': ('name', 'text'), 'id_number_hash': ('id_number', 'id_number'),
                'phone_hash': ('phone', 'phone')}),
        ),
        migrations.RunPython(join, split),
        migrations.RemoveField(model_name='applicant', name='id_number'),
        migrations.RemoveField(model_name='applicant', name='name'),
        migrations.RemoveField(model_name='applicant', name='phone'),
    ]
