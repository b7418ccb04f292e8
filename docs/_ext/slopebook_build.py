"""A build you can trust: nothing stale, nothing unexecuted, no warning hidden in an output.

This Sphinx extension sits next to myst-nb and sphinx-gallery and closes four gaps they leave:

Stale outputs
    myst-nb's jupyter-cache keys a notebook by its code cells only, and sphinx-gallery keys a
    script by its own md5: neither notices an edit to the package the pages import
    (MyST-NB#299). We hash the package sources (``slopebook_package_dirs``, every ``*.py``
    under them) and

    * key the jupyter-cache by that hash (``<nb_execution_cache_path>/<hash>``; caches of
      other hashes are pruned), so a changed package can never be answered from the cache;
    * mark every executed page outdated (``env-get-outdated``) when the hash differs from the
      one stored in the environment by the last build, so Sphinx re-reads and re-runs it;
    * delete sphinx-gallery's ``.md5`` records when the hash changed, so every demo re-runs.

    An unchanged tree re-executes nothing: the hash, the page sources and the scripts are the
    same, so every notebook is a cache hit and every script's md5 is current.

Pages that never ran
    Every page with code cells must carry myst-nb execution data that says it succeeded with
    a runtime above zero, and every gallery script must have a recorded run time above zero
    (the "ran in 0.000 s" guard). Otherwise the build fails naming the file.

Warnings inside executed code
    A warning printed by a cell (myst-nb renders stderr as an ``output stderr`` block) or by a
    gallery script (sphinx-gallery captures warnings into the script's output) fails the build
    naming the file. The kernel runs with ``PYTHONWARNINGS=default`` and gallery scripts under
    ``warnings.simplefilter("default")`` so that library deprecations are shown, not hidden.
    These findings are stored in the environment and re-reported on every build, so an
    incremental build cannot quietly forget them.

Speed
    Pages that miss the cache start at builder-inited in ``slopebook_execution_workers``
    worker processes, so they run while sphinx-gallery runs the demos in the main process;
    only the main process writes the jupyter-cache (no "database is locked" as with
    ``sphinx -j`` and myst-nb's cache mode). The read that follows finds them cached.

Glue expectations
    ``{glue-expect} key`` with ``:value:`` states the value a glued number must have; the
    build fails naming the file when the code glues something else or nothing.

The execution report
    The ``{execution-report}`` directive renders one table of every executed page and demo:
    when it ran, how long it took and its status. The page holding it is re-written whenever
    a page or demo is read or run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

__all__ = ["gallery_warnings", "package_hash", "setup"]

logger = logging.getLogger(__name__)

#: A line of ``warnings.formatwarning`` output: ``path:lineno: SomeWarning: message``.
WARNING_LINE = re.compile(r"^\s*\S.*:\d+: (\w*Warning): (.*)$", re.MULTILINE)
HASH_LENGTH = 16


# -- the package hash ------------------------------------------------------------------------
def package_hash(dirs: list[str | Path]) -> str:
    """Hash every ``*.py`` file under ``dirs``: their relative paths and their bytes.

    The result depends on nothing else (not on mtimes, not on the absolute location), so a
    fresh clone of the same commit gives the same hash.
    """
    digest = hashlib.sha256()
    for root in sorted(Path(d).resolve() for d in dirs):
        if not root.is_dir():
            msg = f"slopebook_package_dirs: {root} is not a directory; fix the path in conf.py"
            raise ValueError(msg)
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(root.parent).as_posix().encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:HASH_LENGTH]


def _changed(app: Sphinx) -> bool:
    return bool(getattr(app, "_sb_package_changed", False))


def _on_builder_inited_early(app: Sphinx) -> None:
    """Before sphinx-gallery runs: compare the hash, and forget demo md5s if it changed."""
    dirs = app.config.slopebook_package_dirs
    new = package_hash(dirs) if dirs else "nopackage"
    old = getattr(app.env, "slopebook_package_hash", None)
    app._sb_package_hash = new  # type: ignore[attr-defined]
    app._sb_package_changed = old is not None and old != new  # type: ignore[attr-defined]
    if app._sb_package_changed:  # type: ignore[attr-defined]
        logger.info(
            "slopebook_build: package sources changed (%s -> %s): re-running every page and demo",
            old,
            new,
        )
    app.env.slopebook_package_hash = new  # type: ignore[attr-defined]
    # The gallery keeps its own stamp: its md5 files can outlive the environment pickle.
    for gallery_dir in _gallery_dirs(app):
        stamp = gallery_dir / ".slopebook_package_hash"
        if not stamp.is_file() or stamp.read_text().strip() != new:
            logger.info("slopebook_build: package changed: every demo in %s re-runs", gallery_dir)
            for md5 in gallery_dir.rglob("*.py.md5"):
                md5.unlink()
        gallery_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(new + "\n")
    _start_execution(app)


def _key_cache(app: Sphinx) -> None:
    """Point myst-nb's jupyter-cache at ``<cache path>/<package hash>``; prune other hashes."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None or not config.execution_cache_path:
        return
    key = app._sb_package_hash  # type: ignore[attr-defined]
    base = Path(config.execution_cache_path)
    if base.name == key:
        return
    if base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and old.name != key and re.fullmatch(r"[0-9a-f]+|nopackage", old.name):
                shutil.rmtree(old, ignore_errors=True)
    app.env.mystnb_config = config.copy(execution_cache_path=str(base / key))  # type: ignore[attr-defined]


