"""Every gallery demo runs on its own, as a reader who downloaded it would run it.

Each ``gallery/**/plot_*.py`` is run in a fresh interpreter, headless (``MPLBACKEND=Agg``),
from an empty temporary directory (so it cannot lean on files next to it or on the
repository being the working directory), with warnings turned into errors. Only
slopebook and its dependencies are importable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import slopebook

ROOT = Path(__file__).resolve().parents[2]
DEMOS = sorted((ROOT / "gallery").glob("**/plot_*.py"))
# Where slopebook is imported from, so the subprocess sees the same package as the tests.
PACKAGE_PARENT = str(Path(slopebook.__file__).resolve().parents[1])


@pytest.mark.parametrize("demo", DEMOS, ids=[f"{p.parent.name}/{p.name}" for p in DEMOS])
def test_demo_runs_standalone(demo, tmp_path):
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "PYTHONPATH": PACKAGE_PARENT,
        "MPLCONFIGDIR": str(tmp_path / "mpl"),
    }
    proc = subprocess.run(
        [sys.executable, "-W", "error", str(demo)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{demo.name} failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stdout.strip(), f"{demo.name} printed nothing: every demo shows its numbers"
    written = [p.name for p in tmp_path.iterdir() if p.name != "mpl"]
    assert not written, f"{demo.name} wrote {written} into the working directory"
