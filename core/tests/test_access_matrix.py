"""The access matrix: for every role in every scope and every scoped model, `scoped()` returns
exactly the rows in scope and `get_visible()` finds exactly those (404 for the rest).

To add a model: create its rows in clearwindow/testing/cast.py (names like "xL", "xC", "xT", "xX" by
region) and add a line to MATRIX with what each scoped user must see.
"""
import pytest
from django.apps import apps
from django.http import Http404

from clearwindow.testing.cast import STAFF
from core.access import get_visible, scoped

EVERYTHING_USERS = ("superuser", "sys_staff")
NOTHING_USERS = ("outsider", "anonymous", "nobody", "inactive_staff", "disabled")
SCOPED_USERS = ("league_admin", "league_sup", "county_sup", "other_sup", "mgr_L", "mgr_C", "clerk_L", "clerk_C")


def row(league, county, other, mgr_l, mgr_c, clerk_l, clerk_c):
    """What each scoped user sees (space-separated cast names); the League admin sees what the
    League supervisor sees."""
    cells = (league, league, county, other, mgr_l, mgr_c, clerk_l, clerk_c)
    return {user: set(cell.split()) for user, cell in zip(SCOPED_USERS, cells)}


# model label -> (every row of it in the cast, what each scoped user sees)
MATRIX = {
    "orgs.Region": ("rL rC rT rX", row("rL rC rT", "rC rT", "rX", "", "", "", "")),
    "orgs.Centre": ("cL cC cX", row("cL cC", "cC", "cX", "", "", "", "")),
    "orgs.Hall": ("hL hC hT hX", row("hL hC hT", "hC hT", "hX", "", "", "", "")),
    "orgs.Department": ("dL dC dT dX", row("dL dC dT", "dC dT", "dX", "dL", "dC", "dL", "dC")),
    "orgs.Window": ("wL1 wL2 wLC wC wT wX", row(
        "wL1 wL2 wLC wC wT", "wLC wC wT", "wX", "wL1 wL2 wLC", "wC", "wL1", "wC")),
    "orgs.Staff": (" ".join(STAFF), row(
        "s_league_admin s_league_sup s_county_sup s_mgr_L s_mgr_C s_clerk_L s_clerk_L2 s_clerk_C s_inactive "
        "s_disabled",
        "s_county_sup s_mgr_C s_clerk_C",
        "s_other_sup s_mgr_X",
        "s_mgr_L s_clerk_L s_clerk_L2 s_inactive",
        "s_mgr_C s_clerk_C",
        "s_clerk_L s_inactive",
        "s_clerk_C",
    )),
    "catalog.Item": ("iL iC iT iX", row("iL iC iT", "iC iT", "iX", "iL", "iC", "iL", "iC")),
    "catalog.ItemVersion": ("vL vC vT vX", row("vL vC vT", "vC vT", "vX", "vL", "vC", "vL", "vC")),
    "video.Camera": ("camL camC camT camX", row("camL camC camT", "camC camT", "camX", "", "", "", "")),
    "video.EvidenceClip": ("clipL clipC clipT clipX", row("clipL clipC clipT", "clipC clipT", "clipX", "", "", "", "")),
    "video.Patrol": ("patL patC patX", row("patL patC", "patC", "patX", "", "", "", "")),
    "video.Observation": ("obL obLC obC obX", row("obL obLC obC", "obLC obC", "obX", "obL obLC", "obC", "obL", "obC")),
    "cases.Case": ("kL kL2 kC kT kX", row("kL kL2 kC kT", "kC kT", "kX", "kL kL2", "kC", "kL", "kC")),
    "insight.CaseForecast": ("fkL fkL2 fkC fkT fkX", row(
        "fkL fkL2 fkC fkT", "fkC fkT", "fkX", "fkL fkL2", "fkC", "fkL", "fkC")),
    # where the time goes: step timings hang off the case's window, traces and aggregates off its department
    "insight.StepTiming": ("stkL stkL2 stkC stkT stkX", row(
        "stkL stkL2 stkC stkT", "stkC stkT", "stkX", "stkL stkL2", "stkC", "stkL", "stkC")),
    "insight.CaseTrace": ("ctkL ctkL2 ctkC ctkT ctkX", row(
        "ctkL ctkL2 ctkC ctkT", "ctkC ctkT", "ctkX", "ctkL ctkL2", "ctkC", "ctkL ctkL2", "ctkC")),
    "insight.StepStat": ("ssL ssC ssT ssX", row("ssL ssC ssT", "ssC ssT", "ssX", "ssL", "ssC", "ssL", "ssC")),
    "insight.VariantStat": ("vsL vsC vsT vsX", row("vsL vsC vsT", "vsC vsT", "vsX", "vsL", "vsC", "vsL", "vsC")),
    "alerts.Alert": ("aL aC aT aX", row("aL aC aT", "aC aT", "aX", "aL", "aC", "aL", "aC")),
    "supervision.Urge": ("uL uC uX", row("uL uC", "uC", "uX", "uL", "uC", "uL", "uC")),
    # the files of an urge's answer: whoever sees the urge (the centres over it and the department)
    "supervision.UrgeAttachment": ("uaL uaC uaX", row("uaL uaC", "uaC", "uaX", "uaL", "uaC", "uaL", "uaC")),
    "accountability.AccountabilityCase": ("accL accC accT accX", row(
        "accL accC accT", "accC accT", "accX", "accL", "accC", "accL", "accC")),
    "performance.Score": ("scL scC scX", row("scL scC", "scC", "scX", "scL", "", "scL", "")),
    "supervision.DayTally": ("tdL tdC tdT tdX", row("tdL tdC tdT", "tdC tdT", "tdX", "tdL", "tdC", "tdL", "tdC")),
    "supervision.OpenTally": ("toL toC toT toX", row("toL toC toT", "toC toT", "toX", "toL", "toC", "toL", "toC")),
    # a department sees a complaint only once assigned to it; never the complainant or the attachments
    "complaints.Complaint": ("tL tC tT tX", row("tL tC tT", "tC tT", "tX", "tL", "tC", "tL", "tC")),
    "complaints.ComplainantIdentity": ("piL piC piT piX", row("piL piC piT", "piC piT", "piX", "", "", "", "")),
    "complaints.Attachment": ("atL atX", row("atL", "", "atX", "", "", "", "")),
    "complaints.Suggestion": ("sgL sgX", row("sgL", "", "sgX", "sgL", "", "sgL", "")),
    "evaluations.Rating": ("evL evL2 evC evT evX", row(
        "evL evL2 evC evT", "evC evT", "evX", "evL evL2", "evC", "evL", "evC")),
    "evaluations.Device": ("dvL dvC dvX", row("dvL dvC", "dvC", "dvX", "dvL", "dvC", "dvL", "dvC")),
    "evaluations.FollowUp": ("fuL fuC fuX", row("fuL fuC", "fuC", "fuX", "fuL", "fuC", "fuL", "fuC")),
    "complaints.Consultation": ("qL qC qX", row("qL qC", "qC", "qX", "qL", "qC", "qL", "qC")),
}
# Scoped models whose owners have not yet put rows in the cast (each should move into MATRIX).
PENDING = set()
# Every model that says how it is scoped, by label: the registry's list, which the matrix must cover.
SCOPED = {m._meta.label: m for m in apps.get_models() if hasattr(m, "scope_paths")}


