from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def tiny() -> Path:
    return DATA / "tiny.toml"


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
