from django.shortcuts import render

from .models import DailyRoot
from .roots import public_key


def roots(request):
    """Public: the signed daily roots of the ledger and the key that verifies them (docs/ledger.md)."""
    return render(request, "ledger/roots.html", {
        "roots": DailyRoot.objects.order_by("-day")[:400],
        "public_key": public_key(),
    })
