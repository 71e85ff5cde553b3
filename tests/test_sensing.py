"""Identification methods: face false matches and their multipliers, phantoms, namesakes,
the online classifier, and the face trade-off curve. Tolerances are 4 standard deviations of
the binomial or Poisson count they check."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from scsim.engine.records import WRONG_CAUSES
from scsim.scenario.surveillance import FaceCfg
from scsim.sim import Sim
from scsim.surveillance.face import operating_point

SURVEIL = Path(__file__).parent / "data" / "surveil.toml"
ONLY_JAYWALK = ["conduct.default.rate=0", "conduct.rumour.rate=0", "conduct.post.rate=0"]
FACE, PHANTOM, NAMESAKE, FALSE_FLAG = (WRONG_CAUSES.index(c) for c in (
    "face_false_match", "phantom", "namesake", "online_false_flag"))


def run_collecting(sets: list[str], days: int | None = None):
    """Run surveil.toml and keep every record the sources submit (actor, entity, cause)."""
    sim = Sim(SURVEIL, sets=sets, days=days)
    sim.build()
    seen = []
    submit = sim.records.submit

    def keep(batch, land_day):
        seen.append(batch)
        submit(batch, land_day)

    sim.records.submit = keep
    res = sim.run()
    cols = {k: np.concatenate([getattr(b, k) for b in seen])
            for k in ("entity", "actor", "conduct", "cause")}
    return sim, res, cols


def within(got: float, expected: float, var: float) -> bool:
    return abs(got - expected) <= 4 * math.sqrt(max(var, 1e-12))


@pytest.fixture(scope="module")
def face_run():
    return run_collecting(ONLY_JAYWALK + ['sources.cam.face.sex_fpir={female=1.0, male=3.0}'])


def test_false_matches_are_n_times_fpir_times_multipliers(face_run):
    sim, res, rec = face_run
    f = 0.02
    ind = sim.pop.attrs["individual"]
    acts = res.to_df("entities")["acts"].to_numpy()[: sim.pop.counts["individual"]]
    wrong = rec["cause"] == FACE
    assert wrong.sum() > 300
    group_mult = {0: 1.0, 1: 3.0}  # a, b (surveil.toml)
    sex_mult = {0: 1.0, 1: 3.0}  # female, male (set above)
    for g, mg in group_mult.items():
        for s, ms in sex_mult.items():
            cell = (ind["group"] == g) & (ind["sex"] == s)
            n = int(acts[cell].sum())  # face sightings: coverage 1, detection 1
            p = f * mg * ms
            got = int((wrong & np.isin(rec["actor"], np.flatnonzero(cell))).sum())
            assert within(got, n * p, n * p * (1 - p)), (g, s, got, n * p)
    # Summed over actors the count is n x f x (mean multiplier) as well.
    n_all = int(acts.sum())
    mean_p = sum(f * group_mult[g] * sex_mult[s] * acts[(ind["group"] == g)
                                                         & (ind["sex"] == s)].sum()
                 for g in group_mult for s in sex_mult) / n_all
    assert within(int(wrong.sum()), n_all * mean_p, n_all * mean_p)


def test_false_matches_name_another_person_of_the_same_group_and_sex(face_run):
    sim, _, rec = face_run
    ind = sim.pop.attrs["individual"]
    wrong = rec["cause"] == FACE
    actor, named = rec["actor"][wrong], rec["entity"][wrong]
    assert (actor != named).all()
    assert (ind["group"][actor] == ind["group"][named]).all()
    assert (ind["sex"][actor] == ind["sex"][named]).all()
    # True records name the actor; misses leave no record: FNIR 0.1 of the non-false ones.
    true = rec["cause"] == 0
    assert (rec["entity"][true] == rec["actor"][true]).all()


def test_gallery_draws_respect_same_demographic_share():
    sim, _, rec = run_collecting(ONLY_JAYWALK + ["sources.cam.face.same_demographic=0.5"],
                                 days=60)
    ind = sim.pop.attrs["individual"]
    wrong = rec["cause"] == FACE
    a_actor = wrong & (ind["group"][np.maximum(rec["actor"], 0)] == 0)
    named_b = ind["group"][rec["entity"][a_actor]] == 1
    share_b = (ind["group"] == 1).mean()
    n, p = int(a_actor.sum()), 0.5 * share_b  # drawn from the whole gallery half the time
    assert within(int(named_b.sum()), n * p, n * p * (1 - p))


def test_phantoms_name_advertised_faces_for_acts_nobody_did():
    sets = ONLY_JAYWALK + ["sources.cam.face.phantom_rate=0.01",
                           "sources.cam.face.advert_faces=4"]
    sim, res, rec = run_collecting(sets, days=60)
    ph = rec["cause"] == PHANTOM
    sightings = int(res.to_df("daily")["acts_true"].sum())
    assert within(int(ph.sum()), 0.01 * sightings, 0.01 * sightings)
    assert (rec["actor"][ph] == -1).all()
    assert 1 <= np.unique(rec["entity"][ph]).size <= 4
    by_source = res.to_df("records_by_source")
    assert by_source["phantom"].sum() == ph.sum()


def test_namesake_collisions_rise_with_name_frequency():
    sets = ["conduct.jaywalk.rate=0", "conduct.rumour.rate=0", "conduct.post.rate=0",
            "conduct.default.rate=30", "sources.court.registry={name_match=0.5}",
            "population.names.top_share=0.005"]
    sim, _, rec = run_collecting(sets, days=60)
    names = next(s for s in sim.steps if s.name == "sense").sensing.models[1].names
    m = names.count[names.label_of(rec["actor"])]  # people sharing the actor's name
    wrong = rec["cause"] == NAMESAKE
    assert (rec["entity"][wrong] != rec["actor"][wrong]).all()
    rates = []
    for lo, hi in ((1, 1), (2, 6), (7, 20), (21, 10**9)):
        b = (m >= lo) & (m <= hi)
        n = int(b.sum())
        assert n > 200, (lo, hi, n)
        p = float((0.5 * (m[b] - 1) / m[b]).mean())  # name-matched, then a namesake
        got = int(wrong[b].sum())
        assert within(got, n * p, n * p * (1 - p)), (lo, hi, got, n * p)
        rates.append(got / n)
    assert rates[0] == 0 and rates == sorted(rates) and rates[-1] > 0.4


def test_online_classifier_recall_and_false_flags():
    sets = ["conduct.jaywalk.rate=0", "conduct.default.rate=0", "sources.web.latency_days=0"]
    _, res, rec = run_collecting(sets, days=60)
    c = res.to_df("daily_by_conduct").groupby("conduct")["acts_true"].sum()
    flags = rec["cause"] == FALSE_FLAG
    n_post, q = int(c["post"]), 0.01
    assert within(int(flags.sum()), n_post * q, n_post * q * (1 - q))
    conducts = list(Sim(SURVEIL).sc.conduct)
    assert (rec["conduct"][flags] == conducts.index("rumour")).all()  # flagged as a rumour
    true = (rec["cause"] == 0) & (rec["conduct"] == conducts.index("rumour"))
    n_rumour, r = int(c["rumour"]), 0.6
    assert within(int(true.sum()), n_rumour * r, n_rumour * r * (1 - r))
    # Ordinary posts leave no record of their own.
    assert not (rec["conduct"] == conducts.index("post")).any()
    src = res.to_df("records_by_source").groupby("source").sum(numeric_only=True)
    assert src.loc["web", "online_false_flag"] == flags.sum()


def test_online_precision_target():
    sets = ["conduct.jaywalk.rate=0", "conduct.default.rate=0",
            "sources.web.online.categories.rumour={recall=0.6, precision=0.8}"]
    _, _, rec = run_collecting(sets, days=60)
    tp = int((rec["cause"] == 0).sum())
    fp = int((rec["cause"] == FALSE_FLAG).sum())
    # Each day's false flags ~ Binomial(posts, true flags x 0.25 / posts): about Poisson.
    assert within(fp, 0.25 * tp, 0.25 * tp)


def test_trade_off_curve_and_gallery_growth():
    ref = operating_point(FaceCfg(), 1000)
    assert ref.fpir == 0.003 and ref.fnir == 0.10 and ref.threshold == pytest.approx(0.90)
    up = operating_point(FaceCfg(threshold=0.93), 1000)  # one decade up the threshold
    assert up.fpir == pytest.approx(0.0003) and up.fnir == pytest.approx(0.10 * 10 ** 0.25)
    by_fpir = operating_point(FaceCfg(fpir=0.0003), 1000)
    assert by_fpir.threshold == pytest.approx(0.93) and by_fpir.fnir == pytest.approx(up.fnir)
    conf = operating_point(FaceCfg(threshold=0.902), 1000)  # "match confidence 90.2 %"
    assert 0.0003 < conf.fpir < 0.003 and conf.fnir > 0.10
    # FPIR grows with the gallery searched: 1 - (1 - f)^(N / N_ref).
    big = operating_point(FaceCfg(fpir=0.003, reference_gallery=1_600_000), 16_000_000)
    assert big.fpir_gallery == pytest.approx(1 - 0.997 ** 10)
    small = operating_point(FaceCfg(fpir=0.003, reference_gallery=1_600_000), 160_000)
    assert small.fpir_gallery < 0.003 < big.fpir_gallery
    assert operating_point(FaceCfg(fpir=0.0), 10).fnir == 1.0


def test_identification_changes_only_its_own_source():
    base = Sim(SURVEIL, days=40).run().to_df("records_by_source")
    other = Sim(SURVEIL, days=40, sets=["sources.cam.face.fpir=0.2",
                                        "sources.cam.face.phantom_rate=0.05"]
                ).run().to_df("records_by_source")
    for name in ("court", "web"):
        a = base[base["source"] == name].reset_index(drop=True)
        b = other[other["source"] == name].reset_index(drop=True)
        assert a.equals(b)
    assert other[other["source"] == "cam"]["wrong"].sum() > 3 * base[
        base["source"] == "cam"]["wrong"].sum()


def test_coverage_by_urban_and_region_times_detection():
    sets = ["conduct.jaywalk.rate=0", "conduct.rumour.rate=0", "conduct.post.rate=0",
            "conduct.default.rate=20", "sources.court.coverage=0.5",
            "sources.court.detection=0.8", "sources.court.urban_factor={rural=0.25}",
            'sources.court.region_factor={"0"=2.0}']
    sim, res, rec = run_collecting(sets, days=60)
    ind = sim.pop.attrs["individual"]
    acts = res.to_df("entities")["acts"].to_numpy()[: sim.pop.counts["individual"]]
    got_by_actor = np.bincount(rec["actor"], minlength=acts.size)
    for urban, fu in ((0, 0.25), (1, 1.0)):
        for region0, fr in ((True, 2.0), (False, 1.0)):
            cell = (ind["urban"] == urban) & ((ind["region"] == 0) == region0)
            n, p = int(acts[cell].sum()), min(1.0, 0.5 * 0.8 * fu * fr)
            assert n > 300
            got = int(got_by_actor[cell].sum())
            assert within(got, n * p, n * p * (1 - p)), (urban, region0, got, n * p)


def test_camera_density_sets_coverage():
    from scsim.scenario.schema import SensingSource
    from scsim.surveillance.coverage import base_coverage

    src = SensingSource(department="police", cameras_per_1000=143, camera_reach=0.004)
    assert base_coverage(src) == pytest.approx(1 - math.exp(-0.572))
    denser = SensingSource(department="police", cameras_per_1000=400, camera_reach=0.004)
    assert base_coverage(src) < base_coverage(denser) < 1


@pytest.mark.parametrize("top_share", [0.00021, 0.01])  # a pool of 3.9 M names; of 1,800
def test_namesake_groups_hold_the_individuals_of_each_name(top_share):
    """Names stored and numbered (large pool) or recomputed from the key (small pool): each
    individual's group is its name, and a draw names a holder of the same name."""
    from scsim.engine.counter_rng import key_from
    from scsim.engine.ids import unique_inverse
    from scsim.rng import Streams
    from scsim.scenario.schema import Names
    from scsim.surveillance.names import NameIndex, draw_names, namesake_buckets

    cfg = Names(top_share=top_share)
    n = 50_000
    names = namesake_buckets(cfg, n, Streams(3))
    assert isinstance(names, NameIndex) == (top_share > 0.001)  # both kinds are built
    ranks = draw_names(cfg, np.arange(n), key_from(Streams(3).get("population:names")))
    labels = names.label_of(np.arange(n)).astype(np.int64)
    want = ranks if isinstance(names, NameIndex) else unique_inverse(ranks)[1].reshape(-1)
    assert np.array_equal(labels, want)
    assert np.array_equal(names.count[labels], np.bincount(labels)[labels])
    ids = np.arange(0, n, 7)
    got = names.draw(ids, np.random.default_rng(1).random(ids.size), exclude_self=False)
    assert np.array_equal(names.label_of(got), names.label_of(ids))
    assert (got != ids).mean() > (0.5 if top_share > 0.001 else 0.001)


