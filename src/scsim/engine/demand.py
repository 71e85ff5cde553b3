"""Service requests split into plain and special entities, so that their cost follows the
entities a rule can touch, not every request of the population.

A *plain* entity is one no rule and no mechanism can answer with anything but a grant, under
its recorded or its true state: on no list the rules read, in a tier no rule names, with no
listed tie a spill-over rule follows, not representing a listed firm. Every other entity is
*special*. Both are per group of services that read the same things
(engine/service_groups.py): a blacklisted person is special for the train and plain for a
hospital that only favours the top tier.
The requests of plain entities are all grants, so they are drawn as one Poisson count per
(entity kind, group) cell, with the sum of their rates. The requests of special entities are
drawn one by one (thinning over the list of special entities) and go through the rules.

Both are exact: a Poisson process split by a partition of the entities is the sum of the
processes of its parts. The sums of rates are kept up to date as entities move between the
two, which only happens when a score, a listing or a linked listing changes. The predicate
may over-include (a special entity that gets a grant costs time, not accuracy); a test
checks that no plain entity would be refused anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scsim.engine.candidates import keep_accepted, sorted_candidates
from scsim.engine.ids import union_sorted, unique
from scsim.engine.kernels import add_block, count_block
from scsim.engine.rows import bits_of, clear_bits, set_bits
from scsim.engine.service_groups import group_flips, service_groups
from scsim.engine.special_kernel import core_special
from scsim.engine.take import take
from scsim.modifiers import CompiledRate
from scsim.network.linked_listed import linked_listed
from scsim.population.attributes import KIND_CODE

if TYPE_CHECKING:
    from scsim.sim import Sim


class Demand:
    def __init__(self, sim: Sim, rates: list[tuple[int, str, CompiledRate]]):
        self.sim = sim
        pop = sim.pop
        self.rates = rates
        n_cells = len(pop.cell_labels)
        sanction = sim.sanction
        spill = sim.society.spill if sim.society is not None else None
        self.groups = service_groups(sanction.rules, sanction.service_tiers,
                                     spill.by_service if spill is not None else {},
                                     sanction.tier_mins)
        group = {si: g for g, grp in enumerate(self.groups) for si in grp.services}
        self.group_of = [group[si] for si, _, _ in rates]  # the group of each rate
        # Per group: a bit per entity (special), and the special ids of each kind, sorted
        # (with stale ones that left, dropped when they are half), as int32 while ids fit.
        self.special = [np.zeros((pop.n + 63) // 64, np.uint64) for _ in self.groups]
        self.id_dtype = np.int32 if pop.n < 2**31 else np.int64
        self.lists: list[dict[str, np.ndarray]] = [
            {k: np.empty(0, self.id_dtype) for k in pop.counts} for _ in self.groups]
        self.stale: list[dict[str, int]] = [dict.fromkeys(pop.counts, 0) for _ in self.groups]
        # Sum of request rates per cell: of everyone, and of the entities special for the
        # rate's group.
        self.lam_all = np.zeros((len(rates), n_cells))
        self.lam_special = np.zeros((len(rates), n_cells))
        sums: dict[tuple, np.ndarray] = {}  # services with the same modifiers share a sum
        for r, (_, _, rate) in enumerate(rates):
            if rate.key not in sums:
                sums[rate.key] = self._cell_sums(rate) / rate.max_per_day
            self.lam_all[r] = sums[rate.key] * rate.max_per_day
        self.events_seen = 0
        # From now on the score book keeps the entities whose scores crossed a boundary
        # between a special and a plain tier of some group: the only score moves that can
        # change sides.
        sim.scores.flips = group_flips(self.groups)
        sim.scores.track_changed = True
        # Every entity that is not an individual is special (few, and ratings apply).
        others = np.flatnonzero(np.asarray(pop.kind) != KIND_CODE["individual"])
        for g in range(len(self.groups)):
            self._set(g, others, np.ones(others.size, bool))
        self.refresh(self._moved_individuals())

    def _moved_individuals(self) -> np.ndarray:
        """The individuals the first refresh must test. Untouched ones (base scores, on no
        list) are plain unless the base tier is special (then all are tested). Those a firm
        or a tie makes special are found from the list events so far: the next refresh
        reads every event from the first (`events_seen` is 0), with the representatives and
        ties of each listed entity, instead of testing every individual's ties."""
        sim = self.sim
        st, off, n = sim.state, sim.pop.offsets["individual"], sim.pop.counts["individual"]
        base = np.array([sim.sc.scoring.base], np.float32)
        base_tier = int(sim.sanction.tier(base)[0])
        if any(grp.tiers[base_tier] for grp in self.groups):
            return np.arange(off, off + n)
        block = slice(off, off + n)  # slices: no gathers over every individual
        moved = (st.score[block] != base[0]) | (st.true_score[block] != base[0])
        for ls in st.lists:
            on = ls.members()
            moved[on[(on >= off) & (on < off + n)] - off] = True
        return np.flatnonzero(moved) + off

    # -- rates -------------------------------------------------------------------------
    def _cell_sums(self, rate: CompiledRate) -> np.ndarray:
        pop = self.sim.pop
        n_cells = len(pop.cell_labels)
        out = np.zeros(n_cells)
        off, n = pop.offsets[rate.kind], pop.counts[rate.kind]
        if rate.eligible is None and not rate.factors:  # no modifiers: a count per cell
            count_block(out, pop.cell[off:off + n])
            return out * rate.max_per_day
        size = n if rate.eligible is None else rate.eligible.size
        for start in range(0, size, 1 << 20):  # chunks keep temporaries small
            stop = min(start + (1 << 20), size)
            if rate.eligible is None:  # contiguous ids: slices, no gathers
                lam = rate.accept_prob(slice(start, stop), stop - start)
                lam *= rate.max_per_day  # in place: one temporary less per chunk
                cells = pop.cell[off + start:off + stop]
            else:
                part = rate.eligible.range(start, stop)
                lam = rate.accept_prob(part)
                lam *= rate.max_per_day
                cells = pop.cell[part + off]
            add_block(out, cells, lam)
        return out

    def _rate_of(self, rate: CompiledRate, ids: np.ndarray) -> np.ndarray:
        """Per-day request rate of these entities (all of the rate's kind)."""
        local = ids - self.sim.pop.offsets[rate.kind]
        lam = rate.accept_prob(local) * rate.max_per_day
        return np.where(rate.is_eligible(local), lam, 0.0) if rate.eligible is not None else lam

    # -- who is special ----------------------------------------------------------------
    def predicate(self, g: int, ids: np.ndarray, pairs: dict | None = None) -> np.ndarray:
        """True where a rule or mechanism of group g may answer an entity with other than a
        grant. `pairs`: what was found for these ids already, by link or spill-over rule
        (filled as found: rules of several groups may follow the same link)."""
        sim = self.sim
        st = sim.state
        grp = self.groups[g]
        out = core_special(ids, sim.scores.kind_starts, KIND_CODE["individual"],
                           [st.lists[li].words for li in grp.lists], st.score, st.true_score,
                           bool(grp.tiers[0]), grp.flips, bool(grp.tiers.any()))
        for li in grp.via_lists:
            out |= sim.sanction.joint.firm_listed(li, ids, False)
        found = {} if pairs is None else pairs
        for ri in grp.spill:
            out |= self._spill_on(ri, ids, found)
        return out

    def _spill_on(self, ri: int, ids: np.ndarray, found: dict) -> np.ndarray:
        """Whether an entity linked to each id by spill-over rule ri's link is on one of the
        rule's lists: a walk that stops at the first listed one for friends and household
        relations (network/linked_listed.py), the link's pairs for work links."""
        if ("rule", ri) not in found:
            spill, st = self.sim.society.spill, self.sim.state
            via = spill.rules[ri][1].via
            on = linked_listed(spill.net, via, ids, [st.lists[li].words for li in spill.lists[ri]])
            if on is None:
                if via not in found:
                    found[via] = spill.net.pairs(via, ids)
                which, linked = found[via]
                on = np.zeros(ids.size, bool)
                if linked.size:
                    on = np.bincount(which, weights=spill.listed(ri, linked)[0],
                                     minlength=ids.size) > 0
            found[("rule", ri)] = on
        return found[("rule", ri)]

    def changed_since_last(self) -> np.ndarray:
        """Entities whose status may have moved: scores changed, listings of themselves,
        of the firms they represent or of the ties a spill-over rule follows."""
        sim = self.sim
        parts = [np.concatenate(sim.scores.changed)] if sim.scores.changed else []
        sim.scores.changed = []
        events = sim.lists.events[self.events_seen:]
        self.events_seen = len(sim.lists.events)
        if events:
            listed = unique(np.concatenate([e["entity"] for e in events]))
            parts.append(listed)
            joint = sim.sanction.joint
            if joint is not None:
                parts.append(joint.rep_of(listed))
            spill = sim.society.spill if sim.society is not None else None
            if spill is not None:
                from scsim.network import REVERSE

                for _, rule in spill.rules:
                    parts.append(spill.net.pairs(REVERSE[rule.via], listed)[1])
        if not parts:
            return np.empty(0, np.int64)
        return unique(np.concatenate(parts).astype(np.int64))

    def refresh(self, ids: np.ndarray | None = None) -> None:
        if ids is None:
            ids = self.changed_since_last()
        if ids.size == 0:
            return
        found: dict = {}
        for g in range(len(self.groups)):
            self._set(g, ids, self.predicate(g, ids, found))

    def _set(self, g: int, ids: np.ndarray, now: np.ndarray) -> None:
        special = self.special[g]
        flip = now != bits_of(special, ids)
        if not flip.any():
            return
        ids, now = ids[flip], now[flip]
        set_bits(special, ids[now])
        clear_bits(special, ids[~now])
        pop = self.sim.pop
        kinds = pop.kind[ids]  # once: each rate and each kind below asks
        for r, (_, _, rate) in enumerate(self.rates):
            if self.group_of[r] != g:
                continue
            code = KIND_CODE[rate.kind]
            mine = kinds == code
            if not mine.any():
                continue
            e = ids[mine]
            sign = np.where(now[mine], 1.0, -1.0)
            self.lam_special[r] += np.bincount(pop.cell[e], weights=sign * self._rate_of(rate, e),
                                               minlength=self.lam_special.shape[1])
        lists, stale = self.lists[g], self.stale[g]
        for kind, code in KIND_CODE.items():
            pool = lists[kind]  # kept sorted: its draws come out in id order
            add = np.sort(ids[now & (kinds == code)])
            if add.size:  # one merge; those already in (special, or stale) stay once
                lists[kind] = union_sorted(pool, add, self.id_dtype)
            stale[kind] += int((~now & (kinds == code)).sum())
            if stale[kind] * 2 > lists[kind].size:
                lists[kind] = lists[kind][bits_of(special, lists[kind])]
                stale[kind] = 0

    def special_mask(self, g: int | None = None) -> np.ndarray:
        """Whether each entity is special for group g (for any group when None): a bool per
        entity, for tests and tables."""
        every = np.arange(self.sim.pop.n)
        if g is not None:
            return bits_of(self.special[g], every)
        out = np.zeros(every.size, bool)
        for special in self.special:
            out |= bits_of(special, every)
        return out

    # -- today's requests --------------------------------------------------------------
    def plain(self, r: int, rng: np.random.Generator) -> np.ndarray:
        """Requests of plain entities per cell (all granted)."""
        lam = np.maximum(self.lam_all[r] - self.lam_special[r], 0.0)
        return rng.poisson(lam)

    def special_requests(self, r: int, rng: np.random.Generator) -> np.ndarray:
        """Global ids of today's requests by special entities (one id per request)."""
        rate = self.rates[r][2]
        g = self.group_of[r]
        pool = self.lists[g][rate.kind]
        lam = pool.size * rate.max_per_day
        if pool.size == 0 or lam <= 0:
            return np.empty(0, np.int64)
        k = int(rng.poisson(lam))
        pos, u = sorted_candidates(rng, pool.size, k)  # the pool is sorted: so are the ids
        cand = take(pool, pos).astype(np.int64)
        ok = bits_of(self.special[g], cand)  # stale entries of the pool are no longer special
        if not ok.all():
            live = np.flatnonzero(ok)
            cand, u = cand[live], u[live]
        return keep_accepted(cand, u, self._rate_of(rate, cand) / rate.max_per_day, 0)
