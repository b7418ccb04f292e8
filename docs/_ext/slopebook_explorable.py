"""Explorables: figures the reader moves, computed live in the page, offline.

The directive ::

    :::{explorable} landscape-lr
    :label: Gradient descent on the toy loss with a learning-rate slider
    :checks: explorable_checks.landscape_lr

    ```{glue:figure} explore_landscape_fig
    :alt: ...
    ```
    :::

renders ``<div class="explorable" data-explorable="landscape-lr" data-checks="…">`` holding
its content (the static executed figure, the no-JavaScript and print fallback) and an empty
``explorable-app`` box that ``_static/explorables/landscape-lr.js`` fills with controls and an
SVG plot. A page loads the shared kit, the stylesheet and the script of each explorable it
contains, and nothing else.

``:checks:`` names a callable (``module.function``, importable from docs/_ext or the package)
that returns a list of cases ``{"set": {control: value}, "expect": {readout: value},
"tol": {readout: {"abs": a, "rel": r}}, "why": "…"}``; they are evaluated when the page is
built and written, as JSON, into ``data-checks``, where the browser tests read them.
"""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

STATIC = Path(__file__).resolve().parents[1] / "_static" / "explorables"
KIT_JS = "explorables/kit.js"
CSS = "explorables/explorable.css"


class explorable(nodes.General, nodes.Element):
    """An explorable: attributes ``name``, ``label``, ``checks`` (JSON text)."""


def _finite(value: Any, where: str) -> Any:
    """Reject NaN and infinities, which JSON cannot carry and a test cannot compare."""
    if isinstance(value, float) and not math.isfinite(value):
        msg = f"{where} is {value!r}: a check must be a finite number or a string"
        raise ValueError(msg)
    if isinstance(value, dict):
        return {k: _finite(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v, f"{where}[{i}]") for i, v in enumerate(value)]
    return value


def evaluate_checks(spec: str, env: Any = None) -> list[dict[str, Any]]:
    """Import ``module.function`` and call it: the cases for ``data-checks``.

    Raises
    ------
    ValueError
        If ``spec`` is not ``module.function``, or a case lacks ``set`` or ``expect``.
    """
    module_name, _, function = spec.strip().rpartition(".")
    if not module_name or not function:
        msg = f":checks: must name a callable as module.function, got {spec!r}"
        raise ValueError(msg)
    module = importlib.import_module(module_name)
    if env is not None and getattr(module, "__file__", None):
        env.note_dependency(module.__file__)  # a change to the checks rebuilds the page
    cases = getattr(module, function)()
    for i, case in enumerate(cases):
        if not {"set", "expect"} <= set(case):
            msg = f"{spec}: case {i} needs 'set' and 'expect' keys, got {sorted(case)}"
            raise ValueError(msg)
    return _finite([dict(case) for case in cases], spec)


class ExplorableDirective(SphinxDirective):
    """``{explorable} <name>``: a live figure whose content is its static fallback."""

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = {
        "label": directives.unchanged_required,
        "checks": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        script = STATIC / f"{name}.js"
        if not script.is_file():
            msg = f"explorable {name!r}: no script {script} (one JS module per explorable)"
            raise self.error(msg)
        if not self.content:
            msg = f"explorable {name!r} has no content: give it its static figure as fallback"
            raise self.error(msg)
        node = explorable(name=name, label=self.options.get("label", name))
        checks = self.options.get("checks")
        if checks:
            try:
                node["checks"] = json.dumps(evaluate_checks(checks, self.env))
            except (ImportError, AttributeError, ValueError) as exc:
                msg = f"explorable {name!r}: {exc}"
                raise self.error(msg) from exc
        self.set_source_info(node)
        node += self.parse_content_to_nodes()
        return [node]


def visit_explorable_html(self: Any, node: explorable) -> None:
    attrs = {
        "data-explorable": node["name"],
        "role": "group",
        "aria-label": node["label"],
    }
    if node.get("checks"):
        attrs["data-checks"] = node["checks"]
    self.body.append(self.starttag(node, "div", CLASS="explorable", **attrs))
    self.body.append('<div class="explorable-fallback">')


def depart_explorable_html(self: Any, node: explorable) -> None:
    self.body.append('</div><div class="explorable-app"></div></div>\n')


def visit_explorable_other(self: Any, node: explorable) -> None:
    """Non-HTML builders show the fallback figure alone."""


def depart_explorable_other(self: Any, node: explorable) -> None:
    pass


def add_explorable_assets(app: Any, pagename: str, templatename: str, context, doctree) -> None:
    """Give a page the kit, the stylesheet and the scripts of its own explorables only."""
    if doctree is None:
        return
    names = sorted({node["name"] for node in doctree.findall(explorable)})
    if not names:
        return
    app.add_css_file(CSS)
    app.add_js_file(KIT_JS, defer="defer")
    for name in names:
        app.add_js_file(f"explorables/{name}.js", defer="defer")


def setup(app: Any) -> dict[str, Any]:
    app.add_node(
        explorable,
        html=(visit_explorable_html, depart_explorable_html),
        latex=(visit_explorable_other, depart_explorable_other),
        text=(visit_explorable_other, depart_explorable_other),
        man=(visit_explorable_other, depart_explorable_other),
        texinfo=(visit_explorable_other, depart_explorable_other),
    )
    app.add_directive("explorable", ExplorableDirective)
    # Before slopebook_html.drop_unused_assets (500) copies the page's asset lists.
    app.connect("html-page-context", add_explorable_assets, priority=450)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
