"""slopebook's jobs. ``nox -l`` lists them; ``nox`` runs the default ones.

Every session installs with ``requirements/constraints.txt`` so that torch is the pinned
CPU build and the doc toolchain is a known-good set. Extra arguments after ``--`` are
passed through to the tool a session runs.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox
import nox.command

nox.needs_version = ">=2024.10"
# uv makes a session's environment in seconds (pip takes over a minute for torch alone);
# without uv on PATH, nox falls back to virtualenv and pip.
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "typecheck", "tests", "docs"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "requirements" / "constraints.txt"))
DOCS = ROOT / "docs"
BUILD = DOCS / "_build" / "html"
# sphinx-build in as many processes as the machine has cores (-j auto): reading (which runs
# the notebooks) and writing; docs/_ext/slopebook_parallel.py shares the notebooks out.
JOBS = ("-j", "auto")


def _pip_find_links() -> str:
    """The folders of local wheels pip is told about (this project's machines keep the CPU
    build of torch in one), comma-separated as uv reads them in ``UV_FIND_LINKS``."""
    import subprocess
    import sys

    links = os.environ.get("PIP_FIND_LINKS")
    if links is None:
        command = [sys.executable, "-m", "pip", "config", "get", "global.find-links"]
        got = subprocess.run(command, capture_output=True, text=True, check=False)
        links = got.stdout if got.returncode == 0 else ""
    return ",".join(links.split())


# Python writes its bytecode caches in the sessions, whatever the calling shell says: uv does
# not compile at install as pip does, and the build starts dozens of processes (kernels,
# sphinx-build, demos) that import torch, matplotlib and Sphinx; without the caches each one
# compiles every module it imports again (a no-change build of the fixture book: 6.6 s of
# CPU with PYTHONDONTWRITEBYTECODE=1, 2.5 s without).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# uv does not read pip's configuration: without the local wheels it would fetch torch's CUDA
# build (several GB) where pip installs the CPU wheel from disk.
if "UV_FIND_LINKS" not in os.environ and (_links := _pip_find_links()):
    os.environ["UV_FIND_LINKS"] = _links


def install(session: nox.Session, *groups: str, editable: bool = True) -> None:
    """Install slopebook and the named dependency groups, pinned by the constraints."""
    reqs = [r for g in groups for r in nox.project.dependency_groups(PYPROJECT, g)]
    package = ("-e", ".") if editable else (".",)
    session.install(*CONSTRAINTS, *package, *reqs)


@nox.session
def lint(session: nox.Session) -> None:
    """Run ruff: the linter (``ruff check``) and the formatter in check mode."""
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", *session.posargs)
    session.run("ruff", "format", "--check", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the fast tests: unit, property and doctests. Needs no built book.

    Tests that need the built book, a browser or book builds of their own carry the ``book``
    marker and are deselected here; ``nox -s book`` runs them.
    """
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check src/ with mypy, strict ([tool.mypy] in pyproject.toml lists the relaxations)."""
    install(session, "typecheck")
    session.run("mypy", *session.posargs)


@nox.session(default=False)
def book(session: nox.Session) -> None:
    """Check the built book: glued numbers, links, gallery pages, Chromium, fixture builds.

    Run ``nox -s docs`` first: these tests read docs/_build/html. They also build small
    fixture books (tests/build) and run every downloaded notebook and demo on its own.

    Two pytest runs go side by side, one for the browser tests (tests/browser) and one for
    all the others: each alone keeps about one core and a half busy. The browser run's log
    is shown when it ends; either failing fails the session.
    Arguments after ``--`` make it one pytest run with those arguments instead
    (``nox -s book -- tests/build -x``).
    """
    import threading

    install(session, "test", "docs")
    if session.posargs:
        session.run("pytest", "-m", "book", *session.posargs)
        return
    # session.run in a thread: nox shows the browser run's output when it ends (and skips
    # both runs under --install-only).
    browser: dict[str, object] = {}

    def browser_tests() -> None:
        try:
            browser["log"] = session.run("pytest", "-m", "book", "tests/browser", silent=True)
        except nox.command.CommandFailed as error:  # raised once nox has shown the log
            browser["error"] = error

    thread = threading.Thread(target=browser_tests)
    thread.start()
    try:
        session.run("pytest", "-m", "book", "--ignore=tests/browser")
    finally:
        thread.join()
        if browser.get("log"):
            session.log(f"pytest -m book tests/browser:\n{browser['log']}")
    if "error" in browser:
        session.error("the browser tests (pytest -m book tests/browser) failed, log above")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the book into docs/_build/html, executing every chapter and gallery script.

    Warnings are errors (-W), references must resolve (-n), and --keep-going reports every
    problem before failing. Pass extra sphinx-build options after ``--``.
    """
    install(session, "docs")
    session.run(
        "sphinx-build",
        "-b",
        "html",
        "-W",
        "-n",
        "--keep-going",
        *JOBS,
        str(DOCS),
        str(BUILD),
        *session.posargs,
    )
    session.log(f"The book is built: open {BUILD / 'index.html'}")


