"""What a reader downloads from the built site runs on a fresh machine.

Follows the links of the built book (``docs/_build/html``, ``nox -s docs``): slopebook's wheel
from the front page, every chapter's notebook from its page's download menu, every gallery
demo's ``.py`` from its page. One virtual environment for the whole session holds only that
wheel (which brings numpy, matplotlib and torch, pinned by requirements/constraints.txt to
torch's CPU build) and a notebook runner (nbclient, ipykernel); uv makes it when installed
(the test group has it), pip otherwise. Nothing of the repository is importable there. A
notebook whose install line names more packages runs with exactly those added; one that says
it needs the repository itself (the accuracy appendix imports its benchmarks/ folder) is not
run, and must not be a chapter. Each notebook then runs top to bottom in a kernel of that
environment, and each demo as a script (warnings are errors, as in the build), each in a
process and an empty folder of its own: a demo cannot lean on the files beside it, on the
repository or on the other demos. They run two at a time (the ``runs`` fixture); each test
judges its own.

Skips when the book is not built, and fails instead when ``CI`` is set.
"""

from __future__ import annotations

import concurrent.futures
import html
import os
import re
import shutil
import subprocess
import sys
import threading
import venv
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "docs" / "_build" / "html"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"

pytestmark = pytest.mark.slow


def _not_built() -> str | None:
    if not (BUILD / "index.html").is_file():
        return f"no built book at {BUILD} (run: nox -s docs)"
    return None


if (_reason := _not_built()) is not None:
    if os.environ.get("CI"):
        pytest.fail(f"download tests cannot run in CI: {_reason}", pytrace=False)
    pytest.skip(_reason, allow_module_level=True)


def links(page: Path, pattern: str) -> list[Path]:
    """Files of the site that ``page`` links to whose href matches ``pattern``."""
    text = page.read_text(encoding="utf-8")
    found = []
    for href in re.findall(r'href="([^"#?]+)"', text):
        href = unquote(html.unescape(href))
        if re.search(pattern, href) and "://" not in href:
            target = (page.parent / href).resolve()
            if target not in found:
                found.append(target)
    return found


def _pages(folder: str, name: str = "*.html") -> list[Path]:
    return sorted((BUILD / folder).rglob(name))


NOTEBOOKS = [
    (page.relative_to(BUILD).as_posix(), nb)
    for page in [*_pages("chapters"), *_pages("appendix")]
    for nb in links(page, r"\.ipynb$")
]
# A notebook that says it needs more than packages (the repository itself) runs only there.
NEEDS_REPOSITORY = "It also needs"
STANDALONE = [(p, nb) for p, nb in NOTEBOOKS if NEEDS_REPOSITORY not in nb.read_text("utf-8")]
SCRIPTS = [
    (page.relative_to(BUILD).as_posix(), py)
    for page in _pages("auto_examples", "plot_*.html")
    for py in links(page, r"_downloads/.*\.py$")
]


def test_every_chapter_and_demo_offers_its_download() -> None:
    chapters = _pages("chapters")
    assert len(chapters) >= 8
    assert {p for p, _ in NOTEBOOKS} >= {c.relative_to(BUILD).as_posix() for c in chapters}
    demos = _pages("auto_examples", "plot_*.html")
    assert len(demos) >= 10
    assert {p for p, _ in SCRIPTS} == {d.relative_to(BUILD).as_posix() for d in demos}
    missing = [str(f) for _, f in [*NOTEBOOKS, *SCRIPTS] if not f.is_file()]
    assert not missing, f"links to files the site does not have: {missing}"


def _uv() -> str | None:
    """uv, from this interpreter's folder or PATH, if installed (the test group has it)."""
    here = str(Path(sys.executable).parent)
    return shutil.which("uv", path=os.pathsep.join([here, os.environ.get("PATH", "")]))


def _find_links() -> list[str]:
    """pip's find-links setting (``PIP_FIND_LINKS``, space-separated), for uv to use too.

    Where torch's CPU wheel lies on the project's machines: without it uv, like pip, would
    take torch from the index.
    """
    return [f"--find-links={where}" for where in os.environ.get("PIP_FIND_LINKS", "").split()]


