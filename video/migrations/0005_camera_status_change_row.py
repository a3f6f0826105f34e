"""CameraStatusChange on the change-history base (core.models.ChangeRow): `reason` becomes `note`, and
the row keeps who noticed (actor, actor_name). Existing rows are kept: their reason is their note,
their actor unknown (actor_name empty). Reversible: back, a note is cut to the old 200 characters."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def cut_notes(apps, schema_editor):
    Change = apps.get_model("video", "CameraStatusChange")
    for row in Change.objects.exclude(note="").only("pk", "note").iterator():
        if len(row.note) > 200:
            Change.objects.filter(pk=row.pk).update(note=row.note[:200])


class Migration(migrations.Migration):

    dependencies = [
        ('video', '0004_camera_test_request'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='camerastatuschange', old_name='reason', new_name='note'),
        migrations.AlterField(
            model_name='camerastatuschange',
            name='note',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
        migrations.RunPython(migrations.RunPython.noop, cut_notes),  # backwards: before the column narrows
        migrations.AddField(
            model_name='camerastatuschange',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='camerastatuschange',
            name='actor_name',
            field=models.CharField(default='', max_length=150, verbose_name='操作人'),
            preserve_default=False,
        ),
    ]
