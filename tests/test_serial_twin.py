"""A parallel kernel's serial twin (engine/serial_twin.py) gives its results exactly, so the
size at which a call switches between them never changes a run."""

import numpy as np
import pytest

from scsim.engine import counter_rng, factor_kernels, radix, ranked, rows
from scsim.engine.serial_twin import SERIAL_BELOW
from scsim.population import kinds
from scsim.surveillance import coverage, draws, emit_kernel, registry

SIZES = [0, 5, SERIAL_BELOW - 1, 3 * SERIAL_BELOW + 7]


def _same(a, b) -> None:
    a = a if isinstance(a, tuple) else (a,)
    b = b if isinstance(b, tuple) else (b,)
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        x, y = np.asarray(x), np.asarray(y)
        assert x.dtype == y.dtype and x.shape == y.shape
        bits = [np.ascontiguousarray(v).reshape(-1).view(np.uint8) for v in (x, y)]
        assert np.array_equal(*bits)  # to the bit


def _both(kernel, twin, make):
    """Each kernel on its own copy of the same inputs: (results, inputs after the call)."""
    out = []
    for f in (kernel, twin):
        args = make()
        out.append((f(*args), args))
    return out


@pytest.mark.parametrize("n", SIZES)
def test_twins_of_draws_and_lookups_give_the_same_bits(n):
    rng = np.random.default_rng(n)
    ids = np.sort(rng.integers(0, 50_000, n))
    key = np.uint64(rng.integers(2**63))
    cover = rng.random(n)
    words = rows.bitset(50_000, rng.choice(50_000, 9_000, replace=False))
    bw, bp = ranked.empty_bits(50_000)
    ranked.join(bw, bp, np.sort(rng.choice(50_000, 700, replace=False)), 1)
    starts = np.array([0, 30_000, 45_000, 49_000, 50_000], np.int64)
    cases = [
        (draws._seen_wrong, draws._seen_wrong_serial,
         lambda: (key, cover, 0.0, 0.3, np.empty(n, bool), np.empty(n, bool))),
        (registry._flags, registry._flags_serial,
         lambda: (ids, np.arange(n), key, key + np.uint64(1), 0.1, 0.2, 1_000, 40_000)),
        (kinds._kind_codes, kinds._kind_codes_serial, lambda: (ids, starts)),
        (ranked._slots, ranked._slots_serial, lambda: (ids, bw, bp, False)),
        (ranked._slots, ranked._slots_serial, lambda: (ids, bw, bp, True)),
        (counter_rng._uniforms, counter_rng._uniforms_serial, lambda: (key, np.empty(n))),
        (counter_rng._uniforms_at, counter_rng._uniforms_at_serial,
         lambda: (key, ids, np.empty(n))),
        (rows._bits_of, rows._bits_of_serial, lambda: (words, ids)),
    ]
    codes = rng.integers(0, 256, 50_000).astype(np.uint8)
    table, p0 = rng.random(256), rng.random(n)
    for fresh in (True, False):
        cases += [
            (factor_kernels.mul_table, factor_kernels.SERIAL[factor_kernels.mul_table],
             lambda f=fresh: (p0.copy(), codes, ids, 0, table, f, 1.7)),
            (factor_kernels.mul_between, factor_kernels.SERIAL[factor_kernels.mul_between],
             lambda f=fresh: (p0.copy(), codes, ids, 0, 20.0, 90.0, f, 1.7)),
        ]
    for kernel, twin, make in cases:
        (r1, a1), (r2, a2) = _both(kernel, twin, make)
        _same(r1 if r1 is not None else tuple(a1), r2 if r2 is not None else tuple(a2))


