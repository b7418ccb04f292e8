"""A build you can trust, on the public options of myst-nb and sphinx-gallery.

conf.py does most of the work with the libraries' own settings: myst-nb's jupyter-cache lives
at ``<cache>/<package hash>`` (:func:`package_hash`), so an edit to the package changes an
``env`` setting and Sphinx re-reads, and myst-nb re-executes, every page; a cell that raises
fails the build (``nb_execution_raise_on_error``) and so does one that writes to stderr
(``nb_output_stderr = "warn"``); a demo that raises fails it (``only_warn_on_example_error``
is False). This extension adds only what no library offers:

* every demo re-runs when the package hash differs from the one its last run saw
  (sphinx-gallery's ``run_stale_examples``, switched on for that build only);
* a warning in a demo raises (:func:`gallery_warnings`), so the demo fails;
* a page with code cells but no successful execution record fails the build, and a page
  whose cells wrote to stderr is re-read by every build until fixed, so an incremental
  build cannot forget the failure;
* the gallery's download zips get fixed entry dates, so two clean builds are identical;
* the times of myst-nb's ``{nb-exec-table}`` are marked ``sb-timing`` for ``nox -s repro``;
* KaTeX's prerender server is connected once it listens (a version-guarded fix).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

__all__ = ["gallery_warnings", "package_hash", "setup"]

logger = logging.getLogger(__name__)
STAMP = ".slopebook_package_hash"


def package_hash(*dirs: str | Path) -> str:
    """Hash every ``*.py`` file under ``dirs``: their relative paths and their bytes.

    Nothing else (no mtimes, no absolute paths), so a fresh clone of a commit gives its hash.
    """
    digest = hashlib.sha256()
    for root in sorted(Path(d).resolve() for d in dirs):
        if not root.is_dir():
            msg = f"package_hash: {root} is not a directory; fix the path in conf.py"
            raise ValueError(msg)
        for path in sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# -- sphinx-gallery --------------------------------------------------------------------------
def _gallery_dirs(app: Sphinx, key: str = "gallery_dirs") -> list[Path]:
    dirs = app.config.sphinx_gallery_conf.get(key, [])
    return [Path(app.srcdir, d) for d in ([dirs] if isinstance(dirs, str) else dirs)]


def _rerun_stale_demos(app: Sphinx) -> None:
    """Before sphinx-gallery runs: re-run every demo if the package changed since it ran."""
    new = app.config.slopebook_package_hash
    stamps = [d / STAMP for d in _gallery_dirs(app) if (d / STAMP).is_file()]
    if new and any(s.read_text().strip() != new for s in stamps):
        logger.info("slopebook_build: the package changed: every demo re-runs")
        app.config.sphinx_gallery_conf["run_stale_examples"] = True
    base = Path(app.config.nb_execution_cache_path)  # <cache>/<hash>: drop other hashes
    if base.parent.is_dir() and base.name == new:
        for old in base.parent.iterdir():
            if old.is_dir() and old != base and len(old.name) == len(new):
                shutil.rmtree(old, ignore_errors=True)


def _after_gallery(app: Sphinx) -> None:
    """After sphinx-gallery ran every demo (it raises if one failed): stamp, fix zip dates."""
    sources = [p for d in _gallery_dirs(app, "examples_dirs") for p in d.rglob("*") if p.is_file()]
    newest = max((p.stat().st_mtime for p in sources), default=0.0)
    for gallery in _gallery_dirs(app):
        if gallery.is_dir() and app.config.slopebook_package_hash:
            (gallery / STAMP).write_text(app.config.slopebook_package_hash + "\n")
        for path in gallery.rglob("*.zip"):
            _restamp_zip(path, newest)


def _restamp_zip(path: Path, mtime: float) -> None:
    """Date every entry ``SOURCE_DATE_EPOCH`` (or 1980, the earliest a zip holds).

    sphinx-gallery zips files it has just written, so entries carry the build's time. The zip
    itself is dated ``mtime`` (its newest source's), or Sphinx would re-read the page linking
    to it on every build.
    """
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    stamp = tuple(time.gmtime(max(epoch, 315532800))[:6])
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info)) for info in old.infolist()]
    if all(info.date_time == stamp for info, _ in entries):
        return
    with zipfile.ZipFile(path, "w") as new:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            new.writestr(fixed, data)
    os.utime(path, (mtime, mtime))


_FILTERS: list[Any] = []


def gallery_warnings(gallery_conf: dict, fname: str | None, when: str) -> None:
    """sphinx-gallery reset hook: a warning raised while a demo runs is an error.

    The demo then fails with the warning's traceback, and sphinx-gallery fails the build
    (``only_warn_on_example_error`` False). A demo that means to show a warning catches it
    (``warnings.catch_warnings``). Use with ``reset_modules_order = "both"``.
    """
    if when == "before" and fname is not None:
        _FILTERS.append(ctx := warnings.catch_warnings())
        ctx.__enter__()
        warnings.simplefilter("error")
    elif when == "after":
        while _FILTERS:
            _FILTERS.pop().__exit__(None, None, None)


# -- pages -----------------------------------------------------------------------------------
def _check_page(app: Sphinx, doctree: nodes.document) -> None:
    """A page with code cells ran and succeeded; remember if its cells wrote to stderr."""
    env, docname = app.env, app.env.docname
    cells = [n for n in doctree.findall(nodes.container) if n.get("nb_element") == "cell_code"]
    stderr = [n for n in doctree.findall(nodes.literal_block) if "stderr" in n["classes"]]
    data = NbMetadataCollector.get_exec_data(env, docname) if cells else None
    if cells and not (data and data.get("succeeded") and (data.get("runtime") or 0) > 0):
        logger.warning(
            "page has %d code cells but no execution record: it was not executed "
            "(check nb_execution_mode and nb_execution_excludepatterns)",
            len(cells),
            location=docname,
            type="slopebook",
            subtype="unexecuted",
        )
    for node in stderr:  # name the warning (or quote the first line) beside myst-nb's message
        text = node.astext().strip()
        said = re.findall(r"\w*Warning: .*", text) or text.splitlines()[:1] or [""]
        logger.warning("a cell wrote to stderr: %s", said[0][:200], location=node)
    if stderr or (cells and not data):
        NbMetadataCollector.set_doc_data(env, docname, "slopebook_problem", True)


def _problem_pages(app: Sphinx, env: BuildEnvironment, *_: set[str]) -> list[str]:
    """Re-read every page with a recorded problem, so that each build reports it again."""
    meta = NbMetadataCollector.get_doc_data(env)
    return sorted(d for d, data in meta.items() if data.get("slopebook_problem"))


def _mark_exec_table_times(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In ``{nb-exec-table}``, wrap the Modified and Run Time cells in ``sb-timing``."""
    for table in doctree.findall(nodes.table):
        head = [
            e.astext()
            for e in next(table.findall(nodes.thead), nodes.thead()).findall(nodes.entry)
        ]
        if head[:3] != ["Document", "Modified", "Method"]:
            continue
        for row in next(table.findall(nodes.tbody)).findall(nodes.row):
            for col in (1, 3):
                para = row.children[col][0]
                para.children = [nodes.inline(para.astext(), para.astext(), classes=["sb-timing"])]


# -- KaTeX: connect once the prerender server listens ----------------------------------------
# sphinxcontrib-katex 0.9.11 starts node, waits until the server's socket *file* exists and
# connects once. node creates the file when it binds, a moment before it listens; on a busy
# machine the connection can land in between and be refused, which fails the whole build.
# tests/build/test_build.py::test_katex_server_is_reached_even_if_it_listens_late shows the
# library still fails so and this version does not; on any other version of the library the
# build stops and asks for that test to be run again.
KATEX_PATCHED_VERSIONS = {"0.9.11"}


def start_katex_server(cls: Any, rundir: Path, timeout: float) -> tuple[Any, Any]:
    """``KaTeXServer.start_server_process`` that retries until the server listens."""
    import socket
    import subprocess
    import time

    from sphinxcontrib.katex import socket_timeout

    socket_path = rundir / "katex.sock"
    cmd = cls.build_command(socket=socket_path)
    process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=rundir)
    start = time.monotonic()
    while (remaining := start + timeout - time.monotonic()) > 0:
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                with socket_timeout(sock, remaining):
                    sock.connect(str(socket_path))
            except ConnectionRefusedError:  # bound but not listening yet
                sock.close()
            except TimeoutError:
                sock.close()
                break
            else:
                return process, sock
        time.sleep(0.001)
    process.kill()
    raise cls.timeout_error(timeout)


def _patient_katex(app: Sphinx) -> None:
    try:
        from sphinxcontrib import katex
    except ImportError:  # a book without KaTeX
        return
    if katex.__version__ not in KATEX_PATCHED_VERSIONS:
        logger.warning(
            "sphinxcontrib-katex %s: check whether the connect-retry fix is still needed "
            "(run test_katex_server_is_reached_even_if_it_listens_late), then update "
            "KATEX_PATCHED_VERSIONS in docs/_ext/slopebook_build.py",
            katex.__version__,
            type="slopebook",
            subtype="katex",
        )
        return
    katex.KaTeXServer.start_server_process = classmethod(start_katex_server)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the hooks; see the module docstring."""
    app.add_config_value("slopebook_package_hash", "", "env", types=[str])
    _patient_katex(app)
    # After the builder made its build info (so the switch does not count as a config
    # change), before sphinx-gallery runs the demos (priority 500).
    app.connect("builder-inited", _rerun_stale_demos, priority=100)
    app.connect("builder-inited", _after_gallery, priority=950)
    app.connect("doctree-read", _check_page)
    app.connect("env-get-outdated", _problem_pages)
    app.connect("doctree-resolved", _mark_exec_table_times)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