def _on_builder_inited_late(app: Sphinx) -> None:
    """After myst-nb has made its config (again): key the jupyter-cache by the package hash."""
    _key_cache(app)
    config = getattr(app.env, "mystnb_config", None)
    if config is not None:
        logger.info("slopebook_build: jupyter-cache at %s", config.execution_cache_path)


def _on_gallery_generated(app: Sphinx) -> None:
    """After sphinx-gallery ran its scripts (at builder-inited, priority 500)."""
    _check_gallery(app)
    _normalise_zips(app)
    for _, stem in _gallery_examples(app):
        rst = stem.with_suffix(".rst")
        if rst.is_file():
            text = rst.read_text(encoding="utf-8")
            stable = stable_animation_ids(text, stem.name)
            if stable != text:
                rst.write_text(stable, encoding="utf-8")


def _on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Which docs Sphinx must read although their sources did not change.

    * every executed page, when the package changed;
    * every page with a recorded problem, so that its failure is reported again;
    * the execution report, when any page or demo was (or will be) executed.
    """
    _init_env(app, env, [])
    executed = {d for d, data in getattr(env, "nb_metadata", {}).items() if "exec_data" in data}
    executed |= set(env.slopebook_code_cells)  # type: ignore[attr-defined]
    demos = {record["docname"] for record in gallery_records(app)}
    outdated: set[str] = set()
    if _changed(app):
        outdated |= executed
    outdated |= set(env.slopebook_cell_problems)  # type: ignore[attr-defined]
    outdated |= {
        d
        for d in executed
        if not getattr(env, "nb_metadata", {}).get(d, {}).get("exec_data", {}).get("succeeded")
    }
    reading = added | changed | outdated
    if added or removed or reading & (executed | demos):
        outdated |= set(env.slopebook_report_docs)  # type: ignore[attr-defined]
    return sorted(d for d in outdated if d in env.found_docs and d not in removed)


# -- parallel execution of the pages that must run -------------------------------------------
def _execute_notebook(
    notebook: Any, cwd: str, timeout: int | None
) -> tuple[Any, float, str | None]:
    """Worker: run one notebook as myst-nb's cache mode would; return it, its time, its error."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(
        notebook, cwd=cwd, allow_errors=False, timeout=timeout, meta_override=True
    )
    error = None if result.err is None else f"{type(result.err).__name__}"
    stabilise_outputs(notebook)
    notebook.metadata["slopebook_finished"] = datetime.now(tz=timezone.utc).timestamp()
    return notebook, float(result.time), error


