"""The social network: degree distribution, clustering, homophily, households, work, CSR."""

from __future__ import annotations

import contextlib
import math

import numba
import numpy as np
import pytest

from scsim.network import build_network
from scsim.network.csr import CSR
from scsim.network.friends import rewire_prob, ring_clustering
from scsim.network.stats import clustering
from scsim.population.attributes import UNIT_CODE_MAX
from scsim.population.generate import generate_population
from scsim.rng import Streams
from scsim.scenario import load_scenario
from scsim.scenario.society import Friends, Households, NetworkCfg, Work
from scsim.sim import Sim

N = 30_000


@pytest.fixture(scope="module")
def population(tiny):
    sc = load_scenario(tiny, individuals=N).model
    return generate_population(sc, Streams(5))


@pytest.fixture(scope="module")
def tiny():
    from pathlib import Path

    return Path(__file__).parent / "data" / "tiny.toml"


def _friends(population, **kw):
    cfg = NetworkCfg(friends=Friends(**kw))
    return build_network(population, cfg, Streams(9)).friends


def _lost_ties_bound(population, k: float, p: float) -> float:
    """Expected ties lost to self-ties and duplicates of rewired ties, as an upper bound:
    a rewired tie lands on one of its cell's members, (k + 1) of whom it may already reach."""
    ind = population.attrs["individual"]
    n_grp = int(ind["group"].max()) + 1
    cell = ind["region"].astype(np.int64) * n_grp + ind["group"]
    size = np.bincount(cell)[cell]
    return float(p * (k / 2) * ((k + 1) / size).sum())


@pytest.mark.parametrize("k", [8.0, 5.0])
def test_degree_distribution_matches_parameters(population, k):
    f = _friends(population, mean_degree=k, clustering=0.2, homophily_region=0.8,
                 homophily_group=0.6)
    deg = f.degree().astype(np.float64)
    p = rewire_prob(Friends(mean_degree=k, clustering=0.2))
    lo = math.floor(k / 2)
    frac = k / 2 - lo
    # Degree = m (forward ring ties, m = lo or lo + 1) + surviving backward ring ties
    # (as many as m, each kept with 1 - p) + rewired ties arriving (Poisson, p k / 2).
    var_m = frac * (1 - frac)
    var = var_m + lo * p * (1 - p) + frac * (1 - p) * (1 - frac * (1 - p)) + p * k / 2
    # The mean: the sum of degrees is 2 sum(m) minus lost ties; sum(m) has variance n var_m.
    sd_mean = 2 * math.sqrt(N * var_m) / N
    lost = 2 * _lost_ties_bound(population, k, p) / N
    assert k - lost - 4 * sd_mean - 1e-9 <= deg.mean() <= k + 4 * sd_mean + 1e-9
    # The variance: standard error of a sample variance, from the fourth moment.
    m4 = float(((deg - deg.mean()) ** 4).mean())
    se_var = math.sqrt((m4 - deg.var() ** 2) / N)
    # A lost tie moves two degrees by one: the variance shifts by about 2 lost at most.
    assert abs(deg.var() - var) <= 4 * se_var + 2 * lost
    # Nobody falls below its forward ties except through a lost tie.
    assert (deg < lo).mean() <= lost + 4 * math.sqrt(lost / N)
    # Ties are symmetric and never to oneself.
    rows = np.repeat(np.arange(N), f.degree())
    assert (f.find(f.indices.astype(np.int64), rows) >= 0).all()
    assert not (rows == f.indices).any()


def test_clustering_follows_its_parameter(population):
    rng = np.random.default_rng(0)
    nodes = rng.choice(N, 3000, replace=False)
    got = {}
    for c in (0.05, 0.2, 0.4):
        f = _friends(population, mean_degree=8, clustering=c, homophily_region=0.8,
                     homophily_group=0.6)
        got[c] = clustering(f, nodes)
        # Barrat and Weigt's C(p) = C(0) (1 - p)^3 is an approximation; 0.02 covers it and
        # the sampling error of 3000 nodes (standard deviation about 0.004).
        assert abs(got[c] - c) <= 0.02, got
    assert got[0.05] < got[0.2] < got[0.4]
    assert ring_clustering(8) == pytest.approx(3 * 6 / (4 * 7))