@nox.session(default=False)
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000, rebuilt whenever a page or the package changes."""
    install(session, "docs")
    session.install(*CONSTRAINTS, "sphinx-autobuild")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        str(ROOT / "src" / "slopebook"),
        "--watch",
        str(ROOT / "gallery"),
        "--re-ignore",
        r"(auto_examples|gen_modules|jupyter_execute|_build)/",
        str(DOCS),
        str(BUILD),
        *session.posargs,
    )


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Compare slopebook with scipy.differentiate, numdifftools and torch autograd.

    Runs every comparison side by side in one process (benchmarks/run.py) and prints tables
    of error, evaluations and time ratios. Not a default session: timings need a quiet
    machine. ``nox -s bench -- --quick`` uses small sizes.
    """
    install(session, "bench")
    session.run("python", str(ROOT / "benchmarks" / "run.py"), *session.posargs)


# -- Build performance and reproducibility --------------------------------------------------
GENERATED = ("_build", "auto_examples", "gen_modules", "generated", "jupyter_execute")
SPHINX_BUILD = ("sphinx-build", "-b", "html", "-W", "-n", "--keep-going", *JOBS)


def _clean_docs() -> None:
    """Remove everything a build generates under docs/, caches included: a cold start."""
    import shutil

    for name in GENERATED:
        shutil.rmtree(DOCS / name, ignore_errors=True)


def _timed_build(session: nox.Session, out: Path, *args: str) -> tuple[float, str]:
    """Run one sphinx-build; return its wall time and its log (which ends with its CPU time).

    On a shared machine the wall time depends on the neighbours; the CPU time (user + system,
    of sphinx-build, its kernels and workers) does not.
    """
    import os
    import time

    start, cpu = time.perf_counter(), os.times()
    log = session.run(*SPHINX_BUILD, *args, str(DOCS), str(out), silent=True)
    end = os.times()
    used = (end.children_user - cpu.children_user) + (end.children_system - cpu.children_system)
    return time.perf_counter() - start, f"{log or ''}\ncpu {used:.1f} s"


def _cpu(log: str) -> str:
    return log.rsplit("\ncpu ", 1)[-1] + " CPU"


def _executed(log: str) -> str:
    """What a build log says was executed: notebooks by myst-nb, scripts by sphinx-gallery."""
    import re

    pages = len(re.findall(r"Executing notebook using", log))
    demos = re.search(r"Sphinx-Gallery successfully executed (\d+) out of (\d+)", log)
    return f"{pages} pages, {demos.group(1) if demos else 0} demos executed"


