"""Template sources: a Django comment {# … #} must close on the line it opens, or the page prints it (a
two-line {# #} once showed on the wall under the trend chart). Longer notes use {% comment %}."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", ".git", "var", "test-artifacts"}


def templates():
    for path in ROOT.rglob("*.html"):
        if not SKIP.intersection(path.relative_to(ROOT).parts) and "templates" in path.parts:
            yield path


def test_no_template_comment_spans_lines():
    open_comments = []
    for path in templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = line
            while "{#" in rest:
                rest = rest[rest.index("{#") + 2:]
                if "#}" not in rest:
                    open_comments.append(f"{path.relative_to(ROOT)}:{number}")
                    break
                rest = rest[rest.index("#}") + 2:]
    assert len(list(templates())) > 50
    assert not open_comments, open_comments


def test_every_fact_list_pairs_its_label_and_value_in_a_row():
    """`.facts` lists lay out one <div><dt>…</dt><dd>…</dd></div> per row (site.css). A bare <dt><dd> pair in a
    two-column `.facts--grid` put every label in the left column and its value half a page away (the urge and
    the public rating pages)."""
    import re

    block = re.compile(r'<dl class="facts[^"]*">(.*?)</dl>', re.S)
    tag = re.compile(r"\{%.*?%\}|\{#.*?#\}")
    bare = []
    for path in templates():
        for dl in block.findall(path.read_text(encoding="utf-8")):
            text = tag.sub("", dl)
            for m in re.finditer(r"<dt\b", text):
                if not re.search(r"<div\b[^>]*>\s*$", text[:m.start()]):
                    bare.append(f"{path.relative_to(ROOT)}: {text[m.start():m.start() + 60]!r}")
    assert not bare, bare


def test_no_panel_is_an_inline_box():
    """`.inline-form` is `display: inline` (a form inside a sentence); on a `.panel` it drew a padded inline box
    over the heading above and the line below it (camera points, observations)."""
    import re

    both = [f"{path.relative_to(ROOT)}" for path in templates()
            if re.search(r'class="[^"]*\bpanel\b[^"]*\binline-form\b|class="[^"]*\binline-form\b[^"]*\bpanel\b',
                         path.read_text(encoding="utf-8"))]
    assert not both, both
