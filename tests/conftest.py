from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def pytest_sessionstart(session):
    """With a cold Numba cache (a fresh install, CI) a helper compiles the kernels on the
    second core while the tests compile those they meet first (engine/compile_ahead.py)."""
    from scsim.engine import compile_ahead

    compile_ahead.start("all")


@pytest.fixture
def tiny() -> Path:
    return DATA / "tiny.toml"


@pytest.fixture
def json_by_thread_count():
    """Run Python code printing JSON in fresh processes with NUMBA_NUM_THREADS 1 and 2; the
    two parsed outputs (for tests that results do not depend on the thread count)."""
    import json
    import os
    import subprocess
    import sys

    src = Path(__file__).resolve().parents[1] / "src"

    def run(code: str) -> list:
        outs = []
        for threads in ("1", "2"):
            env = {**os.environ, "NUMBA_NUM_THREADS": threads, "PYTHONPATH": str(src)}
            proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                  text=True)
            assert proc.returncode == 0, proc.stderr
            outs.append(json.loads(proc.stdout))
        return outs

    return run


def need(module: str):
    """Import an optional dependency; skip when it is absent here, but fail in CI (CI=true),
    which installs every extra and must run these tests."""
    import importlib
    import os

    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed in CI: .ci/run must install the extras")
        pytest.skip(f"{module} not installed (pip install the scsim extra that provides it)")


# -- runs shared by the analysis tests (written once per session) ------------------------
@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory) -> Path:
    """The tiny scenario, written to a results folder: many wrongful sanctions, two groups."""
    from scsim.sim import Sim

    out = tmp_path_factory.mktemp("runs") / "tiny"
    Sim(DATA / "tiny.toml").run(out=out)
    return out


@pytest.fixture(scope="session")
def pc_run(tmp_path_factory) -> Path:
    """A small points-city run: services with contexts (travel, schools), both lists."""
    from scsim.sim import Sim

    out = tmp_path_factory.mktemp("runs") / "points-city"
    Sim("points-city", individuals=6000, days=150, seed=5).run(out=out)
    return out


@pytest.fixture(scope="session")
def tiny_report(tiny_run) -> Path:
    """`scsim report` of the tiny run (written once)."""
    from scsim.cli import main

    assert main(["report", str(tiny_run)]) == 0
    return tiny_run / "report.html"


@pytest.fixture(scope="session")
def tiny_compare_page(tiny_run, tmp_path_factory) -> Path:
    """`scsim compare` of the tiny run with itself, with its HTML page (written once)."""
    from scsim.cli import main

    out = tmp_path_factory.mktemp("compare") / "cmp.html"
    assert main(["compare", str(tiny_run), str(tiny_run), "--labels", "a,b", "--html",
                 str(out), "--json"]) == 0
    return out
