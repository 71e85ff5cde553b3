"""Grievance, legitimacy and protest (Epstein 2002, "Modeling civil violence", PNAS 99).

Every individual has hardship H and risk aversion R (drawn attributes) and a perceived
legitimacy L of the authorities, starting at its loyalty. Grievance G = H (1 - L). The
estimated arrest probability is P = 1 - exp(-k C / A): C the local enforcement density (cops
times the coverage of the protest act's source, scaled by the region's urban share, since
cameras and police gather in cities), A = 1 + the tie-weighted number of active protesters
among its friends and household. An individual reconsiders `activation_per_year` times a
year on average (a Poisson stream of activations: cost grows with activations, not with
individuals x days) and is active while G - R P > T. An active individual protests (an act
of `conduct`) with `protest_prob` a day; a record of its protest (an arrest) makes it quiet.

Legitimacy falls by `wrongful_seen` (a share) for each wrongful sanction or listing seen on
oneself or a tie, and regains `rightful_seen` of the way to 1 for each rightful one; shaming
of a friend lowers it too (the shaming stage calls `lower_legitimacy`).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.candidates import sorted_candidates
from scsim.engine.counter_rng import stream_uniforms
from scsim.engine.ids import distinct_sorted, sum_by_value, union_sorted, unique
from scsim.engine.rows import bits_of, clear_bits, set_bits
from scsim.engine.serial_twin import SERIAL_BELOW, SERIAL_BELOW_READS
from scsim.engine.take import take
from scsim.population.attributes import UNIT_CODE_MAX, unit_values
from scsim.scenario.society import Grievance as GrievanceCfg
from scsim.society.epstein_class import (
    classify_all,
    grievance_and_risk,
    grievance_and_risk_serial,
    reclassify,
    reclassify_serial,
    sure_and_open,
    sure_and_open_serial,
)
from scsim.society.near_kernel import active_near, mark_near

_NONE = np.empty(0, np.int64)


class GrievanceStage:
    def __init__(self, sim, net, cfg: GrievanceCfg):
        self.sim, self.net, self.cfg = sim, net, cfg
        ind = sim.pop.attrs["individual"]
        self.n = sim.pop.counts["individual"]
        self.legitimacy = unit_values(ind["loyalty"]).astype(np.float16)
        self.active = np.zeros((self.n + 63) // 64, np.uint64)  # a bit per individual
        self.active_ids = np.empty(0, np.int64)
        # A bit per individual: clear means it sees no active agent (society/near_kernel.py).
        self.near = np.zeros_like(self.active)
        self.conduct = list(sim.sc.conduct).index(cfg.conduct)
        source = sim.sc.sources[sim.sc.conduct[cfg.conduct].source]
        region = ind["region"].astype(np.int64)
        n_reg = int(region.max(initial=0)) + 1
        urban = np.bincount(region, weights=ind["urban"], minlength=n_reg)
        urban_share = urban / np.maximum(np.bincount(region, minlength=n_reg), 1)
        mean = float(ind["urban"].mean()) if self.n else 1.0
        self.enforcement = cfg.cops * source.coverage * urban_share / max(mean, 1e-9)
        self.region = ind["region"]
        self.arrests = 0
        # Each individual's side of the threshold before counting (society/epstein_class.py).
        unit = 1.0 / UNIT_CODE_MAX if ind["hardship"].dtype == np.uint16 else 1.0
        self._epstein = (ind["hardship"], ind["risk_aversion"], float(cfg.threshold), unit)
        self.classes = classify_all(ind["hardship"], self.legitimacy.view(np.uint16),
                                    ind["risk_aversion"], float(cfg.threshold), unit)

    # -- legitimacy ------------------------------------------------------------------------
    def _kept(self, ids: np.ndarray, share: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Distinct individuals among ids, and the product of (1 - share) of their occurrences."""
        ids = np.asarray(ids, np.int64)
        m = ids < self.n
        ids, share = ids[m], np.broadcast_to(share, m.shape)[m]
        uniq, log_keep = sum_by_value(ids, np.log1p(-np.minimum(share, 1 - 1e-9)))
        return uniq, np.exp(log_keep)

    def lower_legitimacy(self, ids: np.ndarray, share: np.ndarray) -> None:
        """Each occurrence lowers the individual's legitimacy by `share` of it."""
        uniq, keep = self._kept(ids, share)
        self.legitimacy[uniq] = (take(self.legitimacy, uniq) * keep).astype(np.float16)
        self._reclassify(uniq)

    def raise_legitimacy(self, ids: np.ndarray, share: np.ndarray) -> None:
        """Each occurrence moves legitimacy `share` of the way to 1."""
        uniq, keep = self._kept(ids, share)
        gap = 1 - take(self.legitimacy, uniq).astype(np.float64)
        self.legitimacy[uniq] = (1 - gap * keep).astype(np.float16)
        self._reclassify(uniq)

    def _reclassify(self, ids: np.ndarray) -> None:
        hardship, risk, threshold, unit = self._epstein
        ids = np.ascontiguousarray(ids, np.int64)
        again = reclassify if ids.size >= SERIAL_BELOW_READS else reclassify_serial
        again(ids, hardship,
                   self.legitimacy.view(np.uint16), risk, threshold, unit, self.classes)

    def seen(self, ids: np.ndarray, wrongful: np.ndarray) -> None:
        """Sanctions (or listings) of these entities are seen by themselves and their ties."""
        if ids.size == 0:
            return
        cfg = self.cfg
        if self.net is not None:
            which, tie, w = self.net.ties(ids)
        else:
            which, tie, w = (np.empty(0, np.int64),) * 2 + (np.empty(0),)
        who = np.concatenate([ids, tie])
        wrong = np.concatenate([wrongful, wrongful[which]])
        weight = np.concatenate([np.ones(ids.size), w])
        if cfg.wrongful_seen > 0:
            self.lower_legitimacy(who[wrong], cfg.wrongful_seen * weight[wrong])
        if cfg.rightful_seen > 0:
            self.raise_legitimacy(who[~wrong], cfg.rightful_seen * weight[~wrong])

    # -- protest ---------------------------------------------------------------------------
    def protest_acts(self, day: int) -> np.ndarray:
        """Today's protest acts by active individuals (ids, one per act)."""
        rng = self.sim.streams.get("grievance:protest", day)
        ids = self.active_ids[stream_uniforms(rng, self.active_ids.size)[0] < self.cfg.protest_prob]
        self.sim.tally.add("protests", ids)
        return ids

    def step(self, day: int) -> None:
        sim, cfg = self.sim, self.cfg
        landed = sim.today.landed
        if landed.size and self.active_ids.size:
            hit = landed.entity[(landed.conduct == self.conduct) & (landed.entity < self.n)]
            arrested = unique(hit[self.is_active(hit)])
            self.arrests += arrested.size
            self._set(arrested, np.zeros(arrested.size, bool))
        rng = sim.streams.get("grievance:activate", day)
        k = int(rng.poisson(self.n * cfg.activation_per_year / 365.0)) if self.n else 0
        # Sorted uniform picks, drawn in parallel (engine/candidates.py): no sort to undo.
        cand = distinct_sorted(sorted_candidates(rng, self.n, k)[0]) if k else _NONE
        if cand.size:
            self._set(cand, self.decide(cand))
        sim.tally.add("protesters", self.active_ids)

    def decide(self, ids: np.ndarray) -> np.ndarray:
        """Epstein's rule for these individuals, on today's state: G - R P > T."""
        cfg = self.cfg
        hardship, risk_aversion, threshold, unit = self._epstein
        ids = np.ascontiguousarray(ids, np.int64)
        # 0 <= P <= 1, so G - R P lies between G - R and G (for R >= 0): most individuals
        # are decided by their class, without counting the active agents they see (the
        # costly part) or reading their H, L and R.
        out, is_open = (sure_and_open if ids.size >= SERIAL_BELOW else sure_and_open_serial)(
            ids, self.classes)
        open_ = np.flatnonzero(is_open)
        if open_.size == 0:
            return out
        who = ids[open_]
        g_and_r = (grievance_and_risk if who.size >= SERIAL_BELOW_READS
                   else grievance_and_risk_serial)
        grievance, risk = g_and_r(who, hardship, self.legitimacy.view(np.uint16),
                                             risk_aversion, unit)
        actives = np.ones(who.size)  # A counts the individual itself, as in Epstein
        if self.net is not None:  # friends (by tie strength) and household in vision
            actives += active_near(self.net, who, self.active, self.near)
        p = 1 - np.exp(-cfg.k * self.enforcement[take(self.region, who)] / actives)
        out[open_] = grievance - risk * p > threshold
        return out

    def _set(self, ids: np.ndarray, on: np.ndarray) -> None:
        if ids.size == 0:
            return
        was = self.is_active(ids)  # ids: sorted and distinct (drawn through `unique`)
        turned, quieted = ids[on & ~was], ids[~on & was]  # at 1e7: ~1,500 of 316,000 a day
        if quieted.size:
            clear_bits(self.active, quieted)
            self.active_ids = self.active_ids[self.is_active(self.active_ids)]
        if turned.size:
            set_bits(self.active, turned)
            self.active_ids = union_sorted(self.active_ids, turned)
            if self.net is not None:
                mark_near(self.net, turned, self.near)

    def is_active(self, ids: np.ndarray) -> np.ndarray:
        return bits_of(self.active, ids)

    def make_active(self, ids: np.ndarray) -> None:
        """These individuals active, every other quiet (a starting state, for tests)."""
        self.active[:] = 0
        self.near[:] = 0
        self.active_ids = unique(np.asarray(ids, np.int64))
        set_bits(self.active, self.active_ids)
        if self.net is not None:
            mark_near(self.net, self.active_ids, self.near)

    def nbytes(self) -> int:
        return int(self.legitimacy.nbytes + self.active.nbytes + self.near.nbytes
                   + self.classes.nbytes)
