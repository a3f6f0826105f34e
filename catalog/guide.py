"""Guide completeness (办事指南要素完整度): how much of what a guide must publish an item version states.

Pure: takes any object with the version's attributes (an ItemVersion, or a SimpleNamespace in tests).
The rule (docs/catalog.md): nine elements, each present or missing; percent = present / 9 × 100,
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
    return _filled(getattr(version, field))


def completeness(version):
    """(percent 0–100, [names of the missing elements, in the order of CHECKS])."""
    missing = [field for field, _ in CHECKS if not _present(version, field)]
    return (len(CHECKS) - len(missing)) * 100 // len(CHECKS), missing
