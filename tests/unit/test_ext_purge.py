"""The stylesheet purge of docs/_ext/slopebook_purge.py, on small stylesheets.

The built book's weight and working controls are checked in tests/browser/test_weight.py;
here each rule of the purge is checked on its own, without a build.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

EXT = Path(__file__).resolve().parents[2] / "docs" / "_ext"


def _load(name: str):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, EXT / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_load("slopebook_downloads")
purge = _load("slopebook_purge")


def test_a_selector_matches_only_when_every_class_and_id_it_needs_is_used():
    used = {"bd-sidebar", "active", "nav"}
    assert purge.selector_can_match(".bd-sidebar .active", used)
    assert not purge.selector_can_match(".bd-sidebar .unused", used)
    assert not purge.selector_can_match("#missing", used)
    # What :not() holds, and attribute selectors, are not required to be present.
    assert purge.selector_can_match(".nav:not(.unused)", used)
    assert purge.selector_can_match("a[href^='.x']", used)
    # An escaped name is kept rather than guessed.
    assert purge.selector_can_match(r".w-1\/2", used)


def test_purge_drops_unmatched_rules_and_empty_groups_and_keeps_the_rest():
    css = (
        ".used{color:red}.gone{color:blue}.used,.gone{margin:0}"
        "@media (min-width:10px){.gone{padding:0}}"
        "@media print{.used{padding:1px}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
    )
    out = purge.purge_css(css, {"used"})
    assert ".used{color:red}" in out.replace(" ", "")
    assert ".gone{color:blue}" not in out.replace(" ", "")
    assert ".used" in out
    assert "margin:0" in out
    assert "padding:0" not in out  # a group emptied by the purge goes
    assert "@media print" in out
    assert "padding:1px" in out
    assert "@font-face" in out  # at-rules other than conditional groups stay


def test_used_names_come_from_class_and_id_attributes_and_script_words():
    pages = ['<div class="a b" id="c"><script>el.classList.add("d")</script></div>']
    names = purge.used_names(pages, ["x.classList.toggle('e')"])
    assert {"a", "b", "c", "d", "e"} <= names
