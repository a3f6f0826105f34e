"""Every rule any app raises has a registered name (alerts.vocab), so no page falls back to 其他告警."""
import re
from pathlib import Path

from django.conf import settings

from alerts.vocab import UNKNOWN_RULE, rule_label, rule_labels

PATTERNS = [r'rule="([A-Z][A-Z_]+)"', r'^RULE = "([A-Z][A-Z_]+)"', r'_signal\("([A-Z][A-Z_]+)"',
            r'AlertSpec\([A-Z_]+, [^,]+, "([A-Z][A-Z_]+)"', r'Overdue\("([A-Z][A-Z_]+)"']


def raised_rules():
    root = Path(settings.BASE_DIR)
    found = set()
    for path in root.glob("*/*.py"):
        if path.parts[-2] in ("bench", "demo", ".venv") or "tests" in path.parts:
            continue
        text = path.read_text()
        for pattern in PATTERNS:
            found |= set(re.findall(pattern, text, re.M))
    found |= set(re.findall(r'^[A-Z_]+ = "([A-Z][A-Z_]+)"$', (root / "cases" / "rules.py").read_text(), re.M))
    return found


def test_it_names_every_rule_an_app_raises():
    rules = raised_rules()
    assert {"RECTIFY_OVERDUE", "COMPLAINT_OVERDUE", "CAMERA_OFFLINE", "SAME_HANDLER_APPROVAL", "STAGE_OVERDUE",
            "OVERDUE"} <= rules  # the scan finds them
    assert sorted(rules - set(rule_labels())) == []


def test_it_names_an_unknown_rule_in_words_not_by_its_code():
    assert rule_label("NO_SUCH_RULE") == UNKNOWN_RULE
