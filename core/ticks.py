"""The tick registry: each app registers its own time-based work; the worker runs them all.

A tick is `fn(now) -> int` (how many things it processed). Apps register in AppConfig.ready().
"""
_ticks = {}


def register(name, fn):
    _ticks[name] = fn


def registered():
    return dict(_ticks)