@pytest.fixture(scope="session")
def reader_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Python of a fresh venv holding only the site's wheel and a notebook runner.

    uv makes it when it is installed (seconds, its cache shared with earlier runs), pip
    otherwise (a minute or more, torch being large); both install under the constraints.
    """
    wheels = links(BUILD / "index.html", r"\.whl$")
    assert len(wheels) == 1, f"the front page links {len(wheels)} wheels: {wheels}"
    (wheel,) = wheels
    assert wheel.is_file(), f"the front page links {wheel}, which the site does not have"
    where = tmp_path_factory.mktemp("reader") / "venv"
    python = where / "bin" / "python"
    packages = ["-c", str(CONSTRAINTS), str(wheel), "nbclient", "ipykernel"]
    if (uv := _uv()) is not None:  # a venv without pip: nothing but what is installed here
        subprocess.run(
            [uv, "venv", "--quiet", "--python", sys.executable, str(where)],
            check=True,
            env=_clean_env(),
        )
        install = [uv, "pip", "install", "--quiet", "--python", str(python), *_find_links()]
    else:
        venv.EnvBuilder(with_pip=True).create(where)
        install = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*install, *packages], check=True, env=_clean_env())
    return python


INSTALL_LINE = re.compile(r"pip install (slopebook-\S+\.whl)((?: [\w-]+)*) --extra-index-url")


def notebook_needs(notebook: Path) -> tuple[str, ...]:
    """What the install line at the top of a downloaded notebook adds to slopebook's wheel."""
    line = INSTALL_LINE.search(notebook.read_text(encoding="utf-8"))
    assert line, f"{notebook} does not say how to install slopebook"
    return tuple(line[2].split())


@pytest.fixture(scope="session")
def reader_with(reader_python: Path, tmp_path_factory: pytest.TempPathFactory):
    """Python of a venv holding the reader's environment plus the packages a notebook names.

    Layered on the reader's venv (a .pth file adds its site-packages), so torch is not
    installed twice; only the named packages are installed, under the constraints.
    """
    made = {(): reader_python}
    lock = threading.Lock()  # the runs' threads ask for it (the ``runs`` fixture)

    def get(extras: tuple[str, ...]) -> Path:
        with lock:
            return made[extras] if extras in made else make(extras)

    def make(extras: tuple[str, ...]) -> Path:
        where = tmp_path_factory.mktemp("reader-plus") / "venv"
        venv.EnvBuilder(with_pip=True).create(where)  # pip: it sees what the .pth adds
        python = where / "bin" / "python"
        purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        base, own = (
            subprocess.run(
                [str(p), "-c", purelib], capture_output=True, text=True, check=True
            ).stdout.strip()
            for p in (reader_python, python)
        )
        (Path(own) / "reader_base.pth").write_text(base + "\n")
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS), *extras],
            check=True,
            env=_clean_env(),
        )
        made[extras] = python
        return python

    return get


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything pointing into the repository or the build's venv."""
    keep = ("HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_", "UV_", "SSL_CERT", "REQUESTS_CA")
    env = {k: v for k, v in os.environ.items() if k.startswith(keep)}
    env["PATH"] = "/usr/bin:/bin"
    return {**env, **extra}