@nox.session(default=False)
def bench_docs(session: nox.Session) -> None:
    """Time three builds of the book: cold, warm (nothing changed) and one chapter edited.

    Cold starts from nothing (build, gallery output and execution cache removed). Warm
    rebuilds at once, which must re-execute nothing. The edit adds a code cell to the first
    chapter, which must re-run that chapter only; the chapter is restored afterwards. Extra
    arguments after ``--`` go to sphinx-build (``-- -j 1`` times a serial build).
    """
    install(session, "docs")
    chapter = min((DOCS / "chapters").glob("*.md"))
    original = chapter.read_text()
    _clean_docs()
    cold, cold_log = _timed_build(session, BUILD, *session.posargs)
    warm, warm_log = _timed_build(session, BUILD, *session.posargs)
    try:
        chapter.write_text(original + "\n```{code-cell} ipython3\n_ = 'bench_docs edit'\n```\n")
        edit, edit_log = _timed_build(session, BUILD, *session.posargs)
    finally:
        chapter.write_text(original)
    session.log(f"cold build:        {cold:6.1f} s, {_cpu(cold_log)}  ({_executed(cold_log)})")
    session.log(
        f"warm build:        {warm:6.1f} s, {_cpu(warm_log)}  ({_executed(warm_log)}; "
        f"{warm / cold:.0%} of cold)"
    )
    session.log(
        f"one-chapter edit:  {edit:6.1f} s, {_cpu(edit_log)}  ({_executed(edit_log)}; "
        f"edited {chapter.name})"
    )


#: Text that is a timing by nature: the execution report's times, sphinx-gallery's running times.
TIMING = (
    (rb'(<span class="sb-timing[^"]*">)[^<]*(</span>)', rb"\1TIME\2"),
    # sphinx-gallery: "Total running time of the script: (0 minutes 1.234 seconds)"
    (rb"(\(\s*)\d+ minutes [\d.]+ seconds(\))", rb"\1TIME\2"),
)
#: A code cell tagged ``timing`` measures time: its outputs (text, figures) differ every build.
TIMING_CELL = "tag_timing"


def _normalised_tree(root: Path) -> dict[str, bytes]:
    """Every file of a built book, timing text and the outputs of ``timing`` cells blanked.

    An image only such outputs show is left out: its name is the hash of its pixels.
    """
    import json
    import re

    from bs4 import BeautifulSoup

    files = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if not path.is_file() or ".doctrees" in path.parts or path.name == ".buildinfo":
            continue
        data = path.read_bytes()
        if path.suffix == ".html" and TIMING_CELL.encode() in data:
            soup = BeautifulSoup(data, "html.parser")
            for output in soup.select(f".{TIMING_CELL} .cell_output"):
                output.string = "TIME"
            data = soup.encode(formatter=None)
        if path.suffix == ".ipynb":
            notebook = json.loads(data)
            for cell in notebook["cells"]:
                if "timing" in cell.get("metadata", {}).get("tags", []):
                    cell["outputs"] = "TIME"
            data = json.dumps(notebook, sort_keys=True).encode()
        if path.suffix in {".html", ".txt", ".js", ".rst", ".md"}:
            for pattern, blank in TIMING:
                data = re.sub(pattern, blank, data)
        files[name] = data
    shown = b"".join(v for k, v in files.items() if k.endswith(".html"))
    return {
        k: v
        for k, v in files.items()
        if not k.startswith("_images/") or Path(k).name.encode() in shown
    }


@nox.session(default=False)
def repro(session: nox.Session) -> None:
    """Build the book twice from nothing and require identical HTML and images.

    Only timing text is ignored (the execution report's times, sphinx-gallery's running
    times). Any other difference fails the session and lists the files that differ; both
    builds are kept in .nox/repro for inspection.
    """
    import difflib
    import shutil

    install(session, "docs")
    trees = []
    keep = ROOT / ".nox" / "repro"  # both builds stay here for inspection
    shutil.rmtree(keep, ignore_errors=True)
    for n in (1, 2):
        _clean_docs()
        shutil.rmtree(keep / "jupyter_execute", ignore_errors=True)  # myst-nb's output folder
        out = keep / f"build{n}"
        seconds, _ = _timed_build(session, out, "-d", str(keep / f"doctrees{n}"), *session.posargs)
        session.log(f"clean build {n}: {seconds:.1f} s")
        trees.append(_normalised_tree(out))
    first, second = trees
    differ = sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))
    for name in differ[:10]:
        a, b = first.get(name, b""), second.get(name, b"")
        if name.endswith((".html", ".js", ".txt")):
            diff = difflib.unified_diff(
                a.decode(errors="replace").splitlines(),
                b.decode(errors="replace").splitlines(),
                lineterm="",
                n=0,
            )
            session.log(f"{name}:\n" + "\n".join(list(diff)[:12]))
        else:
            session.log(f"{name}: binary files differ ({len(a)} vs {len(b)} bytes)")
    if differ:
        session.error(
            f"{len(differ)} of {len(first)} files differ between two clean builds (see {keep})"
        )
    session.log(f"two clean builds are identical ({len(first)} files, timing text aside)")


