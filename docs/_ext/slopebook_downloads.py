"""Downloads that run: slopebook's wheel on the site, the download menu, runnable notebooks.

The HTML build writes slopebook's wheel to ``_static/dist/``, offers it, the PDF and the EPUB
in every page's download menu (and through the ``book-file`` role and the ``book-install``
directive on the pages), and makes every downloadable chapter notebook run without myst-nb
(its ``glue`` becomes a small stand-in that shows the value).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SITE_BUILDERS = {"html", "dirhtml"}
BOOK_FILES = {"pdf": "slopebook.pdf", "epub": "slopebook.epub"}
WHEEL_DIR = "_static/dist"
BOOK_FILE_CLASS = "sb-book-file"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def wheel_name(version: str) -> str:
    """The file name of slopebook's pure-Python wheel: ``slopebook-0.1.0-py3-none-any.whl``."""
    return f"slopebook-{version}-py3-none-any.whl"


def install_command(version: str, extras: tuple[str, ...] | list[str] = ()) -> str:
    """The one line that installs slopebook from its downloaded wheel, torch's CPU build too.

    ``extras`` are packages a page needs beyond slopebook's own dependencies.
    """
    packages = " ".join([wheel_name(version), *extras])
    return f"pip install {packages} --extra-index-url {TORCH_CPU_INDEX}"


def _site_path(app: Any, what: str) -> str:
    """Path of a book file (``pdf``, ``epub``, ``wheel``) from the site's root."""
    if what == "wheel":
        return f"{WHEEL_DIR}/{wheel_name(app.config.release)}"
    if what not in BOOK_FILES:
        msg = f"unknown book file {what!r}: use one of pdf, epub, wheel"
        raise ValueError(msg)
    return BOOK_FILES[what]


# -- Roles and directive: links to the book's files -------------------------------------------
def book_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{book-file}`pdf``` links the PDF (``epub``, ``wheel`` likewise), relative to the page.

    Outside the site (the PDF and EPUB themselves) it is the file name, without a link: the
    role runs when a page is read, which the PDF and EPUB builds reuse from the HTML build, so
    :func:`unlink_book_files` drops the link when the page is written.
    """
    from docutils import nodes

    env = inliner.document.settings.env
    try:
        target = _site_path(env.app, text.strip())
    except ValueError as error:
        message = inliner.reporter.error(str(error), line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    uri = posixpath.relpath(target, posixpath.dirname(env.docname) or ".")
    link = nodes.reference(rawtext, posixpath.basename(target), refuri=uri, internal=False)
    link["classes"].append(BOOK_FILE_CLASS)
    return [link], []


def unlink_book_files(app, doctree, docname) -> None:
    """Outside the site (in the PDF and the EPUB) a book file is named, not linked."""
    if app.builder.name in SITE_BUILDERS:
        return
    from docutils import nodes

    for link in list(doctree.findall(nodes.reference)):
        if BOOK_FILE_CLASS in link["classes"]:
            link.replace_self(nodes.literal(link.astext(), link.astext()))


def book_install_directive():
    from docutils import nodes
    from sphinx.util.docutils import SphinxDirective

    class BookInstall(SphinxDirective):
        """The wheel's link and the one install line, as a copyable code block."""

        has_content = False

        def run(self) -> list[Any]:
            version = self.config.release
            para = nodes.paragraph()
            para += nodes.Text("Download slopebook's wheel, ")
            roles, _ = book_file_role("book-file", "", "wheel", self.lineno, self.state.inliner)
            para += roles
            para += nodes.Text(
                ", then install it with the line below. The extra index gives torch's CPU "
                "build, a much smaller download than the default CUDA build on Linux."
            )
            command = install_command(version)
            block = nodes.literal_block(command, command, language="bash")
            return [para, block]

    return BookInstall