@pytest.mark.parametrize("n", SIZES)
def test_twins_of_coverage_and_records_give_the_same_bits(n):
    rng = np.random.default_rng(n + 1)
    starts = np.array([0, 30_000, 45_000, 49_000, 50_000], np.int64)
    urbans = tuple(rng.integers(0, 2, int(c)).astype(np.uint8) for c in np.diff(starts))
    regions = tuple(rng.integers(0, 5, int(c)).astype(np.uint8) for c in np.diff(starts))
    region_f = rng.random(5) + 0.5
    actors = np.sort(rng.integers(0, 50_000, n))
    (c1, _), (c2, _) = _both(coverage._coverage, coverage._coverage_serial, lambda: (
        actors, starts, 0.4, np.array([0.8, 1.5]), urbans, region_f, regions))
    _same(c1, c2)

    entity = np.where(rng.random(n) < 0.05, rng.integers(0, 50_000, n), actors)
    cause = (entity != actors).astype(np.uint8)
    keep = rng.random(n) < 0.3
    cells = rng.integers(0, 12, n).astype(np.uint8)
    conduct = rng.integers(0, 9, n).astype(np.int16)
    origin = rng.integers(-1, 100, n).astype(np.int32)
    tallies = []

    def make():
        yes, no = np.zeros(12), np.zeros(12)
        tallies.append((yes, no))
        return (actors, entity, cause, keep, cells, conduct, np.int16(0), origin, np.int16(4),
                np.int16(2), yes, no)

    (r1, _), (r2, _) = _both(emit_kernel._emit, emit_kernel._emit_serial, make)
    _same(r1, r2)
    _same(tallies[0], tallies[1])
    assert tallies[0][0].sum() + tallies[0][1].sum() == n


def test_radix_sort_in_one_piece_on_one_thread_is_a_stable_sort():
    rng = np.random.default_rng(3)
    key = rng.integers(0, 1_000, radix.PARALLEL_FROM - 1)  # one piece: the serial twins
    payload = np.arange(key.size)
    k, p = radix.sort_by_key(key, payload)
    order = np.argsort(key, kind="stable")
    assert np.array_equal(k, key[order]) and np.array_equal(p, payload[order])


def test_a_twin_is_compiled_apart_from_its_kernel():
    # Numba's cache is keyed by name and code, not by options: the twin needs its own name.
    twin = emit_kernel._emit_serial.dispatcher()
    assert twin.py_func.__qualname__ != emit_kernel._emit.py_func.__qualname__
    assert emit_kernel._emit.targetoptions.get("parallel")
    assert not twin.targetoptions.get("parallel")
    assert emit_kernel._emit_serial.dispatcher() is twin  # made once


def test_every_twin_agrees_with_its_kernel_on_the_calls_of_a_run():
    """The calls a run of the reference makes (small batches and large), each replayed on
    the kernel and on its twin: the same results and the same writes into their inputs."""
    import copy
    import sys

    from scsim.engine.serial_twin import loaded_twins
    from scsim.sim import Sim

    Sim("reference", scale=0.05, days=1, seed=3).run()  # imports every module it uses
    modules = [m for n, m in sys.modules.items() if n.startswith("scsim.")]
    pairs = {}  # id(kernel or twin) -> (kernel, twin)
    for _, kernel, twin in loaded_twins():
        pairs[id(kernel)] = pairs[id(twin)] = (kernel, twin)
    assert len({id(k) for k, _ in pairs.values()}) >= 35
    calls, count = {}, {}

    def spy(f):
        def call(*args):
            kernel, twin = pairs[id(f)]
            seen = calls.setdefault(f"{kernel.py_func.__module__}.{kernel.__name__}", [])
            count[f] = count.get(f, 0) + 1
            if len(seen) < 3 or (len(seen) < 8 and count[f] % 40 == 0):  # early and later
                seen.append((kernel, twin, copy.deepcopy(args)))
            return f(*args)
        return call

    saved = []
    for m in modules:
        for name, obj in list(vars(m).items()):
            if id(obj) in pairs:
                saved.append((m, name, obj))
                setattr(m, name, spy(obj))
    try:
        Sim("reference", scale=1, days=12, seed=3).run()
    finally:
        for m, name, obj in saved:
            setattr(m, name, obj)
    assert len(calls) >= 30  # most twins were called
    for seen in calls.values():
        for kernel, twin, args in seen:
            a1, a2 = copy.deepcopy(args), copy.deepcopy(args)
            r1, r2 = kernel(*a1), twin(*a2)
            _same(r1 if r1 is not None else (), r2 if r2 is not None else ())
            for x, y in zip(a1, a2, strict=True):
                if isinstance(x, np.ndarray):
                    _same(x, y)
