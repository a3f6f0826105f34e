from django.shortcuts import render

from .models import DailyRoot
from .roots import public_hex, signing_key


def roots(request):
    """Public: the signed daily roots of the ledger and the key that verifies them (docs/ledger.md)."""
    key = signing_key()
    return render(request, "ledger/roots.html", {
        "roots": DailyRoot.objects.order_by("-day")[:400],
        "public_key": public_hex(key) if key else "",
    })