# -- PDF and EPUB (docs/_ext/slopebook_formats.py) -------------------------------------------
FORMATS = DOCS / "_build" / "formats"


@nox.session(default=False)
def formats(session: nox.Session) -> None:
    """Build the book as PDF and EPUB 3 into docs/_build/html, re-executing nothing.

    Run ``nox -s docs`` first: the one-page and EPUB builds start from copies of its
    environment and read the notebooks' outputs from its jupyter-cache, so no page and no
    demo runs again (the session fails if one does); they run side by side, logs in
    docs/_build/formats/. Chromium prints the one-page build to
    ``slopebook.pdf`` (needs Debian's ``chromium``); ``slopebook.epub`` is Sphinx's EPUB 3.
    ``nox -s book`` checks both files (tests/build/test_formats.py, which needs epubcheck).
    """
    import shutil
    import subprocess
    import time

    install(session, "docs", "formats")

    def _log(builder: str) -> str:
        return (FORMATS / f"{builder}.log").read_text(errors="replace")

    if not (BUILD / "index.html").is_file():
        session.error(f"no HTML build at {BUILD}: run nox -s docs first")
    FORMATS.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    builds = {}
    # The EPUB builds in the background while the one-page build is made and printed; each
    # build gets its own copy of the environment (two builds must not share one pickle).
    for builder in ("epub", "singlehtml"):
        doctrees = FORMATS / f"doctrees-{builder}"
        shutil.rmtree(doctrees, ignore_errors=True)
        shutil.copytree(BUILD / ".doctrees", doctrees)
        log = (FORMATS / f"{builder}.log").open("w")
        command = [str(Path(session.bin) / "sphinx-build"), "-b", builder, "--keep-going"]
        command += ["-d", str(doctrees), str(DOCS), str(FORMATS / builder), *session.posargs]
        builds[builder] = (subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT), log)
        # sphinx-gallery rewrites docs/gen_modules and docs/auto_examples when a build starts:
        # two builds starting together race over those files, so the next waits for this one
        # to have passed them (Sphinx then says it is updating its environment).
        while builds[builder][0].poll() is None and "updating environment" not in _log(builder):
            time.sleep(0.2)
    for builder, (process, log) in reversed(builds.items()):
        process.wait()
        log.close()
        text = (FORMATS / f"{builder}.log").read_text()
        if process.returncode:
            session.error(f"the {builder} build failed (see {log.name}):\n{text[-3000:]}")
        executed = _executed(text)
        session.log(f"{builder}: built at {time.perf_counter() - start:.0f} s ({executed})")
        if executed != "0 pages, 0 demos executed":
            session.error(f"the {builder} build executed code ({executed}): run nox -s docs first")
        if builder == "singlehtml":
            session.run(
                "python",
                str(DOCS / "_ext" / "slopebook_formats.py"),
                "pdf",
                str(FORMATS / "singlehtml"),
                str(BUILD / "slopebook.pdf"),
            )
            session.log(f"pdf: printed at {time.perf_counter() - start:.0f} s")
    shutil.copy2(FORMATS / "epub" / "slopebook.epub", BUILD / "slopebook.epub")
    session.log(f"formats took {time.perf_counter() - start:.0f} s")
    session.log(f"written: {BUILD / 'slopebook.pdf'} and {BUILD / 'slopebook.epub'}")
