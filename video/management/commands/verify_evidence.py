"""Recompute the SHA-256 of every sealed evidence clip and compare it with the sealed hash.
Exit status 1 if any clip is missing or altered."""
import sys

from django.core.management.base import BaseCommand

from video.evidence import do_verify_clips
from video.models import EvidenceClip


class Command(BaseCommand):
    help = "Verify the SHA-256 of every sealed evidence clip."

    def handle(self, *args, **options):
        results = do_verify_clips(EvidenceClip.objects.select_related("camera").order_by("sealed_at"))
        bad = [clip for clip, ok in results if not ok]
        for clip in bad:
            self.stderr.write(f"ALTERED OR MISSING {clip.pk} {clip.camera.code} {clip.path}")
        self.stdout.write(f"verify_evidence: {len(results) - len(bad)} ok, {len(bad)} altered or missing")
        if bad:
            sys.exit(1)
