"""``import slopebook`` is light: numpy only, submodules on first use (PEP 562)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import slopebook as sb

SRC = Path(sb.__file__).parent


def _modules_after(code: str) -> set[str]:
    """The top-level packages loaded in a fresh interpreter after running ``code``."""
    probe = (
        f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return set(out.stdout.split())


def test_import_loads_neither_torch_nor_matplotlib():
    loaded = _modules_after("import slopebook")
    assert "numpy" in loaded
    assert "torch" not in loaded
    assert "matplotlib" not in loaded


def test_numpy_routines_need_neither_torch_nor_matplotlib():
    code = (
        "import numpy as np, slopebook as sb\n"
        "assert abs(sb.derivative(np.sin, 1.0) - np.cos(1.0)) < 1e-9\n"
        "sb.gradient(sb.landscapes.rosenbrock, np.zeros(3))\n"
        "sb.hessian_estimate(sb.landscapes.bowl, [1.0, 2.0])\n"
        "sb.activations.relu(np.ones(2)); sb.rules.RULES['chain'].f(1.0)\n"
        "w = sb.layers.init_flat_mlp((1, 4, 1), seed=0)\n"
        "assert sb.layers.flat_mlp(w, np.zeros((3, 1)), (1, 4, 1)).shape == (3, 1)"
    )
    loaded = _modules_after(code)
    assert "torch" not in loaded
    assert "matplotlib" not in loaded


def test_a_submodule_loads_on_first_use_and_stays_loaded():
    """In this process (importing torch again in a fresh one would cost seconds)."""
    autodiff, plotting = sb.autodiff, sb.plotting
    assert autodiff is sys.modules["slopebook.autodiff"]
    assert plotting is sys.modules["slopebook.plotting"]
    assert "torch" in sys.modules
    assert "matplotlib" in sys.modules
    assert vars(sb)["autodiff"] is autodiff  # an attribute now: __getattr__ is not asked again


def test_dir_and_all_agree_and_every_name_resolves():
    assert dir(sb) == sorted(sb.__all__)
    assert len(set(sb.__all__)) == len(sb.__all__)
    for name in sb.__all__:
        assert getattr(sb, name) is not None, name


def test_every_public_submodule_is_listed():
    """A module in src/slopebook without a leading underscore is public: in ``__all__``,
    and either imported by ``__init__`` (numpy-only) or loaded lazily on first use."""
    on_disk = {
        p.stem if p.is_file() else p.name
        for p in SRC.iterdir()
        if not p.name.startswith("_") and (p.suffix == ".py" or (p / "__init__.py").exists())
    }
    eager = {"counting", "curvature", "estimate", "finite", "numerical_warnings"}
    assert set(sb.__all__) >= sb._SUBMODULES
    assert on_disk == sb._SUBMODULES | eager
    init = ast.parse((SRC / "__init__.py").read_text())
    typed = {
        alias.name
        for node in ast.walk(init)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for stmt in node.body
        if isinstance(stmt, ast.ImportFrom)
        for alias in stmt.names
    }
    assert typed == sb._SUBMODULES


def test_from_import_of_a_lazy_submodule_works():
    from slopebook import landscapes, plotting

    assert landscapes.bowl([3.0, 4.0]) == 25.0
    assert callable(plotting.use_style)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        _ = sb.nonexistent


def test_nothing_in_the_package_imports_scipy_or_numdifftools():
    """Those are benchmark dependencies (benchmarks/), never runtime ones."""
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            bad = [n for n in names if n.split(".")[0] in {"scipy", "numdifftools"}]
            offenders += [f"{path.relative_to(SRC)}:{node.lineno} {n}" for n in bad]
    assert offenders == []
