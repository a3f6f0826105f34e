from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("权力清单")

    def ready(self):
        from ledger import chain

        from .models import ItemVersion

        chain.register(ItemVersion, on_create=True)  # versions never change once written (docs/ledger.md)