#: matplotlib's jshtml animation names its elements after ``uuid.uuid4().hex``.
ANIMATION_ID = re.compile(r"(?:_anim_img|_anim_slider|_anim_loop_select|anim)([0-9a-f]{32})")


def stable_animation_ids(text: str, salt: str) -> str:
    """Replace each random animation id in ``text`` by one derived from ``salt`` and its order.

    Idempotent: the replacements are again 32 hex digits, mapped to themselves next time.
    """
    ids = list(dict.fromkeys(ANIMATION_ID.findall(text)))
    for index, old in enumerate(ids):
        new = hashlib.md5(f"{salt}:{index}".encode(), usedforsecurity=False).hexdigest()
        text = text.replace(old, new)
    return text


def stabilise_outputs(notebook: Any) -> None:
    """Make an executed notebook's outputs independent of timing and randomness.

    * The kernel may split one ``print`` into several stream messages, wherever a flush
      happens to fall; myst-nb's merge (``nb_merge_streams``) strips each chunk and adds a
      newline, so a split just before a newline renders a blank line that the next build
      does not have. Consecutive chunks of one stream are joined exactly here.
    * Animation ids (see :func:`stable_animation_ids`) are derived from the cell position.
    """
    for index, cell in enumerate(notebook.cells):
        if cell.get("cell_type") != "code":
            continue
        merged: list[Any] = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                output.get("output_type") == "stream"
                and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
                previous["text"] = previous["text"] + output["text"]
                continue
            for mime in ("text/html",):
                data = output.get("data", {})
                if isinstance(data.get(mime), str):
                    data[mime] = stable_animation_ids(data[mime], f"cell{index}")
            merged.append(output)
        cell["outputs"] = merged


def _notebook_sources(app: Sphinx) -> list[tuple[str, Path]]:
    """``(docname, path)`` of every source myst-nb could execute, found as Sphinx finds them."""
    from sphinx.util.matching import Matcher

    src = Path(app.srcdir)
    outdir = Path(app.outdir).resolve()
    excluded = Matcher([*app.config.exclude_patterns, "**/_build/**", "**/.*", "**/.*/**"])
    suffixes = [s for s in app.config.source_suffix if s in {".md", ".ipynb"}]
    out = []
    for suffix in suffixes:
        for path in sorted(src.rglob(f"*{suffix}")):
            rel = path.relative_to(src).as_posix()
            if excluded(rel) or outdir in path.resolve().parents:
                continue
            out.append((rel[: -len(suffix)], path))
    return out


def _pages_to_execute(app: Sphinx, sources: list[tuple[str, Path]]) -> list[tuple]:
    """The notebooks among ``sources`` that miss the (package-keyed) cache."""
    from pathlib import PurePosixPath

    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    nb_config = app.env.mystnb_config  # type: ignore[attr-defined]
    cache = get_cache(nb_config.execution_cache_path)
    todo = []
    for docname, path in sources:
        posix = PurePosixPath(path.as_posix())
        if any(posix.match(p) for p in nb_config.execution_excludepatterns):
            continue
        try:
            text = path.read_text(encoding="utf-8")
            reader = create_nb_reader(str(path), app.env.myst_config, nb_config, text)  # type: ignore[attr-defined]
            if reader is None:
                continue
            notebook = reader.read(text)
        except Exception as exc:  # noqa: BLE001 - myst-nb reports unreadable pages itself
            logger.debug("slopebook_build: cannot pre-read %s: %s", path, exc)
            continue
        # Pages that override myst-nb settings in their metadata are left to myst-nb.
        if nb_config.metadata_key in notebook.metadata:
            continue
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        try:
            cache.match_cache_notebook(notebook)
        except KeyError:
            todo.append((docname, path, notebook, reader.read_fmt))
    return todo


