"""Guide completeness (办事指南要素完整度): how much of what a guide must publish an item version states.

Pure: takes any object with the version's attributes (an ItemVersion, or a SimpleNamespace in tests).
The rule (docs/catalog.md): ten elements, each present or missing; percent = present / 10 × 100,
rounded down to a whole number. (Name, kind and limits are required by the import, so always there.)
"""

CHECKS = (
    ("legal_basis", "the legal basis (设立依据) is stated"),
    ("fees", "fees are listed, each with its basis, or the item is stated free (free: true)"),
    ("materials", "at least one application material, each with a name and copies"),
    ("process", "the process (办理流程) is described"),
    ("result", "the result (办理结果) is named"),
    ("location", "the place (办理地点) is named"),
    ("consult_phone", "a consultation phone"),
    ("complaint_phone", "a complaint phone"),
    ("steps", "at least one step, each naming who is responsible and their duties"),
    ("responsible_person", "at least one step, each naming its responsible person (责任人)"),
)


def _filled(text):
    return bool(text and str(text).strip())


def _present(version, field):
    if field == "fees":
        fees = version.fees or []
        return (bool(version.free) and not fees) or (bool(fees) and all(_filled(f.get("basis")) for f in fees))
    if field == "materials":
        return bool(version.materials) and all(_filled(m.get("name")) for m in version.materials)
    if field == "steps":
        steps = version.steps or []
        return bool(steps) and all(_filled(s.get("responsible")) and _filled(s.get("duties")) for s in steps)
    if field == "responsible_person":
        steps = version.steps or []
        return bool(steps) and all(_filled(s.get("responsible_person")) for s in steps)
    return _filled(getattr(version, field))


def completeness(version):
    """(percent 0–100, [names of the missing elements, in the order of CHECKS])."""
    missing = [field for field, _ in CHECKS if not _present(version, field)]
    return (len(CHECKS) - len(missing)) * 100 // len(CHECKS), missing


# The whole chain a guide publishes (docs/catalog.md, "The published process"): 受理 → the item's steps →
# 收费 (when the item lists fees) → 办结. The phases around the steps are not catalog steps (acceptance and
# completion are events of the case clock); the guide adds them, unless the item lists them as steps.
ACCEPT_DAYS = 5  # the acceptance window, as the case clock's ItemRules.accept_days (Licensing Law art. 32)
ACCEPT, STEP, FEE, COMPLETE = "accept", "step", "fee", "complete"
_AS_ACCEPT = {"accept", "受理"}
_AS_COMPLETE = {"complete", "办结"}


def chain(version):
    """[{phase, name, limit_days, responsible, responsible_person, duties}] in order. For the phases the
    guide adds, name, responsible and duties are None (the page says them in the reader's language);
    limit_days is None for the fee phase (paid at the window, 当场)."""
    steps = version.steps or []
    listed = {s.get("code") for s in steps} | {s.get("name") for s in steps}
    out = []
    if not listed & _AS_ACCEPT:
        out.append(_phase(ACCEPT, ACCEPT_DAYS))
    out += [{"phase": STEP, "name": s.get("name"), "limit_days": s.get("limit_days"),
             "responsible": s.get("responsible") or "", "responsible_person": s.get("responsible_person") or "",
             "duties": s.get("duties") or ""} for s in steps]
    if version.fees:
        out.append(_phase(FEE, None))
    if not listed & _AS_COMPLETE:
        out.append(_phase(COMPLETE, version.promised_limit_days))
    return out


def _phase(phase, limit_days):
    return {"phase": phase, "name": None, "limit_days": limit_days, "responsible": None,
            "responsible_person": "", "duties": None}
