"""Facts a higher app adds to a lower app's answer without the lower app importing it (as core.ticks
does for time-based work). insight registers "case.breach_probability"; cases.api asks for it.

A fact is `fn(*args) -> value`; value() gives `default` when no app registered it.
"""
_facts = {}


def register(name, fn):
    _facts[name] = fn


def value(name, *args, default=None):
    fn = _facts.get(name)
    return fn(*args) if fn is not None else default