def _start_execution(app: Sphinx) -> None:
    """Start running, in worker processes, every page whose notebook misses the cache.

    myst-nb executes a page while Sphinx reads it, one page after another, and only after
    sphinx-gallery has run every demo (``sphinx -j`` reads in parallel, but then several
    processes write one jupyter-cache database: "database is locked"). Here the pages start
    at builder-inited, so they run while sphinx-gallery runs the demos in this process;
    :func:`_collect_execution` waits for them before the read, and this process alone writes
    the cache. The read then finds every page cached. A page that fails is not cached:
    myst-nb runs it again while reading and reports the error with its traceback, as usual.
    """
    workers = int(app.config.slopebook_execution_workers or 0)
    app._sb_pool = None  # type: ignore[attr-defined]
    if workers < 1 or app.config.nb_execution_mode != "cache" or app.config.nb_kernel_rgx_aliases:
        return  # (myst-nb renames kernels while reading: the cache keys would differ)
    from myst_nb.sphinx_ext import create_mystnb_config
    from myst_parser.sphinx_ext.main import create_myst_config

    # The same configurations myst-parser and myst-nb make at builder-inited (priority 500).
    create_myst_config(app)
    create_mystnb_config(app)
    _key_cache(app)
    todo = _pages_to_execute(app, _notebook_sources(app))
    if not todo:
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(workers, len(todo))
    logger.info("slopebook_build: executing %d pages in %d worker(s)", len(todo), workers)
    timeout = app.env.mystnb_config.execution_timeout  # type: ignore[attr-defined]
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    futures = {
        pool.submit(_execute_notebook, nb, str(path.parent), timeout): (docname, path, fmt)
        for docname, path, nb, fmt in todo
    }
    app._sb_pool = (pool, futures)  # type: ignore[attr-defined]


def _collect_execution(app: Sphinx) -> None:
    """Wait for the pages started by :func:`_start_execution` and cache those that ran."""
    started = getattr(app, "_sb_pool", None)
    if not started:
        return
    from concurrent.futures import as_completed

    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    pool, futures = started
    app._sb_pool = None  # type: ignore[attr-defined]
    _init_env(app, app.env, [])
    cache = get_cache(app.env.mystnb_config.execution_cache_path)  # type: ignore[attr-defined]
    with pool:
        for future in as_completed(futures):
            docname, path, fmt = futures[future]
            try:
                executed, seconds, error = future.result()
            except Exception as exc:  # noqa: BLE001 - myst-nb runs the page again and reports
                executed, seconds, error = None, 0.0, repr(exc)
            if error is not None:
                logger.info("slopebook_build: %s failed (%s); myst-nb will report it", path, error)
                continue
            # myst-nb dates a cached run by the cache record, written now; keep the real time.
            finished = executed.metadata.pop("slopebook_finished", None)
            app.env.slopebook_runs[docname] = (finished, seconds)  # type: ignore[attr-defined]
            record = cache.add_nb_to_project(str(path), read_data=fmt)
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            logger.info("slopebook_build: executed %s in %.2f s", docname, seconds)


def _on_env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _init_env(app, env, docnames)
    _collect_execution(app)


# -- what each page recorded -----------------------------------------------------------------
def _on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.docname
    n_code = sum(
        1 for node in doctree.findall(nodes.container) if node.get("nb_element") == "cell_code"
    )
    if n_code:
        env.slopebook_code_cells[docname] = n_code  # type: ignore[attr-defined]
    problems = []
    for node in doctree.findall(nodes.literal_block):
        if "stderr" not in node.get("classes", []):
            continue
        text = node.astext()
        found = WARNING_LINE.findall(text)
        line = node.line or (node.parent.line if node.parent is not None else None)
        if found:
            problems.extend(
                (line, f"a cell emitted {category}: {message.strip()}")
                for category, message in found
            )
        else:
            first = text.strip().splitlines()[0] if text.strip() else ""
            problems.append((line, f"a cell wrote to stderr: {first[:200]!r}"))
    if problems:
        env.slopebook_cell_problems[docname] = problems  # type: ignore[attr-defined]
    if any(isinstance(n, ExecutionReportNode) for n in doctree.findall(ExecutionReportNode)):
        env.slopebook_report_docs.add(docname)  # type: ignore[attr-defined]


