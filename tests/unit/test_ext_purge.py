"""The stylesheet purge of docs/_ext/slopebook_purge.py, on small stylesheets.

The built book's weight is checked in tests/browser/test_browser.py (``test_page``), its
working controls in tests/browser/test_weight.py; here each rule of the purge is checked on
its own, without a build.
"""

from __future__ import annotations

import pytest
from slopebook_tests_book import load_extension

load_extension("slopebook_downloads")
purge = load_extension("slopebook_purge")


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


def test_plain_token_classes_are_drawn_in_the_blocks_own_colour_in_every_theme():
    css = (
        '/* Name */ html[data-theme="light"] .highlight { background: #fff; color: #080808 }'
        'html[data-theme="light"] .highlight .n { color: #080808 }'
        'html[data-theme="light"] .highlight .k { color: #6730C5 }'
        'html[data-theme="light"] .highlight .p { color: #080808 }'
        'html[data-theme="light"] .highlight .gp { color: #080808 }'
        'html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }'
        'html[data-theme="dark"] .highlight .n { color: #F8F8F2 }'
        'html[data-theme="dark"] .highlight .p { color: #F8F8F2; font-weight: bold }'
        'html[data-theme="dark"] .highlight .gp { color: #F8F8F2 }'
    )
    # .k has its own colour, .p is bold in the dark theme, another sheet styles .gp.
    assert purge.plain_token_classes(css, ".highlight .gp{user-select:none}") == {"n"}


def test_unwrap_tokens_only_inside_code_blocks():
    code = '<div class="highlight"><pre><span class="n">x</span><span class="o">=</span></pre>'
    page = f'<span class="n">kept</span>{code}'
    assert purge.unwrap_tokens(page, {"n"}) == (
        '<span class="n">kept</span><div class="highlight"><pre>x<span class="o">=</span></pre>'
    )
    assert purge.unwrap_tokens(page, set()) == page
    link = '<a href="x.html"><span class="n">sb</span><span class="p">.</span><span class="n">f</span></a>'
    linked = f'<div class="highlight"><pre>{link}<span class="p">(</span></pre>'
    assert purge.unwrap_tokens(linked, {"n", "p"}) == (
        f'<div class="highlight"><pre>{link}(</pre>'
    ), "every token of a link keeps the code colour"


def test_lighter_mathml_drops_the_namespace_and_the_tex_annotation():
    math = (
        '<math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>x</mi></mrow>'
        '<annotation encoding="application/x-tex">x</annotation></semantics></math>'
    )
    assert purge.lighter_mathml(math) == "<math><mrow><mi>x</mi></mrow></math>"


def test_page_characters_are_the_text_not_the_markup():
    page = '<p class="zq">∇f &amp; <b>x</b></p><script>var Q</script><style>.W{}</style>'
    assert purge.page_characters([page]) == {ord(c) for c in " ∇f&x"}


def test_a_font_subset_is_made_once_per_font_and_code_points(tmp_path, monkeypatch):
    from fontTools import subset

    source = purge.KATEX_FONTS / "KaTeX_Main-Regular.woff2"
    first, again, other = (tmp_path / name for name in ("first", "again", "other"))
    for out in (first, again, other):
        out.mkdir()
    cache = tmp_path / "cache"
    purge.subset_woff2([source], first, {ord("x"), ord("y")}, cache)
    made = (first / source.name).read_bytes()
    assert 0 < len(made) < source.stat().st_size

    def no_subsetting(*args, **kwargs):
        msg = "made again"
        raise AssertionError(msg)

    monkeypatch.setattr(subset, "load_font", no_subsetting)
    purge.subset_woff2([source], again, {ord("y"), ord("x")}, cache)
    assert (again / source.name).read_bytes() == made
    # Other code points are another subset: made, not copied.
    with pytest.raises(AssertionError, match="made again"):
        purge.subset_woff2([source], other, {ord("x")}, cache)
    monkeypatch.undo()
    purge.subset_woff2([source], other, {ord("x")}, cache)
    # The cache holds the latest subset of each font, not every one ever made.
    assert len(list((cache / "font-subsets").glob(f"{source.stem}-*.woff2"))) == 1
