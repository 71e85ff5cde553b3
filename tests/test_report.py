"""`scsim report DIR`: one self-contained HTML file whose figures are their SQL."""

from __future__ import annotations

import json
import math
import re
from html import unescape

import duckdb
import pytest

from scsim.analysis.headline import HEADLINES
from scsim.cli import main
from scsim.results import Results

ROW = re.compile(r'<tr data-figure="([^"]+)" data-value="([^"]*)">.*?<pre>(.*?)</pre>', re.S)
CARD = re.compile(r'<div class="card[^"]*" data-figure="([^"]+)" data-value="([^"]*)">')


@pytest.fixture(scope="module")
def report(tiny_report):
    return tiny_report.read_text("utf-8")


def test_report_is_self_contained(report):
    assert report.startswith("<!doctype html>")
    assert "<script src" not in report and "<link" not in report
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", report)
    assert "@import" not in report and "url(" not in report
    charts = json.loads(re.search(r'<script type="application/json" id="scsim-charts">(.*?)'
                                  r"</script>", report, re.S).group(1).replace("<\\/", "</"))
    keys = re.findall(r'<figure class="chart" data-chart="([^"]+)"', report)
    assert len(keys) >= 15 and set(keys) == set(charts)
    for section in ("headline", "m-wrongful", "m-disparity", "m-punished", "m-access",
                    "m-due_process", "m-restoration", "audit", "scenario"):
        assert f'id="{section}"' in report
    assert "not in this run" in report  # chilling and spill-over: no such columns here


def test_every_figure_in_the_report_equals_its_sql(report, tiny_run):
    rows = ROW.findall(report)
    assert len(rows) > 25
    sql_of = {}
    con = duckdb.connect(str(tiny_run / "results.duckdb"), read_only=True)
    try:
        for key, shown, sql in rows:
            sql = unescape(sql)
            sql_of[key] = sql
            value = con.execute(sql).fetchone()[0]
            if shown == "":
                assert value is None, key
            else:
                assert math.isclose(float(shown), float(value), rel_tol=1e-12), key
    finally:
        con.close()
    cards = CARD.findall(report)
    assert [k for k, _ in cards] == [k for k, _, _ in HEADLINES]
    for key, shown in cards:
        assert key in sql_of  # every headline figure has its SQL in the report
        assert shown == dict((k, v) for k, v, _ in rows)[key]


def test_headline_figures_recomputed_independently(report, tiny_run):
    """The headline numbers, recomputed here from the tables without the report's SQL."""
    cards = dict(CARD.findall(report))
    res = Results.load(tiny_run)
    d = res.to_df("daily")
    assert float(cards["wrongful.one_in_n"]) == pytest.approx(
        d["sanctions"].sum() / d["sanctions_wrongful"].sum(), rel=1e-12)
    g = res.to_df("daily_by_group")
    ind = g[g["kind"] == "individual"].groupby("group")[["sanctions", "requests"]].sum()
    rate = ind["sanctions"] / ind["requests"]
    assert float(cards["disparity.max_ratio"]) == pytest.approx(rate.max() / rate.min())
    c = res.to_df("daily_by_conduct")
    lost = -c.loc[c["points"] < 0].groupby("category")["points"].sum()
    assert float(cards["punished.harmless_share"]) == pytest.approx(
        lost.reindex(["civic", "political", "religious", "health"]).fillna(0).sum() / lost.sum())
    assert float(cards["access.travel_denials"]) == 0  # tiny's services name no context
    ev = res.to_df("list_events")
    wrong_exits = ev[(ev["event"] == "exit") & ev["wrongful"]]
    assert len(wrong_exits) > 0
    assert float(cards["due_process.uncorrected_share"]) == pytest.approx(
        (wrong_exits["reason"] != "appeal").mean())
    assert 0 < float(cards["restoration.median_days"]) < ev["days_listed"].max()
    one_in = f"1 in {d['sanctions'].sum() / d['sanctions_wrongful'].sum():,.0f}"
    assert f'<div class="big">{one_in}</div>' in report


def test_report_shows_scenario_and_audit(report):
    assert "Scenario parameters" in report and "scenario.toml (resolved" in report
    assert 'data-severity="high"' in report and "scoring.points.worship" in report


def test_report_errors(tmp_path, tiny_run, capsys):
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "not a scsim results folder" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()
    assert main(["report", str(tiny_run), "--out", str(tmp_path / "no" / "r.html")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", str(tiny_run), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_report_from_memory(tiny, tmp_path):
    from scsim.sim import Sim

    res = Sim(tiny, days=20, individuals=1000).run()
    path = res.report(tmp_path / "mem.html")  # --out: the same writer, another path
    assert "scsim report: tiny" in path.read_text("utf-8")