def test_reader_environment_has_no_repository(reader_python: Path) -> None:
    """slopebook comes from the wheel; neither myst_nb nor the sources are importable."""
    code = (
        "import slopebook, importlib.util as u; print(slopebook.__file__, u.find_spec('myst_nb'))"
    )
    out = subprocess.run(
        [str(reader_python), "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=_clean_env(),
        cwd=reader_python.parent,
    )
    where, myst = out.stdout.split()
    assert "site-packages" in where
    assert str(ROOT) not in where
    assert myst == "None"


RUN_NOTEBOOK = """
import sys, nbformat, nbclient
notebook = nbformat.read(sys.argv[1], as_version=4)
client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                 resources={"metadata": {"path": sys.argv[2]}})
client.execute()
print(sum(1 for c in notebook.cells if c.cell_type == "code"), "code cells ran")
"""


def test_only_appendices_may_need_the_repository() -> None:
    """Every chapter runs from the site alone; a notebook that cannot says what it needs."""
    others = [p for p, nb in NOTEBOOKS if (p, nb) not in STANDALONE]
    assert not [p for p in others if p.startswith("chapters/")], others
    assert len(STANDALONE) >= 8


class Runs:
    """The selected notebooks and demos, run two at a time (the machines have two cores).

    Each run is a process of its own, in an empty folder of its own, started in the order the
    tests come; a test waits for its own run and judges it alone.
    """

    WORKERS = 2

    def __init__(self, reader_python: Path, reader_with, tmp_path_factory) -> None:
        self.reader_python, self.reader_with = reader_python, reader_with
        self.tmp_path_factory = tmp_path_factory
        self.pool = concurrent.futures.ThreadPoolExecutor(self.WORKERS)
        self.started: dict[Path, concurrent.futures.Future] = {}

    def start(self, download: Path) -> None:
        if download not in self.started:
            folder = self.tmp_path_factory.mktemp(download.stem)
            run = self._notebook if download.suffix == ".ipynb" else self._demo
            self.started[download] = self.pool.submit(run, download, folder)

    def result(self, download: Path) -> subprocess.CompletedProcess[str]:
        self.start(download)
        return self.started[download].result()

    def _notebook(self, notebook: Path, folder: Path) -> subprocess.CompletedProcess[str]:
        """In the reader's environment, plus what the notebook's install line names."""
        python = self.reader_with(notebook_needs(notebook))
        return subprocess.run(
            [str(python), "-c", RUN_NOTEBOOK, str(notebook), str(folder)],
            capture_output=True,
            text=True,
            env=_clean_env(),
            cwd=folder,
            check=False,
        )

    def _demo(self, script: Path, folder: Path) -> subprocess.CompletedProcess[str]:
        """As a script, warnings as errors, in the reader's environment."""
        return subprocess.run(
            [str(self.reader_python), "-W", "error", str(script)],
            capture_output=True,
            text=True,
            env=_clean_env(MPLBACKEND="Agg"),
            cwd=folder,
            check=False,
        )


@pytest.fixture(scope="session")
def runs(
    request: pytest.FixtureRequest,
    reader_python: Path,
    reader_with,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Runs]:
    """Starts every download the session's selected tests run, when the first one asks."""
    started = Runs(reader_python, reader_with, tmp_path_factory)
    for item in request.session.items:  # the selected ones, in their order
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.path == Path(__file__) and ("notebook" in params or "script" in params):
            started.start(params.get("notebook", params.get("script")))
    try:
        yield started
    finally:
        started.pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize(("page", "notebook"), STANDALONE, ids=[p for p, _ in STANDALONE])
def test_downloaded_notebook_runs(page: str, notebook: Path, runs: Runs) -> None:
    """Runs top to bottom in the reader's environment, plus what its install line names."""
    out = runs.result(notebook)
    assert out.returncode == 0, f"{page}: {notebook.name} failed:\n{out.stderr[-4000:]}"
    assert "code cells ran" in out.stdout


@pytest.mark.parametrize(("page", "script"), SCRIPTS, ids=[p for p, _ in SCRIPTS])
def test_downloaded_demo_runs(page: str, script: Path, runs: Runs) -> None:
    """Runs as a script with warnings as errors, in the reader's environment."""
    out = runs.result(script)
    assert out.returncode == 0, f"{page}: {script.name} failed:\n{out.stderr[-4000:]}"


def test_install_line_names_the_wheel_the_site_offers() -> None:
    wheel = links(BUILD / "index.html", r"\.whl$")[0].name
    line = f"pip install {wheel} --extra-index-url https://download.pytorch.org/whl/cpu"
    gallery = (BUILD / "auto_examples" / "index.html").read_text(encoding="utf-8")
    assert line in html.unescape(re.sub(r"<[^>]+>", "", gallery))
    for page, notebook in NOTEBOOKS:
        extras = notebook_needs(notebook)
        named = f"pip install {' '.join([wheel, *extras])} --extra-index-url"
        assert named in notebook.read_text(encoding="utf-8"), notebook
        if page.startswith("chapters/"):
            assert extras == (), f"{page}: a chapter needs only slopebook, not {extras}"