def test_buckets_draw_another_member_uniformly():
    """A draw excluding the item picks each other member of its group (or of the gallery)
    equally often, never the item; a group with no other member gives -1."""
    from scsim.surveillance.buckets import Buckets

    labels = np.array([0, 1, 1, 1, 1, 2, 1])
    member = np.array([True, True, True, False, True, True, True])
    b = Buckets(labels, member=member)
    assert b.members == 6 and np.array_equal(b.count, [1, 4, 1])
    rng = np.random.default_rng(4)
    k = 40_000
    for same, others in ((True, [2, 4, 6]), (False, [0, 2, 4, 5, 6])):
        got = b.draw(np.full(k, 1), rng.random(k), same=same)
        assert set(np.unique(got)) == set(others)  # never itself, never the non-member 3
        counts = np.bincount(got, minlength=7)[others]
        p = 1 / len(others)
        assert np.all(np.abs(counts - k * p) < 5 * math.sqrt(k * p * (1 - p)))
    assert (b.draw(np.array([0, 5]), np.array([0.3, 0.9])) == -1).all()  # alone in group
    # A non-member (not enrolled) draws among all the members of its group.
    assert set(np.unique(b.draw(np.full(k, 3), rng.random(k)))) == {1, 2, 4, 6}


def test_misflag_labels_each_category_at_its_rate():
    from scsim.surveillance.draws import misflag

    k = 200_000
    seen = np.arange(k) % 4 != 0  # a quarter unseen: never flagged
    rates = np.array([0.01, 0.05, 0.002])
    cause = np.zeros(k, np.uint8)
    flagged, conduct = misflag(np.uint64(11), seen, rates, np.array([7, 8, 9]), 3, 5, cause)
    assert not flagged[~seen].any() and (conduct[~flagged] == 3).all()
    assert np.array_equal(cause != 0, flagged) and (cause[flagged] == 5).all()
    n = int(seen.sum())
    for c, q in zip((7, 8, 9), rates, strict=True):
        got = int((conduct == c).sum())
        assert abs(got - n * q) < 5 * math.sqrt(n * q * (1 - q)), (c, got, n * q)


