"""A build you can trust, on the public options of myst-nb and sphinx-gallery.

conf.py keys myst-nb's cache by :func:`package_hash` and fails cells that raise or write to
stderr and demos that raise. This adds what no library offers: every demo re-runs when the
package hash changed; a warning in a demo raises; a page with code but no successful run
fails, and a page whose cells wrote to stderr is re-read until fixed; gallery zips get fixed
dates; timings are marked and kept out of search; KaTeX's server is reached once it listens,
and each process has one of its own, stopped when the process ends. A build that runs no demo
starts no demo worker processes; a finished build exits without the collector walking its
objects.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
import warnings
import zipfile
from pathlib import Path
from typing import Any

from docutils import nodes
from myst_nb.sphinx_ import NbMetadataCollector
from slopebook_html import stable_animation_ids
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

__all__ = ["freeze_for_exit", "gallery_warnings", "package_hash", "setup", "stale_demos"]

logger, STAMP = logging.getLogger(__name__), ".slopebook_package_hash"


def package_hash(*dirs: str | Path) -> str:
    """Hash the relative paths and bytes of every ``*.py`` under ``dirs`` (not their mtimes)."""
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
    conf = app.config.sphinx_gallery_conf
    if conf.get("parallel") and not conf.get("run_stale_examples") and not stale_demos(app):
        # Nothing will run: checking the demos in worker processes only costs starting and
        # stopping them (0.5-1.5 s of a build that changed nothing, measured side by side).
        conf["parallel"] = False
    base = Path(app.config.nb_execution_cache_path)  # <cache>/<hash>: drop other hashes
    for old in {*base.parent.glob("?" * len(new))} - {base} if new and base.name == new else ():
        shutil.rmtree(old, ignore_errors=True)


def stale_demos(app: Sphinx) -> list[Path]:
    """The demos whose source differs from the copy sphinx-gallery last ran (by its own md5)."""
    from sphinx_gallery.utils import get_md5sum

    stale = []
    for examples, gallery in zip(
        _gallery_dirs(app, "examples_dirs"), _gallery_dirs(app), strict=True
    ):
        for source in sorted(examples.rglob("*.py")):
            ran = gallery / source.relative_to(examples)
            stamp = Path(f"{ran}.md5")
            if not stamp.is_file() or stamp.read_text() != get_md5sum(source, mode="t"):
                stale.append(source)
    return stale


def _after_gallery(app: Sphinx) -> None:
    """After sphinx-gallery ran every demo (it raises if one failed): stamp, fix zip dates."""
    sources = [p for d in _gallery_dirs(app, "examples_dirs") for p in d.rglob("*") if p.is_file()]
    newest = max((p.stat().st_mtime for p in sources), default=0.0)
    for gallery in _gallery_dirs(app):
        if gallery.is_dir() and app.config.slopebook_package_hash:
            (gallery / STAMP).write_text(app.config.slopebook_package_hash + "\n")
        for path in gallery.rglob("*.zip"):
            _restamp_zip(path, newest)
        for rst in gallery.rglob("*.rst"):  # matplotlib's animations draw random element ids
            text = rst.read_text(encoding="utf-8")
            if (stable := stable_animation_ids(text, rst.stem)) != text:
                rst.write_text(stable, encoding="utf-8")


def _restamp_zip(path: Path, mtime: float) -> None:
    """Date the entries ``SOURCE_DATE_EPOCH`` or 1980, not the build time; the zip ``mtime``."""
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
    """sphinx-gallery reset hook (``reset_modules_order = "both"``): a warning in a demo raises.

    The demo fails with the warning's traceback; a demo that means to show one catches it.
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
    unrun = cells and not (data and data.get("succeeded") and (data.get("runtime") or 0) > 0)
    if unrun:
        msg = "page has %d code cells but no execution record: it was not executed (check "
        logger.warning(msg + "nb_execution_excludepatterns)", len(cells), location=docname)
    for node in stderr:  # name the warning (or quote the first line) beside myst-nb's message
        text = node.astext().strip()
        said = re.findall(r"\w*Warning: .*", text) or text.splitlines()[:1] or [""]
        logger.warning("a cell wrote to stderr: %s", said[0][:200], location=node)
    if stderr or unrun:
        NbMetadataCollector.set_doc_data(env, docname, "slopebook_problem", True)


def _problem_pages(app: Sphinx, env: BuildEnvironment, *_: set[str]) -> list[str]:
    """Re-read every page with a recorded problem, so that each build reports it again."""
    meta = NbMetadataCollector.get_doc_data(env)
    return sorted(d for d, data in meta.items() if data.get("slopebook_problem"))


