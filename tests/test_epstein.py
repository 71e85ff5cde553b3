"""Epstein civil-violence mode: invariants, determinism, agreement with Mesa 3.3.1, CLI."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pytest

import scsim.cli
from scsim.epstein import EpsteinParamError, EpsteinParams, EpsteinSim, run_epstein
from scsim.epstein import kernel as K
from scsim.epstein.neighbourhood import build_neighbourhood, neighbour_offsets
from scsim.epstein.rng import new_state

REFERENCE = Path(__file__).parent / "data" / "mesa_epstein_reference.csv"
# Small and turbulent: low legitimacy keeps citizens turning active and cops arresting.
BUSY = EpsteinParams(width=15, height=12, vision=3, legitimacy=0.3, max_jail=8)


# --- parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"citizen_density": -0.1}, "citizen_density"),
        ({"cop_density": 1.5}, "cop_density"),
        ({"citizen_density": 0.8, "cop_density": 0.3}, "cop_density"),
        ({"vision": 0}, "vision"),
        ({"width": 0}, "width"),
        ({"height": 2.5}, "height"),
        ({"legitimacy": 1.2}, "legitimacy"),
        ({"max_jail": -1}, "max_jail"),
        ({"threshold": float("nan")}, "threshold"),
        ({"arrest_constant": -2.3}, "arrest_constant"),
    ],
)
def test_bad_params_name_the_field(change, field):
    with pytest.raises(EpsteinParamError) as err:
        EpsteinParams(**change)
    assert err.value.field == field


def test_defaults_are_mesas():
    p = EpsteinParams()
    assert (p.width, p.height, p.citizen_density, p.cop_density, p.vision) == (
        40, 40, 0.7, 0.074, 7,
    )  # fmt: skip
    assert (p.legitimacy, p.max_jail, p.threshold, p.arrest_constant) == (0.8, 1000, 0.1, 2.3)


# --- neighbourhood ----------------------------------------------------------------------


def _torus_ball(width: int, height: int, r: int) -> set[tuple[int, int]]:
    """Cells within torus Manhattan distance r of (0, 0), centre excluded, by brute force."""
    out = set()
    for x in range(width):
        for y in range(height):
            d = min(x, width - x) + min(y, height - y)
            if 0 < d <= r:
                out.add((x, y))
    return out


@pytest.mark.parametrize(
    ("w", "h", "r"), [(40, 40, 7), (15, 15, 7), (5, 9, 7), (3, 3, 1), (1, 4, 2)]
)
def test_neighbourhood_is_the_torus_diamond_each_cell_once(w, h, r):
    offs = neighbour_offsets(w, h, r)
    cells = [(dx % w, dy % h) for dx, dy in offs]
    assert len(cells) == len(set(cells))
    assert set(cells) == _torus_ball(w, h, r)
    hood = build_neighbourhood(w, h, r)
    assert hood.size == len(offs) and (hood.mask != 0).sum() == len(offs)


def test_arrest_estimate_rounds_half_to_even_and_counts_self():
    table = np.array([1 - np.exp(-2.3 * r) for r in range(10)])
    # cops / (actives + 1): 1/2 -> 0, 3/2 -> 2, 5/2 -> 2, 1/1 -> 1 (Python's round).
    g, risk, t = 0.5, 1.0, 0.1
    assert K.goes_active(g, risk, 1, 1, t, table)  # P = 0
    assert not K.goes_active(g, risk, 3, 1, t, table)
    assert not K.goes_active(g, risk, 1, 0, t, table)  # she counts herself: 1/1 -> 1
    assert K.goes_active(g, risk, 0, 0, t, table)


def _hood_cells(sim: EpsteinSim, cell: int) -> list[int]:
    p = sim.params
    x, y = cell % p.width, cell // p.width
    offs = neighbour_offsets(p.width, p.height, p.vision)
    return [((y + dy) % p.height) * p.width + (x + dx) % p.width for dx, dy in offs]


@pytest.mark.parametrize("citizen_density", [0.85, 0.3])
def test_move_and_arrest_targets_are_uniform(citizen_density):
    from scipy.stats import chisquare

    p = EpsteinParams(width=20, height=20, vision=3, citizen_density=citizen_density,
                      cop_density=0.1, legitimacy=0.0, threshold=-1.0)  # fmt: skip
    sim = EpsteinSim(p, seed=2)
    sim.state[~sim.is_cop] = K.ACTIVE  # every citizen active, so cops have choices
    sim.code[sim.code == 0] = 1 << sim.bits
    cell = int(sim.pos[0])
    centre = int(sim.layout.padded[cell])
    pw = p.width + 2 * p.vision
    mask = sim.hood.mask.astype(sim.code.dtype)
    row_acc = np.zeros(mask.shape[0], dtype=np.int64)
    acc = K.scan(sim.code, centre, mask, row_acc, pw, p.vision)
    field = (1 << sim.bits) - 1
    hood = _hood_cells(sim, cell)
    empty = [c for c in hood if sim.cell_agent[c] < 0]
    active = [c for c in hood if sim.cell_agent[c] >= 0 and not sim.is_cop[sim.cell_agent[c]]]
    assert acc & field == len(empty) and (acc >> sim.bits) & field == len(active)
    assert len(empty) >= 2
    rng = new_state(np.random.default_rng(0))
    draws = 400 * len(empty)
    # The two samplers of a move: rejection draws, and the k-th empty cell for a random k.
    tries = [K.try_random_empty(sim.code, centre, sim.hood.delta, sim.layout.torus, rng)
             for _ in range(draws)]  # fmt: skip
    got = [t for t in tries if t >= 0]
    assert len(got) > draws / 2 and set(got) == set(empty)
    assert chisquare([got.count(c) for c in empty]).pvalue > 1e-4
    got = [
        K.kth_cell(sim.code, centre, K.EMPTY_CODE, 0, sim.bits, k, mask, row_acc,
                   sim.layout.torus, pw, p.vision)
        for k in range(len(empty))
    ]  # fmt: skip
    assert sorted(got) == sorted(empty)  # k -> k-th empty cell is a bijection
    got = [
        K.kth_cell(sim.code, centre, 1 << sim.bits, sim.bits, sim.bits, k, mask, row_acc,
                   sim.layout.torus, pw, p.vision)
        for k in range(len(active))
    ]  # fmt: skip
    assert sorted(got) == sorted(active)  # and so for the cop's pick among actives


def test_cop_limit_is_the_rule_with_no_active_in_sight():
    sim = EpsteinSim(EpsteinParams(legitimacy=0.3, threshold=0.05), seed=4)
    table, t = sim._p_arrest_of, sim.params.threshold
    cit = np.flatnonzero(~sim.is_cop)[:300]
    assert np.all(sim.cop_limit[sim.is_cop] == -1)
    assert len(set(sim.cop_limit[cit].tolist())) > 2  # a spread of limits is exercised
    for a in cit:
        g, r, lim = sim.grievance[a], sim.risk_aversion[a], sim.cop_limit[a]
        assert (lim >= 0) == (g > t)
        for cops in range(12):
            assert K.goes_active(g, r, cops, 0, t, table) == (cops <= lim)


# --- invariants -------------------------------------------------------------------------


def _check_grid(sim: EpsteinSim) -> None:
    p = sim.params
    occupied = np.flatnonzero(sim.cell_agent >= 0)
    assert occupied.size == sim.n_agents  # one agent per cell, no agent lost
    assert np.array_equal(sim.cell_agent[sim.pos], np.arange(sim.n_agents))
    # The padded code grid (halo included) matches the agents' states.
    flat = np.full(p.n_cells, K.EMPTY_CODE, dtype=sim.code.dtype)
    cit = ~sim.is_cop
    flat[sim.pos[cit]] = np.where(sim.state[cit] == K.ACTIVE, 1 << sim.bits, 0)
    flat[sim.pos[sim.is_cop]] = 1 << (2 * sim.bits)
    want = np.pad(flat.reshape(p.height, p.width), p.vision, mode="wrap").ravel()
    assert np.array_equal(sim.code, want)
    # The kernel's running count of active citizens in each cell's neighbourhood.
    active = np.zeros(p.n_cells, dtype=np.int64)
    active[sim.pos[cit & (sim.state == K.ACTIVE)]] = 1
    active = active.reshape(p.height, p.width)
    near = sum(
        np.roll(active, (-dy, -dx), axis=(0, 1))
        for dx, dy in neighbour_offsets(p.width, p.height, p.vision)
    )
    assert np.array_equal(sim.near_active, np.ravel(near))


@pytest.mark.parametrize(
    "params",
    [BUSY, EpsteinParams(4, 3, citizen_density=0.6, cop_density=0.2, legitimacy=0.2, max_jail=3)],
    ids=["15x12", "tiny-wrapping-torus"],
)
def test_invariants_step_by_step(params):
    sim = EpsteinSim(params, seed=7)
    n_cit = sim.n_citizens
    saw = {"active": 0, "jailed": 0, "held": 0}
    for _ in range(60):
        pos0, state0, jail0 = sim.pos.copy(), sim.state.copy(), sim.jail.copy()
        row = sim.run(1)[0]
        assert row["active"] + row["quiet"] + row["jailed"] == n_cit
        assert np.array_equal([row["active"], row["quiet"], row["jailed"]], sim.counts())
        _check_grid(sim)
        # Cops are never jailed and never have a sentence.
        assert np.all(sim.state[sim.is_cop] == K.QUIET) and np.all(sim.jail[sim.is_cop] == 0)
        assert np.all((sim.jail >= 0) & (sim.jail <= params.max_jail))
        assert np.all(sim.state[sim.jail > 0] == K.JAILED)
        # Serving a sentence: neither move nor change state; the term drops by exactly one.
        held = (state0 == K.JAILED) & (jail0 > 0)
        assert np.array_equal(sim.pos[held], pos0[held])
        assert np.all(sim.state[held] == K.JAILED)
        assert np.array_equal(sim.jail[held], jail0[held] - 1)
        saw["active"] += row["active"]
        saw["jailed"] += row["jailed"]
        saw["held"] += int(held.sum())
    assert all(saw.values()), saw  # the run exercised every rule


def test_no_movement_keeps_everyone_in_place():
    sim = EpsteinSim(EpsteinParams(**{**BUSY.__dict__, "movement": False}), seed=3)
    pos0 = sim.pos.copy()
    sim.run(20)
    assert np.array_equal(sim.pos, pos0)
    _check_grid(sim)


def test_initial_state_and_densities():
    res = run_epstein(EpsteinParams(width=100, height=100), 0, seed=1)
    assert res.shape == (1,) and res[0]["step"] == 0
    assert res[0]["active"] == 0 and res[0]["jailed"] == 0
    assert abs(res[0]["quiet"] - 7000) < 5 * np.sqrt(10_000 * 0.7 * 0.3)
    sim = EpsteinSim(EpsteinParams(width=100, height=100), seed=1)
    assert abs(int(sim.is_cop.sum()) - 740) < 5 * np.sqrt(10_000 * 0.074 * 0.926)


# --- determinism ------------------------------------------------------------------------


def test_same_seed_same_output_other_seed_differs():
    a = run_epstein(BUSY, 40, seed=11)
    b = run_epstein(BUSY, 40, seed=11)
    c = run_epstein(BUSY, 40, seed=12)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert list(a["step"]) == list(range(41))


def test_run_in_pieces_equals_one_run():
    whole = EpsteinSim(BUSY, seed=5).run(30)
    sim = EpsteinSim(BUSY, seed=5)
    parts = np.concatenate([sim.run(10), sim.run(0), sim.run(20)])
    assert np.array_equal(whole, parts)


def test_thread_count_does_not_change_output(json_by_thread_count):
    code = (
        "import json; from scsim.epstein import EpsteinParams, run_epstein; "
        "r = run_epstein(EpsteinParams(width=20, height=20, legitimacy=0.5), 30, seed=9); "
        "print(json.dumps(r.tolist()))"
    )
    outs = json_by_thread_count(code)
    assert outs[0] == outs[1]


# --- agreement with Mesa ----------------------------------------------------------------


def _summaries(traj: np.ndarray) -> dict[str, np.ndarray]:
    """traj: (runs, steps + 1, 3) of active, quiet, jailed, step 0 first."""
    return {
        "mean_active": traj[:, 1:, 0].mean(axis=1),
        "peak_active": traj[:, 1:, 0].max(axis=1),
        "mean_jailed": traj[:, 1:, 2].mean(axis=1),
        "final_jailed": traj[:, -1, 2],
    }


def _reference() -> np.ndarray:
    rows: dict[int, list[tuple[int, int, int, int]]] = {}
    with REFERENCE.open() as fh:
        for r in csv.DictReader(fh):
            rows.setdefault(int(r["seed"]), []).append(
                (int(r["step"]), int(r["active"]), int(r["quiet"]), int(r["jailed"]))
            )
    runs = [sorted(v) for _, v in sorted(rows.items())]
    return np.array([[r[1:] for r in run] for run in runs], dtype=float)


@pytest.mark.skipif(not REFERENCE.exists(), reason="run benchmarks/epstein/bench_mesa.py first")
def test_statistics_agree_with_mesa_reference():
    mesa = _reference()
    steps = mesa.shape[1] - 1
    ours = np.array(
        [
            [list(r)[1:] for r in run_epstein(EpsteinParams(), steps, seed=s)]
            for s in range(1000, 1040)
        ],
        dtype=float,
    )
    assert np.all(mesa[:, 0, 1] > 0) and np.all(mesa[:, 0, [0, 2]] == 0)
    for key, a in _summaries(mesa).items():
        b = _summaries(ours)[key]
        se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        assert abs(a.mean() - b.mean()) <= 4 * se + 1e-9, (key, a.mean(), b.mean(), se)


# --- CLI --------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch):
    """scsim.cli.main, registering only the command modules this checkout has."""
    present = [m for m in scsim.cli.COMMAND_MODULES if importlib.util.find_spec(m) is not None]
    monkeypatch.setattr(scsim.cli, "COMMAND_MODULES", present)
    return scsim.cli.main


SMALL = ["--width", "12", "--height", "10", "--vision", "3", "--legitimacy", "0.4"]


def test_cli_writes_csv(cli, tmp_path):
    out = tmp_path / "counts.csv"
    assert cli(["epstein", *SMALL, "--steps", "25", "--seed", "4", "--out", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == "step,active,quiet,jailed"
    rows = [list(map(int, ln.split(","))) for ln in lines[1:]]
    assert [r[0] for r in rows] == list(range(1, 26))
    assert len({sum(r[1:]) for r in rows}) == 1  # every citizen counted once each step
    want = run_epstein(EpsteinParams(width=12, height=10, vision=3, legitimacy=0.4), 25, seed=4)
    assert rows == [list(r) for r in want[1:].tolist()]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--citizen-density", "-0.1"], "--citizen-density"),
        (["--citizen-density", "0.8", "--cop-density", "0.3"], "--cop-density"),
        (["--vision", "0"], "--vision"),
        (["--width", "0"], "--width"),
        (["--legitimacy", "2"], "--legitimacy"),
        (["--max-jail", "-5"], "--max-jail"),
        (["--steps", "-1"], "--steps"),
        (["--seed", "-3"], "--seed"),
    ],
)
def test_cli_bad_input_exits_2_naming_the_option(cli, tmp_path, capsys, args, option):
    out = tmp_path / "x.csv"
    assert cli(["epstein", "--steps", "3", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scsim: error: ") and option in err and "Traceback" not in err
    assert not out.exists()


def test_cli_out_folder_must_exist(cli, tmp_path, capsys):
    assert cli(["epstein", "--steps", "1", "--out", str(tmp_path / "no" / "x.csv")]) == 2
    assert "--out" in capsys.readouterr().err