@pytest.mark.parametrize("enrolled", [1.0, 0.5, 0.05])
def test_gallery_draws_each_other_qualifying_member_equally_often(enrolled):
    """Rejection (large demographics), listed members (small ones) and whole-gallery draws:
    each enrolled individual of the right demographic other than the searcher is equally
    likely, and the searcher never comes back."""
    from scsim.surveillance.gallery import Gallery

    rng = np.random.default_rng(6)
    n = 4000
    group = (rng.random(n) < 0.06).astype(np.uint8)  # group 1: 6 %, listed
    sex = (rng.random(n) < 0.5).astype(np.uint8)
    member = None if enrolled == 1.0 else rng.random(n) < enrolled
    g = Gallery(group, sex, member)
    ok = np.ones(n, bool) if member is None else member
    label = 2 * group.astype(np.int64) + sex
    k = 60_000
    for searcher in (int(np.flatnonzero((group == 0) & ok)[0]),
                     int(np.flatnonzero((group == 1) & ok)[0])):
        for same in (True, False):
            got = g.draw(np.full(k, searcher), same, np.uint64(9 + same))
            want = ok.copy()
            want[searcher] = False
            if same:
                want &= label == label[searcher]
            assert set(np.unique(got)) <= set(np.flatnonzero(want))
            counts = np.bincount(got, minlength=n)[want]
            p = 1 / want.sum()  # each qualifying member: binomial(k, p), 6 sd of slack
            assert np.all(np.abs(counts - k * p) < 6 * math.sqrt(k * p * (1 - p)) + 1)
            assert got.size == k and (got >= 0).all()