def expected(label, user):
    every, seen = MATRIX[label]
    if user in EVERYTHING_USERS:
        return set(every.split())
    if user in NOTHING_USERS:
        return set()
    return seen[user]


CELLS = [(label, user) for label in MATRIX for user in EVERYTHING_USERS + SCOPED_USERS + NOTHING_USERS]


@pytest.mark.parametrize(("label", "user"), CELLS, ids=[f"{m}-{u}" for m, u in CELLS])
def test_it_shows_each_role_exactly_its_scope(cast, label, user):
    model = SCOPED[label]
    names = MATRIX[label][0].split()
    name_of = {cast[n].pk: n for n in names}
    rows = list(scoped(model.objects.all(), cast.users[user]).values_list("pk", flat=True))
    assert sorted(name_of[pk] for pk in rows) == sorted(expected(label, user))  # and no duplicates


@pytest.mark.parametrize(("label", "user"), CELLS, ids=[f"{m}-{u}" for m, u in CELLS])
def test_it_fetches_an_object_only_inside_the_scope(cast, label, user):
    model = SCOPED[label]
    found = set()
    for name in MATRIX[label][0].split():
        try:
            get_visible(model.objects.all(), cast.users[user], pk=cast[name].pk)
            found.add(name)
        except Http404:
            pass
    assert found == expected(label, user)


def test_it_covers_every_scoped_model():
    assert set(SCOPED) - set(MATRIX) - PENDING == set()


def test_it_gives_every_cast_user_a_role_in_the_matrix(cast):
    assert set(cast.users) == set(EVERYTHING_USERS + SCOPED_USERS + NOTHING_USERS)
