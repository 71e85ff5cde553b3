"""`scsim report` and `scsim compare` on sweep folders: every number shown is recomputed here
from the sweep's own tables."""

from __future__ import annotations

import json
import math
import re
from html import unescape
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from conftest import DATA
from scsim.analysis.format import fmt_value
from scsim.cli import main
from scsim.sweep import make_plan, run_sweep

T975_DF2 = 4.302652729911275  # Student t, 97.5 %, 2 degrees of freedom (3 replicates)
CELL = re.compile(r'<td class="num" data-point="(\d+)" data-outcome="([^"]+)" '
                  r'data-mean="([^"]*)" data-lo="([^"]*)" data-hi="([^"]*)">([^<]*)</td>')


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweeprep") / "sweep"
    plan = make_plan(DATA / "tiny.toml", sets=["sources.cam.misattribution=0.01,0.1"],
                     replicates=3, days=20, seed=7)
    assert run_sweep(plan, out, workers=1).complete
    return out


@pytest.fixture(scope="module")
def tables(sweep) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(sweep / "sweep.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"select * from {t}").df()
                for t in ("experiments", "outcomes", "daily")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def page(sweep) -> str:
    assert main(["report", str(sweep)]) == 0
    return (sweep / "report.html").read_text("utf-8")


def _charts(text: str) -> dict:
    raw = re.search(r'<script type="application/json" id="scsim-charts">(.*?)</script>', text,
                    re.S).group(1)
    return json.loads(raw.replace("<\\/", "</"))


def _band(values: pd.Series) -> tuple[float, float, float]:
    v = values.astype(float).to_numpy()
    assert len(v) == 3
    m = v.mean()
    half = T975_DF2 * v.std(ddof=1) / math.sqrt(3)
    return m, m - half, m + half


def test_sweep_report_is_self_contained(page):
    assert page.startswith("<!doctype html>")
    assert "<script src" not in page and "<link" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    for section in ("design", "outcomes", "daily"):
        assert f'id="{section}"' in page


def test_design_table_lists_every_point_with_its_seeds(page, tables):
    ex = tables["experiments"]
    for p, g in ex.groupby("point"):
        row = re.search(rf'<tr data-point="{p}">(.*?)</tr>', page, re.S).group(1)
        mis = g["misattribution"].iloc[0]
        assert f">{mis:g}<" in row and ">3<" in row
        for seed in g["seed"]:
            assert str(seed) in row
    assert "sources.cam.misattribution" in page


def test_every_outcome_number_equals_its_recomputation(page, tables):
    df = tables["outcomes"].merge(tables["experiments"][["run_id", "point"]], on="run_id")
    cells = CELL.findall(page)
    outcomes = [c for c in tables["outcomes"].columns if c != "run_id"]
    assert {(int(p), o) for p, o, *_ in cells} == {(p, o) for p in (0, 1) for o in outcomes}
    for p, o, mean, lo, hi, shown in cells:
        m, want_lo, want_hi = _band(df.loc[df["point"] == int(p), o])
        assert float(mean) == pytest.approx(m, rel=1e-9, abs=1e-9)
        if math.isnan(want_lo):
            assert lo == "" and unescape(shown) == fmt_value(m, "num")
            continue
        assert float(lo) == pytest.approx(want_lo, rel=1e-6, abs=1e-9)
        assert float(hi) == pytest.approx(want_hi, rel=1e-6, abs=1e-9)
        want = f"{fmt_value(m, 'num')} [{fmt_value(want_lo, 'num')}, {fmt_value(want_hi, 'num')}]"
        assert unescape(shown) == want


def test_daily_band_charts_equal_the_daily_table(page, tables):
    charts = _charts(page)
    df = tables["daily"].merge(tables["experiments"][["run_id", "point"]], on="run_id")
    for col in ("blacklisted", "denials", "denials_wrongful"):
        spec = charts[f"sweep.{col}.0"]
        assert f'data-chart="sweep.{col}.0"' in page
        assert spec["x"] == list(range(20)) and len(spec["series"]) == 2
        for p, s in enumerate(spec["series"]):
            assert s["name"].startswith(f"point {p} ")
            g = df[df["point"] == p]
            for day in (0, 9, 19):
                m, lo, hi = _band(g.loc[g["day"] == day, col])
                assert s["values"][day] == pytest.approx(m, abs=1e-9)
                if np.isnan(lo):
                    assert s["lo"][day] is None
                else:
                    assert s["lo"][day] == pytest.approx(lo, rel=1e-6, abs=1e-9)
                    assert s["hi"][day] == pytest.approx(hi, rel=1e-6, abs=1e-9)


def test_compare_sweep_with_itself_shows_no_difference(sweep, tmp_path, capsys):
    html_out = tmp_path / "cmp.html"
    assert main(["compare", str(sweep), str(sweep), "--labels", "a,b", "--json",
                 "--html", str(html_out)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["points"] for r in data["points"]] == [[0, 0], [1, 1]]
    assert data["unmatched"] == []
    for r in data["points"]:
        for o in r["outcomes"]:
            assert o["n"] == [3, 3] and o["values"][0] == o["values"][1]
            assert o["difference"] == 0
    text = html_out.read_text("utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)
    assert "misattribution=0.01" in text and "misattribution=0.1" in text
    assert main(["compare", str(sweep), str(sweep)]) == 0
    out = capsys.readouterr().out
    assert "== misattribution=0.01 (point 0 / point 0)" in out and "sanctions_wrongful" in out


def test_compare_differences_are_welch(sweep, tables, tmp_path, capsys):
    other = tmp_path / "other"
    plan = make_plan(DATA / "tiny.toml", sets=["sources.cam.misattribution=0.1,0.01"],
                     replicates=3, days=20, seed=8)
    assert run_sweep(plan, other, workers=1).complete
    assert main(["compare", str(sweep), str(other), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    con = duckdb.connect(str(other / "sweep.duckdb"), read_only=True)
    ob = con.execute("select * from outcomes join experiments using (run_id)").df()
    con.close()
    oa = tables["outcomes"].merge(tables["experiments"], on="run_id")
    for r in data["points"]:
        assert r["points"][1] == 1 - r["points"][0]  # levels in the other order
        o = next(o for o in r["outcomes"] if o["outcome"] == "acts_wrongful")
        a = oa.loc[oa["misattribution"] == r["factors"]["misattribution"], "acts_wrongful"]
        b = ob.loc[ob["misattribution"] == r["factors"]["misattribution"], "acts_wrongful"]
        assert o["difference"] == pytest.approx(b.mean() - a.mean())
        va, vb = a.var(ddof=1) / 3, b.var(ddof=1) / 3
        if va + vb > 0:
            df = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 2)
            from scsim.analysis.stats import t975

            assert o["difference_ci95"] == pytest.approx(t975(df) * math.sqrt(va + vb))


def test_compare_sweep_with_a_run(sweep, tmp_path, capsys):
    from scsim.sim import Sim

    run = tmp_path / "run"
    Sim(DATA / "tiny.toml", days=20, seed=3).run(out=run)
    assert main(["compare", str(sweep), str(run), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    summary = json.loads((run / "summary.json").read_text("utf-8"))
    for r in data["points"]:
        o = next(o for o in r["outcomes"] if o["outcome"] == "sanctions_wrongful_denials")
        assert o["n"] == [3, 1] and o["values"][1] == summary["sanctions"]["wrongful_denials"]


@pytest.mark.parametrize("command", [["report"], ["compare", "SWEEP"]])
def test_a_folder_that_is_neither_exits_2(command, sweep, tmp_path, capsys):
    argv = [c if c != "SWEEP" else str(sweep) for c in command] + [str(tmp_path)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert str(tmp_path) in err and "not a scsim results folder nor a sweep folder" in err