def test_homophily_by_group_and_region(population):
    h_r, h_g = 0.7, 0.5
    f = _friends(population, mean_degree=8, clustering=0.2, homophily_region=h_r,
                 homophily_group=h_g)
    ind = population.attrs["individual"]
    rows = np.repeat(np.arange(N), f.degree())
    for attr, h in (("group", h_g), ("region", h_r)):
        lab = ind[attr].astype(np.int64)
        w = np.bincount(lab) / N
        for g in np.flatnonzero(w > 0.05):
            mine = lab[rows] == g
            same = (lab[f.indices] == g) & mine
            # Ratio estimator over nodes: same ties / all ties of the group's members.
            x = np.bincount(rows[same], minlength=N)[lab == g].astype(np.float64)
            d = f.degree()[lab == g].astype(np.float64)
            r = x.sum() / d.sum()
            se = math.sqrt(((x - r * d) ** 2).sum()) / d.sum()
            expected = h + (1 - h) * w[g]
            assert abs(r - expected) <= 4 * se + 0.005, (attr, g, r, expected)


def test_households_and_work(population):
    net = build_network(population, NetworkCfg(households=Households(), work=Work()),
                        Streams(2))
    hh, ind = net.households, population.attrs["individual"]
    age = ind["age"].astype(np.int64)
    members, ptr, adults = hh.partition()
    # A partition: everyone in exactly one household, 1 or 2 adults first in each.
    assert np.array_equal(np.sort(members), np.arange(N))
    assert hh.count == ptr.size - 1
    assert set(np.unique(adults)) <= {1, 2}
    assert hh.couples == int((adults == 2).sum())
    # Every member's household is the same from wherever it is asked.
    of = np.repeat(np.arange(hh.count), np.diff(ptr))
    which, rel = hh.pairs("household", members)
    assert np.array_equal(of[np.argsort(members)][rel], of[which])
    assert np.array_equal(np.bincount(which, minlength=N), np.diff(ptr)[of] - 1)
    # Households share a region and a group.
    for a in ("region", "group"):
        v = ind[a][members]
        first = np.repeat(v[ptr[:-1]], np.diff(ptr))
        assert (v == first).all()
    # Children are young and their household's head is parent_gap years older.
    size = np.diff(ptr)
    place = np.arange(N) - np.repeat(ptr[:-1], size)  # within its household
    kids = np.sort(members[place >= np.repeat(adults, size)])
    assert np.array_equal(np.flatnonzero(hh.is_child(np.arange(N))), kids)
    assert hh.children == kids.size
    assert kids.size > 0.05 * N and (age[kids] <= 24).all()
    which, parents = hh.pairs("parents", kids)
    head = np.bincount(which, weights=age[parents]) / np.bincount(which)
    gap = np.floor(head) - age[kids[np.unique(which)]]
    assert gap.min() >= 20 and gap.max() <= 42
    # Parents and children are the same relation seen from both ends.
    w2, back = hh.pairs("children", parents)
    assert np.isin(kids[which], back).all()
    # Work: employees are of working age; executives are employees; leaders find their firm.
    w = net.work
    employer = w.employer_of(np.arange(N))
    emp = np.flatnonzero(employer >= 0)
    assert ((age[emp] >= 18) & (age[emp] <= 64)).all()
    assert w.employed() == emp.size
    which, staff, _ = w.staff.pairs(np.arange(net.n_comp))  # staff rows, the same people
    assert np.array_equal(employer[staff], which)
    assert np.array_equal(np.sort(staff), emp)
    assert abs(emp.size / ((age >= 18) & (age <= 64)).sum() - 0.6) <= 4 * math.sqrt(
        0.24 / emp.size) * 1.5
    comps = np.arange(net.n_comp)
    which, leaders = w.leaders(comps, net.legal_rep)
    back_which, firms = w.led(leaders)
    assert (firms[np.r_[True, back_which[1:] != back_which[:-1]]] >= 0).all()
    for i in range(0, leaders.size, 7):  # spot checks of the reverse index
        assert comps[which[i]] in firms[back_which == i]


