"""What a backup holds besides the database (docs/ledger.md, "Backup and restore"): each app that
keeps files registers their directory in AppConfig.ready() — `register_directory(name, fn)`, `fn()`
giving the directory's path — as it registers its ticks. The media directory is core's own."""
from pathlib import Path

from django.conf import settings

_directories = {"media": lambda: Path(settings.MEDIA_ROOT)}


def register_directory(name, path):
    """Back up the files under `path()` as `name/…` (and restore them there)."""
    _directories[name] = path


def directories():
    """{name: Path} of every registered directory, in a stable order."""
    return {name: Path(fn()) for name, fn in sorted(_directories.items())}