def _init_env(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    for attr, factory in (
        ("slopebook_code_cells", dict),
        ("slopebook_cell_problems", dict),
        ("slopebook_report_docs", set),
        ("slopebook_runs", dict),
    ):
        if not hasattr(env, attr):
            setattr(env, attr, factory())


def _on_env_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _init_env(app, env, [])
    env.slopebook_code_cells.pop(docname, None)  # type: ignore[attr-defined]
    env.slopebook_cell_problems.pop(docname, None)  # type: ignore[attr-defined]
    env.slopebook_report_docs.discard(docname)  # type: ignore[attr-defined]


def _on_env_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    _init_env(app, env, [])
    for d in docnames:
        if d in other.slopebook_code_cells:  # type: ignore[attr-defined]
            env.slopebook_code_cells[d] = other.slopebook_code_cells[d]  # type: ignore[attr-defined]
        if d in other.slopebook_cell_problems:  # type: ignore[attr-defined]
            env.slopebook_cell_problems[d] = other.slopebook_cell_problems[d]  # type: ignore[attr-defined]
        if d in other.slopebook_report_docs:  # type: ignore[attr-defined]
            env.slopebook_report_docs.add(d)  # type: ignore[attr-defined]


def _on_env_check_consistency(app: Sphinx, env: BuildEnvironment) -> None:
    """Every page with code ran, succeeded and took time; no cell printed a warning."""
    nb_metadata = getattr(env, "nb_metadata", {})
    for docname in sorted(env.slopebook_code_cells):  # type: ignore[attr-defined]
        if docname not in env.found_docs:
            continue
        exec_data = nb_metadata.get(docname, {}).get("exec_data")
        where = docname
        if not exec_data:
            logger.warning(
                "page has %d code cells but no execution record: it was not executed "
                "(check nb_execution_mode and nb_execution_excludepatterns)",
                env.slopebook_code_cells[docname],  # type: ignore[attr-defined]
                location=where,
                type="slopebook",
                subtype="unexecuted",
            )
        elif not exec_data.get("succeeded"):
            logger.warning(
                "execution failed: %s", exec_data.get("error"), location=where, type="slopebook"
            )
        elif not (exec_data.get("runtime") or 0) > 0:
            logger.warning(
                "execution record shows a runtime of %r s: the page did not really run",
                exec_data.get("runtime"),
                location=where,
                type="slopebook",
                subtype="unexecuted",
            )
    for docname, problems in sorted(env.slopebook_cell_problems.items()):  # type: ignore[attr-defined]
        if docname not in env.found_docs:
            continue
        for line, message in problems:
            logger.warning(
                message, location=(docname, line), type="slopebook", subtype="cell_warning"
            )


# -- sphinx-gallery --------------------------------------------------------------------------
def _gallery_pairs(app: Sphinx) -> list[tuple[Path, Path]]:
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    examples = conf.get("examples_dirs", [])
    galleries = conf.get("gallery_dirs", [])
    if isinstance(examples, str):
        examples = [examples]
    if isinstance(galleries, str):
        galleries = [galleries]
    src = Path(app.srcdir)
    return [(src / e, src / g) for e, g in zip(examples, galleries, strict=False)]


def _gallery_dirs(app: Sphinx) -> list[Path]:
    return [g for _, g in _gallery_pairs(app)]


def _gallery_examples(app: Sphinx) -> list[tuple[Path, Path]]:
    """``(script, generated rst stem)`` for every script sphinx-gallery executes."""
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    pattern = re.compile(conf.get("filename_pattern", r"/plot"))
    ignore = re.compile(conf.get("ignore_pattern", r"__init__\.py"))
    out = []
    for examples, gallery in _gallery_pairs(app):
        for script in sorted(examples.rglob("*.py")):
            if ignore.search(str(script)) or not pattern.search(str(script)):
                continue
            out.append((script, gallery / script.relative_to(examples).with_suffix("")))
    return out


def gallery_records(app: Sphinx) -> list[dict[str, Any]]:
    """What is known about each gallery script's last run (from sphinx-gallery's own files)."""
    records = []
    for script, stem in _gallery_examples(app):
        cost = stem.with_suffix(".cost.json")
        rst = stem.with_suffix(".rst")
        record: dict[str, Any] = {
            "script": script,
            "docname": str(stem.relative_to(Path(app.srcdir)).as_posix()),
            "runtime": None,
            "mtime": None,
            "warnings": [],
        }
        if cost.is_file():
            record["runtime"] = float(json.loads(cost.read_text())["time"])
            record["mtime"] = cost.stat().st_mtime
        if rst.is_file():
            record["warnings"] = WARNING_LINE.findall(_script_outputs(rst.read_text()))
            record["rst"] = True
        records.append(record)
    return records


def _script_outputs(rst: str) -> str:
    """The text of the ``sphx-glr-script-out`` blocks of a generated example page."""
    chunks = []
    for block in rst.split(".. rst-class:: sphx-glr-script-out")[1:]:
        lines = block.splitlines()
        body = []
        started = False
        for line in lines[1:]:
            if line.startswith(".. code-block::"):
                started = True
                continue
            if started and line and not line.startswith(" "):
                break
            body.append(line)
        chunks.append("\n".join(body))
    return "\n".join(chunks)


def _check_gallery(app: Sphinx) -> None:
    """After sphinx-gallery ran: every script has a run time above zero and no warnings."""
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    if not conf or str(conf.get("plot_gallery", "True")) == "False":
        return
    for record in gallery_records(app):
        where = _file_location(record["script"])
        if not record["runtime"] or record["runtime"] <= 0:
            logger.warning(
                "gallery script has no recorded run (run time %r s): it did not execute",
                record["runtime"],
                location=where,
                type="slopebook",
                subtype="unexecuted",
            )
        for category, message in record["warnings"]:
            logger.warning(
                "the script emitted %s: %s",
                category,
                message.strip(),
                location=where,
                type="slopebook",
                subtype="cell_warning",
            )


def _file_location(path: Path) -> nodes.Element:
    """A location Sphinx prints as the file's path (a plain string would be read as a docname)."""
    node = nodes.Element()
    node.source = str(path)
    node.line = None
    return node


def _zip_timestamp() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        t = datetime.fromtimestamp(max(int(epoch), 315532800), tz=timezone.utc)
        return (t.year, t.month, t.day, t.hour, t.minute, t.second)
    return (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can record


def _normalise_zips(app: Sphinx) -> None:
    """Give the gallery's download zips a fixed timestamp (``SOURCE_DATE_EPOCH`` or 1980).

    sphinx-gallery zips the files it has just written (the download-all zips on every
    build), so each entry records the time of the build and two clean builds differ byte
    for byte. The entries are re-stamped; and a zip whose content did not change gets back
    its previous modification time, or Sphinx would re-read the page linking to it on
    every build.
    """
    import zipfile

    stamp = _zip_timestamp()
    for gallery_dir in _gallery_dirs(app):
        for path in sorted(gallery_dir.rglob("*.zip")):
            with zipfile.ZipFile(path) as old:
                infos = old.infolist()
                entries = [(info, old.read(info)) for info in infos]
            digest = hashlib.sha256()
            for info, data in entries:
                digest.update(info.filename.encode() + b"\0" + data + b"\0")
            record = path.with_name(path.name + ".sha256")
            known = record.read_text().split() if record.is_file() else []
            if any(info.date_time != stamp for info, _ in entries):
                tmp = path.with_name(path.name + ".tmp")
                with zipfile.ZipFile(tmp, "w") as new:
                    for info, data in entries:
                        fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
                        fixed.compress_type = info.compress_type
                        fixed.external_attr = info.external_attr
                        new.writestr(fixed, data)
                tmp.replace(path)
            if len(known) == 2 and known[0] == digest.hexdigest():
                mtime = float(known[1])
                os.utime(path, (mtime, mtime))
            else:
                record.write_text(f"{digest.hexdigest()} {path.stat().st_mtime}\n")


_FILTERS: list[Any] = []


def gallery_warnings(gallery_conf: dict, fname: str | None, when: str) -> None:
    """sphinx-gallery reset hook: show every warning (once per place) while a script runs.

    Python hides ``DeprecationWarning`` raised inside libraries by default; the book wants to
    hear about them. sphinx-gallery captures what is shown into the script's output, where
    :func:`_check_gallery` finds it. Use with ``reset_modules_order = "both"``.
    """
    if when == "before" and fname is not None:
        ctx = warnings.catch_warnings()
        ctx.__enter__()
        warnings.simplefilter("default")
        _FILTERS.append(ctx)
    elif when == "after":
        while _FILTERS:
            _FILTERS.pop().__exit__(None, None, None)


# -- glue expectations -----------------------------------------------------------------------
class GlueExpect(SphinxDirective):
    """``{glue-expect} key`` with ``:value:`` (and ``:rtol:``/``:atol:``): a glued number's
    agreed value.

    Prose numbers are glued, so they cannot drift from the code; what can drift is the code
    itself (a refactor in ``src/slopebook`` changes a result the text explains, or a seed's
    worked answer stops being reproduced). This directive states the value the page's prose
    was written for, next to it; the build fails, naming the file and line, when the glued
    value disagrees beyond the tolerance or the key was not glued at all. It renders nothing.
    """

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "value": float,
        "rtol": float,
        "atol": float,
    }

    def run(self) -> list[nodes.Node]:
        from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

        key = self.arguments[0]
        location = self.get_location()
        if "value" not in self.options:
            logger.warning("glue-expect %r needs a :value: option", key, location=location)
            return []
        expected = self.options["value"]
        rtol = self.options.get("rtol", 1e-9)
        atol = self.options.get("atol", 0.0)
        try:
            output = retrieve_glue_data(self.state.document, key)
        except RetrievalError:
            logger.warning(
                "glue-expect: the code of this page no longer glues %r (expected %r)",
                key,
                expected,
                location=location,
                type="slopebook",
                subtype="glue",
            )
            return []
        text = output.data.get("text/plain", "")
        try:
            actual = float(text)
        except ValueError:
            logger.warning(
                "glue-expect: %r is glued as %r, not a number", key, text, location=location
            )
            return []
        if not abs(actual - expected) <= atol + rtol * abs(expected):
            logger.warning(
                "glue-expect: %r is %r but the page states %r (rtol=%g, atol=%g)",
                key,
                actual,
                expected,
                rtol,
                atol,
                location=location,
                type="slopebook",
                subtype="glue",
            )
        return []


# -- the execution report --------------------------------------------------------------------
class ExecutionReportNode(nodes.General, nodes.Element):
    """Placeholder replaced by the report table when the page is written."""


class ExecutionReport(SphinxDirective):
    """``{execution-report}``: a table of every executed page and gallery demo."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [ExecutionReportNode()]


def _when(timestamp: float | None) -> str:
    if not timestamp:
        return "never"
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _timing(text: str) -> nodes.inline:
    # Timing text is marked so that reproducibility checks can ignore exactly it.
    return nodes.inline(text, text, classes=["sb-timing"])


def _report_rows(app: Sphinx) -> list[tuple[str, str, str, str, str]]:
    env = app.env
    rows = []
    nb_metadata = getattr(env, "nb_metadata", {})
    for docname in sorted(env.found_docs):
        exec_data = nb_metadata.get(docname, {}).get("exec_data")
        if docname not in env.slopebook_code_cells and not exec_data:  # type: ignore[attr-defined]
            continue
        if not exec_data:
            rows.append(("page", docname, "never", "-", "not executed"))
            continue
        status = "ok" if exec_data.get("succeeded") else f"failed ({exec_data.get('error')})"
        runtime = exec_data.get("runtime")
        mtime = exec_data.get("mtime")
        finished, seconds = env.slopebook_runs.get(docname, (None, None))  # type: ignore[attr-defined]
        if finished and runtime is not None and seconds == runtime:
            mtime = finished  # this run came from the worker pool
        rows.append(
            (
                "page",
                docname,
                _when(mtime),
                f"{runtime:.2f} s" if runtime else "-",
                status,
            )
        )
    for record in gallery_records(app):
        if record["docname"] not in env.found_docs:
            continue
        ok = record["runtime"] and not record["warnings"]
        rows.append(
            (
                "demo",
                record["docname"],
                _when(record["mtime"]),
                f"{record['runtime']:.2f} s" if record["runtime"] else "-",
                "ok" if ok else "not executed" if not record["runtime"] else "warnings",
            )
        )
    return rows


def _on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = list(doctree.findall(ExecutionReportNode))
    if not placeholders:
        return
    rows = _report_rows(app)
    headers = ("Kind", "Page", "Last run", "Run time", "Status")
    table = nodes.table(classes=["sb-execution-report"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in (8, 40, 25, 12, 15):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    row = nodes.row()
    for h in headers:
        row += nodes.entry("", nodes.paragraph(text=h))
    head += row
    body = nodes.tbody()
    group += body
    for kind, target, when, runtime, status in rows:
        row = nodes.row()
        row += nodes.entry("", nodes.paragraph(text=kind))
        title = app.env.titles.get(target)
        label = title.astext() if title is not None else target
        para = nodes.paragraph()
        ref = nodes.reference(label, label, internal=True)
        ref["refuri"] = app.builder.get_relative_uri(docname, target)
        para += ref
        row += nodes.entry("", para)
        row += nodes.entry("", nodes.paragraph("", "", _timing(when)))
        row += nodes.entry("", nodes.paragraph("", "", _timing(runtime)))
        row += nodes.entry("", nodes.paragraph(text=status))
        body += row
    total = sum(1 for r in rows if r[4] == "ok")
    summary = nodes.paragraph(text=f"{total} of {len(rows)} executed pages and demos are ok.")
    for placeholder in placeholders:
        placeholder.replace_self([summary, table])


# -- KaTeX: connect once the prerender server listens ----------------------------------------
# sphinxcontrib-katex (0.9.11) starts node, waits until the server's socket *file* exists
# and connects once. node creates the file when it binds, a moment before it listens; on a
# busy machine the connection can land in between and be refused, which fails the whole
# build (it did, once, in CI). This version retries on the same process until the
# library's own startup timeout.
def start_katex_server(cls: Any, rundir: Path, timeout: float) -> tuple[Any, Any]:
    """``KaTeXServer.start_server_process`` that waits for the server to listen."""
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


def _patient_katex() -> None:
    try:
        from sphinxcontrib.katex import KaTeXServer
    except ImportError:  # a book without KaTeX
        return
    KaTeXServer.start_server_process = classmethod(start_katex_server)


# -- setup -----------------------------------------------------------------------------------
def setup(app: Sphinx) -> dict[str, Any]:
    """Register the hooks; see the module docstring."""
    app.add_config_value("slopebook_package_dirs", [], "env", types=[list])
    _patient_katex()
    # The kernel inherits the environment: show library deprecations in cell output too.
    os.environ.setdefault("PYTHONWARNINGS", "default")
    app.add_node(ExecutionReportNode)
    app.add_directive("execution-report", ExecutionReport)
    app.add_directive("glue-expect", GlueExpect)
    app.add_config_value("slopebook_execution_workers", 1, "", types=[int])
    app.connect("env-before-read-docs", _on_env_before_read_docs)
    # sphinx-gallery runs its scripts at builder-inited (priority 500): go before it to drop
    # stale md5s, and after myst-nb's own builder-inited hook to key its cache.
    app.connect("builder-inited", _on_builder_inited_early, priority=100)
    app.connect("builder-inited", _on_builder_inited_late, priority=900)
    app.connect("builder-inited", _on_gallery_generated, priority=950)
    app.connect("env-get-outdated", _on_env_get_outdated)
    app.connect("doctree-read", _on_doctree_read)
    app.connect("env-purge-doc", _on_env_purge_doc)
    app.connect("env-merge-info", _on_env_merge_info)
    app.connect("env-check-consistency", _on_env_check_consistency)
    app.connect("doctree-resolved", _on_doctree_resolved)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
        "env_version": 1,
    }