def test_household_members_as_a_stable_sort_by_unit_then_child_would_group_them():
    """The builder groups individuals by unit, adults first, each part in id order, without
    sorting: the same members and starts as np.argsort(unit * 2 + child, stable)."""
    from scsim.network.households import _members

    rng = np.random.default_rng(12)
    for n, n_units in ((1, 1), (50, 7), (20_000, 9_000)):
        unit = rng.integers(0, n_units, n).astype(np.int32)
        child = rng.random(n) < 0.3
        members, ptr = _members(unit, child, n_units)
        label = unit.astype(np.int64) * 2 + child
        assert np.array_equal(members, np.argsort(label, kind="stable"))
        assert np.array_equal(ptr, np.r_[0, np.cumsum(np.bincount(unit, minlength=n_units))])


def test_csr_find_and_pairs():
    f = CSR.from_edges(5, np.array([0, 0, 1, 3, 3]), np.array([1, 2, 2, 4, 3]), symmetric=True)
    assert f.nnz == 8  # the self-tie 3-3 is dropped
    which, other, _ = f.pairs(np.array([2, 4]))
    assert list(zip(which.tolist(), other.tolist(), strict=True)) == [(0, 0), (0, 1), (1, 3)]
    got = f.find(np.array([0, 2, 4, 4, 1]), np.array([2, 1, 3, 0, 0]))
    assert (got >= 0).tolist() == [True, True, True, False, True]


@pytest.mark.parametrize("rows,ties,hub", [(1, 0, 0), (2, 1, 0), (300, 2_000, 0),
                                            (5_000, 40_000, 0), (150_000, 9_000, 200_000)])
def test_packed_rows_read_as_the_rows_they_were_packed_from(rows, ties, hub):
    """Packed neighbours (ceil(log2 rows) bits each, 1 bit included) and compact row starts:
    every start, neighbour, pair, tie found and tie missed as in the CSR. `hub` ties on
    row 7 make groups of rows hold 65,536 ties or more, so smaller groups are taken."""
    from scsim.network.packed_csr import PackedCSR

    rng = np.random.default_rng(rows + ties)
    src = np.concatenate([rng.integers(0, rows, ties), np.full(hub, 7)])
    dst = np.concatenate([rng.integers(0, rows, ties), rng.integers(0, max(rows, 1), hub)])
    csr = CSR.from_edges(rows, src, dst, symmetric=True)
    p = PackedCSR(csr, rows)
    assert p.bits == max(1, (rows - 1).bit_length())
    assert p.rows == csr.rows and p.nnz == csr.nnz
    assert np.array_equal(p.indptr, csr.indptr) and np.array_equal(p.indices, csr.indices)
    assert (p.shift < 6) == (hub > 0)
    some = rng.integers(0, rows, 50)
    assert np.array_equal(p.degree(some), csr.degree(some))
    for a, b in zip(p.pairs(some), csr.pairs(some), strict=True):
        assert np.array_equal(a, b)
    pos = rng.integers(0, max(csr.nnz, 1), 200) if csr.nnz else np.empty(0, np.int64)
    assert np.array_equal(p.ids_at(pos), csr.ids_at(pos))
    r, c = rng.integers(0, rows, 500), rng.integers(0, rows, 500)
    which, other, _ = csr.pairs(r[:250])  # and questions about ties that exist
    r, c = np.concatenate([r, r[:250][which]]), np.concatenate([c, other])
    assert np.array_equal(p.find(r, c), csr.find(r, c))


