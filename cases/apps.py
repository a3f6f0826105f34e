from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("办件")

    def ready(self):
        from core import ticks
        from core.api import register_client_lookup
        from ledger import chain

        from .models import CaseEvent, RejectedEvent

        from .models import ApiClient
        from .ticks import sweep

        ticks.register("cases.sweep", sweep)
        register_client_lookup(ApiClient.for_key)

        from alerts.vocab import register_details, register_rules, register_step_labels

        from .vocab import DETAIL_ALIASES, DETAIL_TEMPLATES, RULE_HELP, RULE_LABELS, alert_step_labels

        register_rules(RULE_LABELS, RULE_HELP)
        register_step_labels("case", alert_step_labels)

        from django.urls import reverse

        from alerts.subjects import register_subject

        from .vocab import SUBJECT

        register_subject(SUBJECT, _("办件"), lambda alert: reverse("cases:case", args=[alert.subject_key]))
        register_details(DETAIL_TEMPLATES, DETAIL_ALIASES)
        # supervised records (docs/ledger.md): every event as received and every refusal. An event's
        # `refusal` is set later by recompute; that step is recorded by its RejectedEvent row.
        chain.register(CaseEvent, exclude=("refusal",))
        chain.register(RejectedEvent)
