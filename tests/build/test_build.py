"""The book build can be trusted: tests of docs/_ext/slopebook_build.py on a fixture book.

Each test builds tests/fixtures/minibook (two executed chapters, one gallery demo, a
stand-in package ``minipkg``) in a temporary copy with the same flags as ``nox -s docs``.
Every executed cell and the demo append their name to a run log, so a test sees exactly what
ran. One cold build is shared: tests copy it and build again incrementally, or build the
fixture again at the path it was built at. The tests that build run two at a time
(``building``), each on its own copy.
"""

from __future__ import annotations

import concurrent.futures
import functools
import inspect
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "build" / "fixtures" / "minibook"
EXT = ROOT / "docs" / "_ext"

pytestmark = pytest.mark.slow


class Book:
    """A temporary copy of the fixture book and its run log."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = path  # where it was built
        self.runlog = path / "runlog.txt"

    def build(self, **env: str) -> subprocess.CompletedProcess[str]:
        """sphinx-build -W -n --keep-going, as ``nox -s docs``; returns the finished process."""
        run_env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [str(self.path), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
            ),
            "MINIBOOK_RUNLOG": str(self.runlog),
            **env,
        }
        run_env.pop("PYTHONWARNINGS", None)
        run_env.pop("MPLBACKEND", None)  # the kernel must pick its inline backend
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-W",
                "-n",
                "--keep-going",
                "-q",
                str(self.path),
                str(self.path / "_build" / "html"),
            ],
            env=run_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def ran(self) -> list[str]:
        """What executed since the last call (and forget it)."""
        if not self.runlog.exists():
            return []
        names = self.runlog.read_text().split()
        self.runlog.unlink()
        return sorted(names)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.path / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new))

    def html(self, name: str) -> str:
        """The text of a built page, tags removed."""
        return re.sub(r"<[^>]+>", "", (self.path / "_build" / "html" / name).read_text())


def _copy(src: Path, dst: Path) -> Book:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "runlog.txt"))
    if not (dst / "_ext").exists():
        shutil.copytree(EXT, dst / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    return Book(dst)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Book:
    """The fixture book after one clean build (which must succeed and run everything).

    Built at ``built.where``, then moved aside, so that a second clean build can be made at
    the same path (test_two_clean_builds_are_identical); the other tests copy it.
    """
    where = tmp_path_factory.mktemp("cold") / "minibook"
    book = _copy(FIXTURE, where)
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert book.ran() == ["chapter", "demo", "other"]
    book = Book(Path(shutil.move(where, tmp_path_factory.mktemp("built") / "minibook")))
    book.where = where
    return book


#: The tests that build, by name: each gets ``book``, a private copy of the built book (its
#: caches and all) to change and build again, or ``built`` itself to read.
BUILDING: dict[str, Callable[..., None]] = {}


def building(body: Callable[..., None]) -> Callable[..., None]:
    """A test that builds: run in a pool of two, each on its own copy of the built book.

    Builds are processes (sphinx-build, its kernels, its demo workers) and the machines have
    two cores, so the pool starts the selected tests two at a time as soon as the first one
    is reached; each test then waits for its own and fails with its own assertion.
    """
    BUILDING[body.__name__] = body

    def test(started: Started) -> None:
        started.result(body.__name__)

    test.__name__, test.__qualname__, test.__doc__ = body.__name__, body.__qualname__, body.__doc__
    return test


class Started:
    """The pool of two that runs the tests marked ``building``."""

    def __init__(self, built: Book, tmp_path_factory: pytest.TempPathFactory) -> None:
        self.built, self.tmp_path_factory = built, tmp_path_factory
        self.pool = concurrent.futures.ThreadPoolExecutor(2)
        self.futures: dict[str, concurrent.futures.Future[None]] = {}

    def start(self, name: str) -> None:
        if name not in self.futures:
            private = self.tmp_path_factory.mktemp(name.removeprefix("test_")[:30])
            self.futures[name] = self.pool.submit(self._run, BUILDING[name], private)

    def result(self, name: str) -> None:
        self.start(name)
        self.futures[name].result()  # raises what the test raised

    def _run(self, body: Callable[..., None], private: Path) -> None:
        wants = inspect.signature(body).parameters
        given = {"built": self.built}
        if "book" in wants:
            given["book"] = _copy(self.built.path, private / "minibook")
        body(**{name: given[name] for name in wants})


@pytest.fixture(scope="module")
def started(
    request: pytest.FixtureRequest, built: Book, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Started]:
    """The tests marked ``building`` that this run selected, started when the first is reached."""
    pool = Started(built, tmp_path_factory)
    for item in request.session.items:  # the selected ones, in their order
        if item.path == Path(__file__) and item.name in BUILDING:
            pool.start(item.name)
    try:
        yield pool
    finally:
        pool.pool.shutdown(cancel_futures=True)


def _fails_naming(result: subprocess.CompletedProcess[str], filename: str, words: str) -> None:
    assert result.returncode != 0, f"the build should have failed:\n{result.stderr}"
    lines = [line for line in result.stderr.splitlines() if filename in line]
    assert lines, f"no message names {filename}:\n{result.stderr}"
    assert any(words in line for line in result.stderr.splitlines()), result.stderr


# -- nothing stale, nothing re-run for nothing ----------------------------------------------
def test_clean_build_records_every_run(built: Book) -> None:
    report = built.html("report.html")  # myst-nb's {nb-exec-table}
    assert re.findall(r"^(chapter|other)$", report, re.MULTILINE) == ["chapter", "other"]
    assert report.count("✅") == 2, report
    assert "❌" not in report
    assert "The slope at three is 6.0" in built.html("chapter.html")
    assert re.search(
        r"Total running time of the script: \(0 minutes [\d.]+ seconds\)",
        built.html("auto_examples/plot_demo.html"),
    )


@building
def test_unchanged_tree_reexecutes_nothing(book: Book) -> None:
    for _ in range(2):  # the first build at the new path re-reads pages, from the cache
        result = book.build()
        assert result.returncode == 0, result.stderr
        assert book.ran() == []


@building
def test_package_edit_reexecutes_every_page_and_demo(book: Book) -> None:
    book.edit("minipkg/__init__.py", "SLOPE = 6.0", "SLOPE = 7.0")
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert book.ran() == ["chapter", "demo", "other"]
    assert "The slope at three is 7.0" in book.html("chapter.html")
    assert "7.0" in book.html("auto_examples/plot_demo.html")
    # and the new state is cached: the next build runs nothing
    assert book.build().returncode == 0
    assert book.ran() == []


@building
def test_chapter_edit_reruns_only_that_chapter(book: Book) -> None:
    book.edit("other.md", "print(minipkg.SLOPE)", "print(2 * minipkg.SLOPE)")
    result = book.build()
    assert result.returncode == 0, result.stderr
    assert book.ran() == ["other"]


# -- failure is caught, and the message names the file ---------------------------------------
@building
def test_failing_cell_fails_the_build(book: Book) -> None:
    book.edit("other.md", "print(minipkg.SLOPE)", "print(minipkg.SLOPE / 0)")
    _fails_naming(book.build(), "other.md", "ZeroDivisionError")


@building
def test_gallery_script_that_raises_fails_the_build(book: Book) -> None:
    book.edit(
        "gallery/plot_demo.py", "print(minipkg.slope_at_three())", "raise RuntimeError('boom')"
    )
    _fails_naming(book.build(), "plot_demo.py", "RuntimeError")


@building
def test_glue_key_the_code_no_longer_produces_fails(book: Book) -> None:
    book.edit("chapter.md", 'glue("slope",', 'glue("slope_renamed",')
    _fails_naming(book.build(), "chapter.md", "slope")


@building
def test_broken_cross_reference_fails(book: Book) -> None:
    book.edit("chapter.md", "<sec-other>", "<sec-nowhere>")
    _fails_naming(book.build(), "chapter.md", "sec-nowhere")


@building
def test_warning_in_a_cell_fails(book: Book) -> None:
    book.edit(
        "other.md",
        "print(minipkg.SLOPE)",
        "import warnings\nwarnings.warn('careful', UserWarning)\nprint(minipkg.SLOPE)",
    )
    _fails_naming(book.build(), "other.md", "UserWarning: careful")


@building
def test_library_deprecation_in_a_cell_fails(book: Book) -> None:
    # Python hides a DeprecationWarning raised inside a library; the kernel shows it.
    book.edit(
        "minipkg/__init__.py",
        "    return SLOPE",
        "    import warnings\n\n    warnings.warn('old', DeprecationWarning)\n    return SLOPE",
    )
    result = book.build()
    _fails_naming(result, "chapter.md", "DeprecationWarning: old")
    _fails_naming(result, "plot_demo.py", "DeprecationWarning: old")


@building
def test_page_with_code_that_did_not_run_fails(book: Book) -> None:
    result = book.build(MINIBOOK_EXCLUDE="*other.md")
    _fails_naming(result, "other.md", "no execution record")
    report = book.html("report.html")
    assert re.findall(r"^(chapter|other)$", report, re.MULTILINE) == ["chapter"]


@building
def test_failure_is_reported_again_by_the_next_build(book: Book) -> None:
    book.edit(
        "other.md",
        "print(minipkg.SLOPE)",
        "import sys\nprint('oops', file=sys.stderr)",
    )
    _fails_naming(book.build(), "other.md", "stderr")
    # an incremental build must not forget the problem
    _fails_naming(book.build(), "other.md", "stderr")


# -- reproducible ---------------------------------------------------------------------------
@functools.cache
def _noxfile():  # loaded once: each load registers the sessions again
    import importlib.util

    spec = importlib.util.spec_from_file_location("noxfile", ROOT / "noxfile.py")
    noxfile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(noxfile)
    return noxfile


def _output(book: Book) -> dict[str, bytes]:
    """The built HTML tree, normalised by the same rule as ``nox -s repro``."""
    return _noxfile()._normalised_tree(book.path / "_build" / "html")


@building
def test_two_clean_builds_are_identical(built: Book) -> None:
    """The module's clean build and one more at the same path give the same files."""
    book = _copy(FIXTURE, built.where)
    try:
        result = book.build()
        assert result.returncode == 0, result.stderr
        outputs = [_output(built), _output(book)]
    finally:
        shutil.rmtree(book.path)
    first, second = outputs
    images = [name for name in first if name.startswith("_images/")]
    assert any("sphx_glr" in name for name in images), "the demo's figure is missing"
    assert any("sphx_glr" not in name for name in images), "the chapter's figure is missing"
    assert any(name.endswith(".zip") for name in first), "the fixture should have downloads"
    assert "_sources/other.ipynb" in first, "the chapter's notebook download is missing"
    assert b"TIME" in first["other.html"], "the timing cell's output should be blanked"
    differ = sorted(k for k in first.keys() | second.keys() if first.get(k) != second.get(k))
    assert not differ, f"differ between two clean builds: {differ}"


