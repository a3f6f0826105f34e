"""The floors of docs/architecture.md, read from the source: an app imports only apps on lower
floors (tests excepted: they may set up what they need from anywhere). Two one-way imports within a
floor: workdays writes its revisions to core's audit ledger (core never imports workdays), and
performance scores accountability decisions and insight's step timings (neither imports performance)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {
    "core": 1, "workdays": 1,
    "orgs": 2, "ledger": 2,
    "catalog": 3, "alerts": 3,
    "cases": 4,
    "supervision": 5,
    "complaints": 6, "evaluations": 6, "video": 6,
    "performance": 7, "accountability": 7, "insight": 7,
    "portal": 8, "demo": 8,
}
# (importer, imported)
SAME_FLOOR = {("workdays", "core"), ("performance", "accountability"), ("performance", "insight")}


def imports_of(path):
    """(line, top-level module) of every absolute import in a file, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def app_sources(app):
    return [p for p in (ROOT / app).rglob("*.py") if "tests" not in p.relative_to(ROOT / app).parts]


def test_it_knows_every_app_of_the_project():
    from django.conf import settings

    ours = {name for name in settings.INSTALLED_APPS if (ROOT / name / "apps.py").exists()}
    assert ours == set(FLOORS)


def test_it_finds_no_import_of_a_higher_floor_or_across_a_floor():
    wrong = []
    for app, floor in FLOORS.items():
        for path in app_sources(app):
            for line, top in imports_of(path):
                if top == app or top not in FLOORS:
                    continue
                if FLOORS[top] > floor or (FLOORS[top] == floor and (app, top) not in SAME_FLOOR):
                    wrong.append(f"{path.relative_to(ROOT)}:{line} {app} (floor {floor}) imports {top} "
                                 f"(floor {FLOORS[top]})")
    assert wrong == []


def test_it_finds_no_app_reaching_into_the_engine_or_the_urge_loop_for_a_utility():
    """Time, the calendar, centres and recipients live on the lower floors (docs/architecture.md): what
    other apps take from cases.projection and supervision.actions is their real work only."""
    allowed = {"cases.projection": {"recompute", "refresh_alert_levels", "projected", "SNAPSHOT", "item_rules",
                                    "UPDATE_FIELDS", "check_codes"},
               "supervision.actions": {"do_issue_urges", "do_answer_urge", "do_close_urge", "do_return_urge"}}
    wrong = []
    for app in FLOORS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module in allowed:
                    extra = {a.name for a in node.names} - allowed[node.module]
                    if extra:
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module}: {sorted(extra)}")
    assert wrong == []


def test_it_finds_no_test_package_importing_another_apps_tests():
    """Shared fixtures and builders have one home (clearwindow/testing, loaded as a pytest plugin by the
    root conftest.py): an app's tests import from there and from core.testing, never from another app's
    tests (docs/architecture.md, "Tests")."""
    wrong = []
    for app in FLOORS:
        for path in (ROOT / app).rglob("tests/**/*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                for name in names:
                    parts = name.split(".")
                    if len(parts) > 1 and parts[0] in FLOORS and parts[0] != app and parts[1] == "tests":
                        wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {name}")
    assert wrong == []
