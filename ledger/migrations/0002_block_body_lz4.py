from django.db import DatabaseError, migrations, transaction


def lz4(apps, schema_editor):
    """PostgreSQL: compress block bodies with lz4 instead of pglz. A body is the whole batch (about
    360 KB for 1,000 events) and pglz cost the server about 4 ms of CPU a batch; lz4 a fraction of
    that (docs/ledger.md). A server built without lz4 keeps pglz."""
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():
            schema_editor.execute("ALTER TABLE ledger_block ALTER COLUMN body SET COMPRESSION lz4")
    except DatabaseError:
        pass


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(lz4, migrations.RunPython.noop)]