def _mark_timings(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Keep out of search (``no-search``) the cells tagged ``timing`` and the Modified and Run
    Time cells of ``{nb-exec-table}``, which are also wrapped in ``sb-timing``."""
    for cell in doctree.findall(nodes.container):
        if "tag_timing" in cell["classes"]:
            cell["classes"].append("no-search")
    for table in doctree.findall(nodes.table):
        head = table.next_node(nodes.thead)
        if head is None or head.astext().split()[:3] != ["Document", "Modified", "Method"]:
            continue
        for row in table.next_node(nodes.tbody).children:
            for para in (row[1][0], row[3][0]):
                classes = ["sb-timing", "no-search"]
                para[:] = [nodes.inline(para.astext(), para.astext(), classes=classes)]


# -- KaTeX: one prerender server per process, reached once it listens -----------------------
# sphinxcontrib-katex 0.9.11 keeps one server per process in a class attribute and stops it at
# exit. (1) It connects once, as soon as the server's socket *file* exists; node creates it a
# moment before it listens, so on a busy machine the build can fail "refused". (2) Sphinx
# writes pages in forked processes (-j): a child inherits its parent's connection, and two
# children reading answers from one socket take parts of each other's (the build fails with a
# decoding error or a render timeout); a child that starts a server of its own ends with
# os._exit, which skips atexit, so that node process outlives the build and keeps its pipes
# open. The tests test_katex_server_is_reached_even_if_it_listens_late and
# test_katex_server_is_per_process_and_stopped_with_it show the library still fails so and
# this does not; any other version of the library fails the build until they are re-run.
KATEX_PATCHED_VERSIONS = {"0.9.11"}


def start_katex_server(cls: Any, rundir: Path, timeout: float) -> tuple[Any, Any]:
    """``KaTeXServer.start_server_process`` that retries until the server listens."""
    import socket
    import subprocess

    from sphinxcontrib.katex import socket_timeout

    cmd = cls.build_command(socket=(socket_path := rundir / "katex.sock"))
    process = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=rundir)
    start = time.monotonic()
    while (remaining := start + timeout - time.monotonic()) > 0:
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                with socket_timeout(sock, remaining):
                    sock.connect(str(socket_path))
            except (ConnectionRefusedError, TimeoutError) as error:  # refused: not listening yet
                sock.close()
                if isinstance(error, TimeoutError):
                    break
            else:
                return process, sock
        time.sleep(0.001)
    process.kill()
    raise cls.timeout_error(timeout)


def start_own_katex_server(cls: Any, rundir: Path, timeout: float) -> tuple[Any, Any]:
    """:func:`start_katex_server`, and the server stops when this process ends.

    Also when a process forked by :mod:`multiprocessing` (as Sphinx's parallel writer is)
    ends: such a process runs multiprocessing's finalizers, not atexit.
    """
    import multiprocessing.util

    process, sock = start_katex_server(cls, rundir, timeout)
    multiprocessing.util.Finalize(
        None, _stop_katex_server, args=(process, sock, rundir), exitpriority=0
    )
    return process, sock


def _stop_katex_server(process: Any, sock: Any, rundir: Path) -> None:
    """What ``KaTeXServer.terminate`` does; harmless if it already ran."""
    import subprocess

    sock.close()
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.stdin.close()
    process.stdout.close()
    shutil.rmtree(rundir, ignore_errors=True)


def patch_katex(katex: Any) -> None:
    """Apply both fixes to the module ``katex`` (sphinxcontrib.katex, or a copy of it)."""
    katex.KaTeXServer.start_server_process = classmethod(start_own_katex_server)
    if getattr(katex, "_slopebook_own_server_per_process", False):
        return

    def forget_parents_server() -> None:  # in a forked child: start a server of its own
        katex.KaTeXServer.katex_server = None

    os.register_at_fork(after_in_child=forget_parents_server)
    katex._slopebook_own_server_per_process = True


def _patient_katex(app: Sphinx) -> None:
    katex = sys.modules.get("sphinxcontrib.katex")  # (imported by conf.py; else no KaTeX)
    if katex is not None and katex.__version__ not in KATEX_PATCHED_VERSIONS:
        msg = "sphinxcontrib-katex %s: run the KaTeX tests in tests/build/test_build.py"
        logger.warning(msg + " and update KATEX_PATCHED_VERSIONS", katex.__version__)
    elif katex is not None:
        patch_katex(katex)


def freeze_for_exit(app: Sphinx, exception: BaseException | None) -> None:
    """Last of the build: move every object to the collector's permanent generation.

    The interpreter's shutdown then does not walk them (about 2 s for a book this size, whose
    build leaves a few million objects); the memory goes back with the process.
    """
    import gc

    gc.freeze()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the hooks; see the module docstring."""
    app.add_config_value("slopebook_package_hash", "", "env", types=[str])
    _patient_katex(app)
    # After the builder's build info (the switch is no config change), before the demos (500).
    app.connect("builder-inited", _rerun_stale_demos, priority=100)
    app.connect("builder-inited", _after_gallery, priority=950)
    app.connect("doctree-read", _check_page)
    app.connect("env-get-outdated", _problem_pages)
    app.connect("doctree-resolved", _mark_timings)
    app.connect("build-finished", freeze_for_exit, priority=10_000)
    return {"version": "2.0", "parallel_read_safe": True, "parallel_write_safe": True}
