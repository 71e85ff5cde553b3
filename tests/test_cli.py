"""The commands of the README, end to end."""

from __future__ import annotations

import io
import json

import pytest

from scsim.cli import main
from scsim.progress import Progress
from scsim.sim import Sim


def test_run_query_presets_validate(tmp_path, capsys):
    out = tmp_path / "pc"
    assert main(["run", "points-city", "--out", str(out), "--days", "20", "--seed", "7",
                 "--individuals", "3000"]) == 0
    printed = capsys.readouterr().out
    assert "points-city" in printed and "blacklisted" in printed
    for f in ("results.duckdb", "scenario.toml", "summary.json"):
        assert (out / f).is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 7 and summary["days"] == 20
    assert summary["population"]["individuals"] == 3000
    for key in ("acts", "sanctions", "lists", "score", "wall_seconds", "scsim_version"):
        assert key in summary
    assert main(["query", str(out), "select day, blacklisted, denials from daily "
                 "order by day desc limit 5"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == ["day", "blacklisted", "denials"]
    assert table.splitlines()[1].split()[0] == "19"
    assert main(["presets"]) == 0
    listing = capsys.readouterr().out
    for name in ("points-city", "national-lists", "rule-of-law"):
        assert name in listing
    assert main(["presets", "show", "rule-of-law"]) == 0
    assert "[[meta.sources]]" in capsys.readouterr().out
    assert main(["validate", "points-city"]) == 0
    assert capsys.readouterr().out.strip() == "ok"
    # the resolved scenario in the folder is itself a valid scenario
    assert main(["validate", str(out / "scenario.toml")]) == 0


def test_query_errors_are_input_errors(tmp_path, capsys):
    out = tmp_path / "r"
    Sim("points-city", individuals=500, days=3).run(out=out)
    assert main(["query", str(out), "select nope from daily"]) == 2
    assert "nope" in capsys.readouterr().err
    assert main(["query", str(tmp_path / "missing"), "select 1"]) == 2


def test_explain_lists_the_nine_steps(capsys):
    assert main(["run", "points-city", "--explain"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    names = [line.split()[1] for line in lines]
    assert names == ["behave", "sense", "record", "score", "list", "sanction", "restore",
                     "adapt", "collect"]
    assert list(Sim.loop) == names


def test_scale_multiplies_every_population(tmp_path):
    sim = Sim("points-city", scale=0.5, days=2)
    p = sim.sc.population
    assert (p.individuals, p.companies, p.governments, p.organizations) == (50000, 1000, 10, 100)


def test_interrupted_run_leaves_no_folder(tmp_path, monkeypatch):
    out = tmp_path / "run"
    import scsim.results.writer as writer

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.json, "dumps", boom)  # dies while writing the folder
    with pytest.raises(KeyboardInterrupt):
        Sim("points-city", individuals=500, days=3).run(out=out)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_rerun_replaces_a_results_folder(tmp_path):
    out = tmp_path / "r"
    Sim("points-city", individuals=500, days=3).run(out=out)
    Sim("points-city", individuals=600, days=3).run(out=out)
    assert json.loads((out / "summary.json").read_text())["population"]["individuals"] == 600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_progress_is_silent_off_a_terminal():
    buf = io.StringIO()
    bar = Progress(10, enabled=True, stream=buf)
    bar.update(5, 100)
    bar.close()
    assert buf.getvalue() == ""

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    bar = Progress(10, enabled=True, stream=tty)
    bar.update(10, 1000)
    bar.close()
    assert "day 10/10" in tty.getvalue() and "acts/s" in tty.getvalue()


def test_bench_runs_the_reference_scenario(capsys):
    assert main(["bench", "--entities", "3e4", "--days", "5", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["scenario"] == "reference"
    assert abs(r["entities"] - 30_000) < 300  # scaled to the size asked, kinds rounded
    assert r["days"] == 5 and r["wall_seconds"] >= r["run_seconds"] > 0
    assert r["agent_days_per_second"] == pytest.approx(
        r["entities"] * 5 / (r["build_seconds"] + r["run_seconds"]), rel=1e-9)
    # the society layer is on: its network is part of the memory held (the friendship ties
    # alone, 7.8 an individual in 15 bits at 3e4, hold 14.6 bytes; points-city has none)
    assert main(["bench", "--entities", "3e4", "--days", "5", "--json", "--cold",
                 "--scenario", "points-city"]) == 0
    plain = json.loads(capsys.readouterr().out)
    assert r["state_bytes_per_entity"] - plain["state_bytes_per_entity"] > 14
    assert r["warmup_seconds"] > 0  # a small run first, so the timing leaves out compiling
    assert main(["bench", "--entities", "3e4", "--days", "2", "--cold", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["warmup_seconds"] == 0
    assert main(["bench", "--entities", "0"]) == 2