def _extension(name: str = "slopebook_build"):  # an extension module, from docs/_ext
    import importlib.util

    if str(EXT) not in sys.path:
        sys.path.insert(0, str(EXT))  # the extensions import one another

    spec = importlib.util.spec_from_file_location(name, EXT / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_animation_ids_are_stable_and_idempotent() -> None:
    ext = _extension("slopebook_html")
    first = '<img id="_anim_img{0}"><input id="_anim_slider{0}"> anim{0}.set_frame(0)'
    a = ext.stable_animation_ids(first.format("0eceeae114b84ccc8655f5e3834dd475"), "demo")
    b = ext.stable_animation_ids(first.format("9d082366704b4faca7b0e36977c8aa28"), "demo")
    assert a == b
    assert "0eceeae114b84ccc8655f5e3834dd475" not in a
    assert ext.stable_animation_ids(a, "demo") == a


def test_demos_run_in_worker_processes_only_when_some_demo_will_run(tmp_path) -> None:
    from types import SimpleNamespace

    from sphinx_gallery.utils import get_md5sum

    ext = _extension("slopebook_build")
    (tmp_path / "gallery").mkdir()
    (tmp_path / "auto").mkdir()
    demo = tmp_path / "gallery" / "plot_a.py"
    demo.write_text("print(1)\n")
    conf = {"examples_dirs": [str(tmp_path / "gallery")], "gallery_dirs": ["auto"]}
    app = SimpleNamespace(
        srcdir=tmp_path,
        config=SimpleNamespace(
            sphinx_gallery_conf=conf,
            slopebook_package_hash="h" * 16,
            nb_execution_cache_path=str(tmp_path / "cache" / ("h" * 16)),
        ),
    )

    def parallel_after_check() -> object:
        conf["parallel"] = 2
        ext._rerun_stale_demos(app)
        return conf["parallel"]

    assert ext.stale_demos(app) == [demo]  # never ran
    assert parallel_after_check() == 2
    (tmp_path / "auto" / "plot_a.py.md5").write_text(get_md5sum(demo, mode="t"))
    assert ext.stale_demos(app) == []
    assert parallel_after_check() is False  # nothing to run: no workers to start
    demo.write_text("print(2)\n")
    assert ext.stale_demos(app) == [demo]
    assert parallel_after_check() == 2
    conf["run_stale_examples"] = True  # the package changed: every demo runs
    (tmp_path / "auto" / "plot_a.py.md5").write_text(get_md5sum(demo, mode="t"))
    assert parallel_after_check() == 2


def test_a_finished_build_leaves_its_objects_out_of_the_shutdown_collection() -> None:
    import gc

    ext = _extension("slopebook_build")
    gc.unfreeze()
    try:
        ext.freeze_for_exit(None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


SLOW_SERVER = """
import socket, sys, time
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])  # the socket file exists from here ...
time.sleep(0.5)
server.listen(1)  # ... but connections are accepted only from here
server.settimeout(5)
conn, _ = server.accept()
conn.recv(1)
"""


def _reap(process: subprocess.Popen) -> None:
    process.kill()
    process.communicate()  # waits, and closes its pipes


def test_katex_server_is_reached_even_if_it_listens_late(tmp_path) -> None:
    pristine = _pristine_katex()
    KaTeXServer = pristine.KaTeXServer
    # The fix is applied to exactly the versions this test has shown to need it.
    assert pristine.__version__ in _extension().KATEX_PATCHED_VERSIONS

    script = tmp_path / "slow_server.py"
    script.write_text(SLOW_SERVER)

    class SlowServer(KaTeXServer):
        @classmethod
        def build_command(cls, socket=None, port=None):
            return [sys.executable, str(script), str(socket)]

    # The library as shipped connects once, as soon as the file appears: refused.
    (tmp_path / "a").mkdir()
    with pytest.raises(ConnectionRefusedError) as refused:
        SlowServer.start_server_process(tmp_path / "a", 5.0)
    tb = refused.tb
    while tb.tb_next is not None:  # the library's frame, which still holds what it opened
        tb = tb.tb_next
    tb.tb_frame.f_locals["sock"].close()
    _reap(tb.tb_frame.f_locals["process"])
    (tmp_path / "b").mkdir()
    process, sock = _extension().start_katex_server(SlowServer, tmp_path / "b", 5.0)
    try:
        sock.sendall(b"x")  # connected: the server reads it and exits
        assert process.wait(timeout=5) == 0
    finally:
        sock.close()
        _reap(process)


def _pristine_katex():
    """A fresh copy of sphinxcontrib.katex, whatever a build in this process may have patched."""
    import importlib.util

    import sphinxcontrib.katex

    spec = importlib.util.spec_from_file_location("pristine_katex", sphinxcontrib.katex.__file__)
    pristine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pristine)
    return pristine


def _render_in_child(katex, first: int, answers) -> None:
    """In a forked child, as Sphinx's parallel writer: which server, and 200 numbers rendered.

    Reports the server's pid and the numbers that did not come back (or the error raised).
    """
    pid = wrong = None
    try:
        pid = katex.KaTeXServer.get().process.pid
        wrong = [n for n in range(first, first + 200) if str(n) not in katex.render_latex(str(n))]
    except Exception as error:  # noqa: BLE001 - reported to the parent, which fails the test
        wrong = repr(error)
    answers.put((wrong, pid))


def _children_render(katex, count: int = 2) -> list[tuple[object, int | None]]:
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    answers = fork.Queue()
    children = [
        fork.Process(target=_render_in_child, args=(katex, k * 1000, answers))
        for k in range(1, count + 1)
    ]
    for child in children:
        child.start()
    got = [answers.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
    return got


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_katex_server_is_per_process_and_stopped_with_it() -> None:
    import signal

    pristine = _pristine_katex()
    assert pristine.__version__ in _extension().KATEX_PATCHED_VERSIONS
    # Only the other fix (a busy machine would make the library's own first connect fail).
    pristine.KaTeXServer.start_server_process = classmethod(_extension().start_katex_server)

    # The library as shipped: a forked child that starts a server leaves it running ...
    [(wrong, orphan)] = _children_render(pristine, 1)
    assert wrong == [], wrong
    try:
        assert _running(orphan), "the library stops a child's server now"
    finally:
        if _running(orphan):
            os.kill(orphan, signal.SIGKILL)
    # ... and children forked after the parent started one share its connection.
    parent = pristine.KaTeXServer.get()
    try:
        shared = _children_render(pristine)
    finally:
        _stop(pristine, parent)
    # (Reading one socket, they take parts of each other's answers; whether a render then
    # fails, with a decoding error or a timeout, depends on timing: only the sharing is checked.)
    assert [pid for _, pid in shared] == [parent.process.pid] * 2, shared

    patched = _pristine_katex()
    _extension().patch_katex(patched)
    parent = patched.KaTeXServer.get()
    try:
        got = _children_render(patched)
        assert [wrong for wrong, _ in got] == [[], []], got  # every formula came back whole
        pids = {pid for _, pid in got}
        assert len(pids) == 2, got  # one server each ...
        assert parent.process.pid not in pids, got  # ... of its own
        assert not [pid for pid in pids if _running(pid)], "a child's server outlived it"
        assert parent.render({"latex": "x", "katex_options": {}}, 5)["html"]  # still ours
    finally:
        _stop(patched, parent)


def _stop(katex, server) -> None:
    import atexit

    server.terminate()
    atexit.unregister(katex.KaTeXServer.terminate)  # it has run (a second run would raise)
    server.process.stdin.close()
    server.process.stdout.close()
