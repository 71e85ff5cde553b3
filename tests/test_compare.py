"""`scsim compare`: the same metrics side by side, differences, replicate intervals."""

from __future__ import annotations

import json
import math
import re
from html import unescape

import pytest

from scsim.analysis.compare import compare
from scsim.analysis.stats import diff_ci, mean_ci, t975
from scsim.cli import main
from scsim.sim import Sim


def test_a_run_compared_with_itself_shows_zero_differences(tiny_run):
    cmp = compare([tiny_run, tiny_run], labels=["a", "b"])
    try:
        assert len(cmp.rows) > 25
        for r in cmp.rows:
            assert r.means[0] == r.means[1]
            if r.means[0] is None:
                assert r.diffs[1] is None
            else:
                assert r.diffs[1] == 0, r.key
        assert cmp.to_text().splitlines()[0].split()[:3] == ["figure", "a", "b"]
        data = json.loads(cmp.to_json())
        assert all(d in (0, None) for f in data["figures"] for d in f["differences"][1:])
    finally:
        cmp.close()


def test_two_designs_differ_where_they_should(tiny_run, tiny, tmp_path):
    """Switching worship scoring off removes religious deductions and nothing else upstream."""
    base, other = tmp_path / "base", tmp_path / "no-worship"
    Sim(tiny, days=40, individuals=1500).run(out=base)
    Sim(tiny, days=40, individuals=1500, sets=["scoring.points.worship=0"]).run(out=other)
    cmp = compare([base, other])
    try:
        assert [a.label for a in cmp.arms] == ["base", "no-worship"]  # same scenario: folders
        share = cmp.row("punished.political_religious_share")
        assert share.means[0] > 0 and share.means[1] == 0
        assert share.diffs[1] == -share.means[0]
        acts = cmp.row("wrongful.records_wrongful")  # same seed, same acts and records
        assert acts.diffs[1] == 0
    finally:
        cmp.close()


def test_replicates_give_confidence_intervals(tiny, tmp_path):
    for arm, rate in (("base", "0.05"), ("more", "0.15")):
        for seed in (1, 2):
            Sim(tiny, days=20, seed=seed, individuals=10_000,
                sets=[f"sources.cam.misattribution={rate}"]).run(out=tmp_path / arm / f"s{seed}")
    cmp = compare([tmp_path / "base", tmp_path / "more"])
    try:
        assert [len(a.runs) for a in cmp.arms] == [2, 2]
        r = cmp.row("wrongful.records_wrongful")
        vals = [cmp.arms[i].values(r.key) for i in (0, 1)]
        assert vals[0][0] != vals[0][1]  # the seeds differ
        assert r.means[0] == pytest.approx(sum(vals[0]) / 2)
        assert r.cis[0] is not None and r.cis[0] > 0 and r.diff_cis[1] is not None
        # wrong records are Poisson-like (mean ~ 470 at 5 %, sd ~ 22): three times the error
        # rate adds ~ 900, while the interval of a difference of two pairs (t with ~2 degrees
        # of freedom, about 4.3 x a standard error of ~ 25) stays near 110: far below
        assert r.diffs[1] - r.diff_cis[1] > 0
        text = cmp.to_text()
        assert "(n=2)" in text and "±" in text
    finally:
        cmp.close()


def test_intervals_match_scipy():
    stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 2.5, 4.6, 5, 12, 17.3, 30, 30.5, 31, 45, 80, 200):
        assert t975(df) == pytest.approx(stats.t.ppf(0.975, df), rel=1e-5)
    a, b = [1.0, 2.0, 4.0, 3.5], [3.0, 5.5, 4.0]
    m, h = mean_ci(a)
    assert m == pytest.approx(2.625)
    assert h == pytest.approx(stats.t.ppf(0.975, 3) * stats.sem(a), rel=1e-5)
    d, hd = diff_ci(a, b)
    se = math.sqrt(stats.tvar(a) / 4 + stats.tvar(b) / 3)
    welch = (stats.tvar(a) / 4 + stats.tvar(b) / 3) ** 2 / (
        (stats.tvar(a) / 4) ** 2 / 3 + (stats.tvar(b) / 3) ** 2 / 2)
    assert d == pytest.approx(4.1666667 - 2.625)
    assert hd == pytest.approx(stats.t.ppf(0.975, welch) * se, rel=1e-5)
    assert mean_ci([None, 3.0]) == (3.0, None)


def test_cli_json_html_and_errors(tiny_run, tiny_compare_page, tmp_path, capsys):
    html = tiny_compare_page.read_text()
    assert "Headline differences" in html and "<script src" not in html
    assert html.count('<div class="card"') == 6
    for diffs in re.findall(r"data-diffs='([^']*)'", html):
        assert json.loads(unescape(diffs)) in ([0], [None], [0.0])
    capsys.readouterr()
    assert main(["compare", str(tiny_run)]) == 2
    assert "at least two" in capsys.readouterr().err
    assert main(["compare", str(tiny_run), str(tmp_path / "missing")]) == 2
    assert main(["compare", str(tiny_run), str(tiny_run), "--labels", "one"]) == 2