@pytest.mark.parametrize("enrolled", [1.0, 0.6])
def test_face_kernel_decides_as_the_numpy_rule(enrolled):
    """The fused pass over sightings gives, to the bit, the rule written in NumPy: a false
    match when u < p (p: the group's and sex's multipliers of FPIR, times mated_fp when
    enrolled, capped at 1), a true one when not, enrolled and u < p + (1 - p)(1 - fnir)."""
    from scsim.engine.counter_rng import uniforms
    from scsim.surveillance.face_kernel import decide_sightings

    sim = Sim(SURVEIL, sets=[f"sources.cam.face.enrolled={enrolled}",
                             "sources.cam.face.fpir=0.2", "sources.cam.face.fnir=0.3",
                             "sources.cam.face.group_fpir={b=4.0}",
                             "sources.cam.face.sex_fpir={female=1.0, male=3.0}"], days=2)
    sim.build()
    sensing = next(s for s in sim.steps if s.name == "sense").sensing
    model = next(m for m in sensing.models if hasattr(m, "gallery"))
    local = np.sort(np.random.default_rng(2).integers(0, model.group.size, 50_000))
    u = uniforms(np.uint64(99), local.size)
    member = model.gallery.enrolled(local)
    p = model.point.fpir_gallery * model.group_mult[model.group[local]] \
        * model.sex_mult[model.sex[local]]
    p = np.minimum(np.where(member, p * model.cfg.mated_fp, p), 1.0)
    false, hit, named = decide_sightings(
        np.uint64(99), local + model.offset, model.offset, model.group, model.sex,
        model.group_mult, model.sex_mult, model.point.fpir_gallery, model.gallery.member,
        model.cfg.mated_fp, model.point.fnir)
    assert np.array_equal(false, u < p)
    assert np.array_equal(hit, ~(u < p) & member & (u < p + (1 - p) * (1 - model.point.fnir)))
    assert np.array_equal(named, np.where(hit, local + model.offset, -1))
    assert 1000 < false.sum() and 1000 < hit.sum() and (member.mean() < 1) == (enrolled < 1)