def test_network_memory_is_counted(population):
    net = build_network(population, NetworkCfg(households=Households(), friends=Friends(),
                                               work=Work()), Streams(2))
    f = net.friends
    bits = (N - 1).bit_length()  # 15 at 30,000: neighbours packed, 16-bit row offsets
    assert f.bits == bits
    assert f.nbytes() == 8 * ((f.nnz * bits + 63) // 64 + 1) + 2 * (N + 1) + f.base.nbytes
    per_individual = net.nbytes() / N
    # friends ~ k b / 8 + 2.2, households ~ 12, work ~ 7 bytes per individual
    assert per_individual <= bits / 8 * f.nnz / N + 2.2 + 12 + 8


def test_a_network_alone_changes_no_draw(tiny):
    """Common random numbers: building a network takes no draw of any other stream."""
    a = Sim(tiny, days=40).run()
    b = Sim(tiny, days=40, sets=["network.friends.mean_degree=6", "network.households.enabled=true",
                                 "network.work.enabled=true"]).run()
    for t in ("daily", "daily_by_conduct", "daily_by_service", "list_events"):
        cols = list(a.to_df(t).columns)
        assert b.to_df(t)[cols].equals(a.to_df(t))
    assert "network" in b.summary["society"] and "society" not in a.summary


def test_csr_by_counting_equals_csr_by_sorting():
    """Rows built by counting (csr_build) equal rows from sorted (row, neighbour) keys:
    sorted, no repeats, no self-ties; short rows and long ones (> 32 ties)."""
    from scsim.engine.ids import unique
    from scsim.network.csr import CSR

    rng = np.random.default_rng(5)
    for rows, ties in ((10, 30), (2_000, 16_000), (40, 6_000)):
        src, dst = rng.integers(0, rows, ties), rng.integers(0, rows, ties)
        for symmetric in (True, False):
            s, d = src[src != dst], dst[src != dst]
            if symmetric:
                s, d = np.concatenate([s, d]), np.concatenate([d, s])
            key = unique(s * rows + d)
            for threads in (1, numba.config.NUMBA_NUM_THREADS):  # rows cut in one range a thread
                with _threads(threads):
                    csr = CSR.from_edges(rows, src, dst, symmetric=symmetric)
                assert np.array_equal(csr.indptr,
                                      np.searchsorted(key // rows, np.arange(rows + 1)))
                assert np.array_equal(csr.indices, key % rows)
                assert csr.indptr.dtype == np.int32 and csr.indices.dtype == np.int32


def test_friends_are_the_same_on_any_number_of_threads():
    """The ring, the rewiring and the rows are built on all threads: the same ties on one."""
    from scsim.network.friends import build_friends

    rng = np.random.default_rng(8)
    region = rng.integers(0, 30, 150_000).astype(np.uint16)  # enough for chunked counting
    group = rng.integers(0, 4, region.size).astype(np.uint8)
    cfg = Friends(mean_degree=7.5, clustering=0.2, homophily_region=0.7, homophily_group=0.4)
    built = []
    for threads in (1, numba.config.NUMBA_NUM_THREADS):
        with _threads(threads):
            built.append(build_friends(region, group, cfg, np.random.default_rng(3)))
    assert np.array_equal(built[0].indptr, built[1].indptr)
    assert np.array_equal(built[0].indices, built[1].indices)
    assert abs(built[0].indices.size / region.size - 7.5) < 0.2  # ties were built at all


@contextlib.contextmanager
def _threads(n: int):
    before = numba.get_num_threads()
    numba.set_num_threads(n)
    try:
        yield
    finally:
        numba.set_num_threads(before)


def test_active_near_equals_the_sum_over_tie_pairs():
    """The grievance kernel's count of active agents in vision (friends weighted by tie
    strength, household members) equals the sum over the network's tie pairs, to the bit."""
    from pathlib import Path

    from scsim.engine.rows import bitset
    from scsim.sim import Sim
    from scsim.society.near_kernel import active_near

    sim = Sim(Path(__file__).parent / "data" / "society.toml", days=5)
    sim.build()
    net, n = sim.society.net, sim.pop.counts["individual"]
    rng = np.random.default_rng(3)
    strength = net.weaken_ties()
    cut = rng.integers(0, strength.ties, strength.ties // 4)
    strength.set(cut, rng.integers(0, 256, cut.size))  # some weakened, some cut (0)
    ids = np.unique(rng.integers(0, n, n // 3))
    active = rng.random(n) < 0.3
    which, tie, w = net.ties(ids)
    near = active[tie]
    expected = np.bincount(which[near], weights=w[near], minlength=ids.size)
    got = active_near(net, ids, bitset(n, np.flatnonzero(active)))
    assert np.array_equal(got, expected) and expected.sum() > 100


def test_near_bits_are_clear_only_for_those_who_see_no_active_agent():
    """After a month of protest (activations, arrests, shaming cutting ties), every
    individual whose `near` bit is clear sees no active agent, so skipping its walk changes
    no sum; and the bits do skip most individuals (what the bitset is for)."""
    from pathlib import Path

    from scsim.engine.rows import bits_of
    from scsim.sim import Sim
    from scsim.society.near_kernel import active_near

    sim = Sim(Path(__file__).parent / "data" / "society.toml", days=30)
    sim.run()
    g = sim.society.grievance
    everyone = np.arange(g.n)
    net = sim.society.net  # every tie, cut ones too (a cut tie may heal)
    which, tie, _ = net.friends.pairs(everyone)
    hw, ho = net.pairs("household", everyone)
    which, tie = np.concatenate([which, hw]), np.concatenate([tie, ho])
    sees = np.bincount(which[g.is_active(tie)], minlength=g.n) > 0
    clear = ~bits_of(g.near, everyone)
    assert g.active_ids.size > 20 and 0.3 < clear.mean() < 1.0
    assert not (sees & clear).any()
    near = g.near.copy()
    full = active_near(net, everyone, g.active)
    assert np.array_equal(active_near(net, everyone, g.active, near), full)
    assert np.array_equal(bits_of(near, everyone), sees)  # the walk cleared the stale bits


def test_grievance_decides_as_epsteins_rule_on_everyone():
    """Deciding only the individuals whose G - R and G bracket the threshold gives the same
    answer as Epstein's rule G - R P > T computed in full for everyone asked."""
    from pathlib import Path

    from scsim.sim import Sim
    from scsim.society.near_kernel import active_near

    sim = Sim(Path(__file__).parent / "data" / "society.toml", days=5)
    sim.build()
    g = sim.society.grievance
    rng = np.random.default_rng(5)
    g.make_active(np.flatnonzero(rng.random(g.n) < 0.3))
    ids = np.unique(rng.integers(0, g.n, g.n // 2))
    ind = sim.pop.attrs["individual"]
    h, r = (ind[a][ids] * (1 / UNIT_CODE_MAX) for a in ("hardship", "risk_aversion"))
    grievance = h * (1 - g.legitimacy[ids].astype(np.float64))
    p = 1 - np.exp(-g.cfg.k * g.enforcement[g.region[ids]]
                   / (1 + active_near(g.net, ids, g.active)))
    full = grievance - r * p > g.cfg.threshold
    undecided = (grievance > g.cfg.threshold) & (grievance - r <= g.cfg.threshold)
    sure = grievance - r > g.cfg.threshold
    assert undecided.sum() > 20 and sure.sum() > 20  # all three branches are exercised
    assert np.array_equal(g.decide(ids), full)


def test_tie_strength_reads_back_what_a_dense_array_would_hold():
    """Changed ties only are stored; reads and repeated writes (the last wins) agree with a
    byte per tie."""
    from scsim.network.strength import FULL, TieStrength

    rng = np.random.default_rng(8)
    ties = 10_000
    dense = np.full(ties, FULL, np.uint8)
    sparse = TieStrength(ties)
    for _ in range(30):
        at = rng.integers(0, ties, 300)  # repeats within a batch too
        values = rng.integers(0, 255, at.size).astype(np.uint8)
        dense[at] = values
        sparse.set(at, values)
        probe = rng.integers(0, ties, 2000)
        assert np.array_equal(sparse.get(probe), dense[probe])
    assert np.array_equal(sparse.get(np.arange(ties)), dense)
    assert sparse.intact() == int((dense > 0).sum())


@pytest.mark.parametrize("via", ["friends", "household", "parents", "children", "spouse"])
def test_linked_listed_equals_the_pairs_it_walks(via):
    """The demand split's walk (stop at the first linked entity on a list) gives the answer
    of the link's pairs tested one by one, with some ties cut and weakened."""
    from pathlib import Path

    from scsim.engine.rows import bitset
    from scsim.network.linked_listed import linked_listed
    from scsim.sim import Sim

    sim = Sim(Path(__file__).parent / "data" / "society.toml", days=5)
    sim.build()
    net, n = sim.society.net, sim.pop.n
    rng = np.random.default_rng(11)
    strength = net.weaken_ties()
    cut = rng.integers(0, strength.ties, strength.ties // 3)
    strength.set(cut, rng.integers(0, 3, cut.size))  # a third of these cut (0)
    ids = np.unique(rng.integers(0, n, n // 2))  # individuals and the other kinds
    lists = [rng.random(n) < 0.1, rng.random(n) < 0.05]
    which, linked = net.pairs(via, ids)
    on = lists[0][linked] | lists[1][linked]
    expected = np.bincount(which, weights=on, minlength=ids.size) > 0
    got = linked_listed(net, via, ids, [bitset(n, np.flatnonzero(m)) for m in lists])
    assert np.array_equal(got, expected)
    assert 20 < expected.sum() < ids.size - 20  # both answers occur

