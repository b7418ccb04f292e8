"""slopebook's jobs. ``nox -l`` lists them; ``nox`` runs the default ones.

Every session installs with ``requirements/constraints.txt`` so that torch is the pinned
CPU build and the doc toolchain is a known-good set. Extra arguments after ``--`` are
passed through to the tool a session runs.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.needs_version = ">=2024.10"
nox.options.default_venv_backend = "virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "docs"]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
CONSTRAINTS = ("-c", str(ROOT / "requirements" / "constraints.txt"))
DOCS = ROOT / "docs"
BUILD = DOCS / "_build" / "html"


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
    """Run all tests with pytest: unit, property and doctests (and checks of a built book)."""
    install(session, "test")
    session.run("pytest", *session.posargs)


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