def add_download_menu_entries(app, pagename, templatename, context, doctree) -> None:
    """Add the book as PDF and EPUB and slopebook's wheel to the theme's download menu."""
    if app.builder.name not in SITE_BUILDERS:
        return
    group = next(
        (b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"),
        None,
    )
    if group is None:
        return
    pathto = context["pathto"]
    entries = [
        ("pdf", "The book (.pdf)", "Download the whole book as a PDF", "fas fa-file-pdf"),
        ("epub", "The book (.epub)", "Download the whole book as an EPUB 3 e-book", "fas fa-book"),
        (
            "wheel",
            "slopebook (.whl)",
            f"Download slopebook to run the notebooks: {install_command(app.config.release)}",
            "fas fa-box",
        ),
    ]
    for what, text, tooltip, icon in entries:
        group["buttons"].append(
            {
                "type": "link",
                "url": pathto(_site_path(app, what), 1),
                "text": text,
                "tooltip": tooltip,
                "icon": icon,
                "label": f"download-book-{what}-button",
            }
        )


# -- The wheel, built with the site -------------------------------------------------------------
def build_wheel(app, exception) -> None:
    """Build slopebook's wheel from the repository into ``_static/dist/`` of the site."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    import importlib.util
    import tempfile

    root = Path(app.config.slopebook_wheel_source)
    target = Path(app.outdir) / WHEEL_DIR
    with tempfile.TemporaryDirectory() as tmp:
        # The docs group has hatchling, the project's build backend: its PEP 517 hook builds
        # offline, with no pip in the environment. Else pip builds it in isolation.
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp, str(root)]
        if importlib.util.find_spec("hatchling") is not None:
            command = [
                sys.executable,
                "-c",
                f"import hatchling.build as b; b.build_wheel({tmp!r})",
            ]
        # Without the book's PYTHONWARNINGS=default, which would show the tools' deprecations.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
        subprocess.run(command, check=True, env=env, cwd=root, stdout=subprocess.DEVNULL)
        built = sorted(Path(tmp).glob("*.whl"))
        expected = wheel_name(app.config.release)
        if [p.name for p in built] != [expected]:
            msg = f"building the wheel gave {[p.name for p in built]}, expected [{expected!r}]"
            raise RuntimeError(msg)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copy2(built[0], target / expected)


# -- Notebooks that run without myst-nb -----------------------------------------------------------
GLUE_IMPORT = re.compile(r"^from myst_nb import glue[ \t]*$", re.MULTILINE)
GLUE_STAND_IN = """try:
    from myst_nb import glue
except ModuleNotFoundError:  # outside the book's build: show the value, as glue does

    def glue(name, variable, display=True):
        if display:
            from IPython.display import display as show

            show(variable)"""


def runnable_notebook(
    notebook: dict[str, Any],
    version: str,
    extras: tuple[str, ...] | list[str] = (),
    also: str = "",
) -> bool:
    """Make one notebook (nbformat JSON) run without myst-nb; say how to install slopebook.

    ``from myst_nb import glue`` becomes a try/except with a stand-in that displays the value
    (what myst-nb's glue shows in a notebook); a first markdown cell gives the install line,
    with the ``extras`` the notebook needs, and ``also`` what else it needs, if anything.
    Returns whether the notebook changed (a notebook already rewritten is left alone).
    """
    changed = False
    for cell in notebook["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and GLUE_IMPORT.search(source):
            cell["source"] = GLUE_IMPORT.sub(GLUE_STAND_IN, source)
            changed = True
    marker = "slopebook-install"
    first = notebook["cells"][0] if notebook["cells"] else {}
    if first.get("metadata", {}).get("tags") != [marker]:
        text = (
            f"This notebook runs with slopebook{' and ' + ', '.join(extras) if extras else ''} "
            "installed. Download slopebook's wheel, "
            f"`{wheel_name(version)}`, from the book's front page or any page's download "
            f"menu, then:\n\n```bash\n{install_command(version, extras)}\n```\n\n"
            "(The extra index gives torch's CPU build.)"
        )
        if also:
            text += f"\n\nIt also needs {also}."
        cell = {"cell_type": "markdown", "metadata": {"tags": [marker]}, "source": text}
        if notebook.get("nbformat_minor", 0) >= 5:
            cell["id"] = marker
        notebook["cells"].insert(0, cell)
        changed = True
    return changed


def rewrite_notebook_downloads(app, exception) -> None:
    """Rewrite every chapter notebook offered under ``_sources/`` (see runnable_notebook)."""
    if exception is not None or app.builder.name not in SITE_BUILDERS:
        return
    sources = Path(app.outdir) / "_sources"
    needs = app.config.slopebook_notebook_needs
    for path in sorted(sources.rglob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        page = path.relative_to(sources).with_suffix("").as_posix()
        extras, also = needs.get(page, ((), ""))
        if runnable_notebook(notebook, app.config.release, extras, also):
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")


def setup(app) -> dict[str, Any]:
    from docutils.parsers.rst import roles

    app.add_config_value("slopebook_wheel_source", "", "html", types=[str])
    app.add_config_value("slopebook_notebook_needs", {}, "html", types=[dict])
    roles.register_local_role("book-file", book_file_role)
    app.add_directive("book-install", book_install_directive())
    app.connect("doctree-resolved", unlink_book_files)
    # After the book theme has built its header buttons (priority 501).
    app.connect("html-page-context", add_download_menu_entries, priority=510)
    app.connect("build-finished", build_wheel)
    app.connect("build-finished", rewrite_notebook_downloads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
