"""Step 6, sanction: services consult the platform when entities ask for them.

Requests are events (a Poisson stream per service and kind, thinned by demand modifiers).
Each request goes through the service's rules in order and the first that matches decides:
grant, a sanction (deny, restrict, surcharge, delay) or a perk (discount, priority,
waive_deposit, free). The same rules are applied to the entity's true state (true score,
listings that rest on true records); a sanction or perk that the true state would not give
rests on a wrong record and is counted as wrongful.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.decide_kernel import ATLEAST, BELOW, LIST, decide_both
from scsim.engine.service_groups import special_tiers
from scsim.modifiers import compile_rate, draw_events
from scsim.scenario.schema import PERKS, SANCTIONS
from scsim.steps.base import Step

ACTIONS = ("grant", *SANCTIONS, *PERKS)
GRANT = 0
IS_SANCTION = np.array([a in SANCTIONS for a in ACTIONS])
IS_PERK = np.array([a in PERKS for a in ACTIONS])
DENY = ACTIONS.index("deny")


class Sanction(Step):
    name = "sanction"
    purpose = "services grant, deny, discount or prioritise by lists and tiers"

    def __init__(self, sim):
        super().__init__(sim)
        sc = sim.sc
        self.day = 0
        self.names = list(sc.services)
        self.rates = []
        for si, (sname, svc) in enumerate(sc.services.items()):
            for kind in svc.kinds:
                self.rates.append((si, sname, compile_rate(sim.pop, kind, svc.demand,
                                                           svc.modifiers)))
        lists = list(sc.lists)
        self.tier_mins = np.array([t.min for t in sc.scoring.tiers], np.float64)
        tiers = [t.name for t in sc.scoring.tiers]
        # Rules compiled to (condition type, argument, action code) tuples.
        self.rules = []
        ratings = sim.mechanism("ratings")
        self.joint = sim.mechanism("joint_punishment")
        for svc in sc.services.values():
            compiled = []
            for r in svc.rules:
                if r.list is not None and r.via is not None:
                    compiled.append(("via", lists.index(r.list), ACTIONS.index(r.action)))
                elif r.list is not None:
                    compiled.append(("list", lists.index(r.list), ACTIONS.index(r.action)))
                elif r.tier_below is not None:
                    compiled.append(("below", tiers.index(r.tier_below), ACTIONS.index(r.action)))
                elif r.tier_at_least is not None:
                    compiled.append(("atleast", tiers.index(r.tier_at_least),
                                     ACTIONS.index(r.action)))
                else:  # a grade of a rating (scsim.orgs.ratings)
                    book = ratings.book(r.rating)
                    below = r.rating_below is not None
                    grade = book.grade_names.index(r.rating_below if below else r.rating_at_least)
                    compiled.append(("rating_below" if below else "rating_at_least",
                                     (book, grade), ACTIONS.index(r.action)))
            self.rules.append(compiled)
        # Per service: which rule (by index; -1 = none, the last entry) acts through a firm.
        self.via_rule = [np.array([c == "via" for c, _, _ in rules] + [False])
                         for rules in self.rules]
        self.via_list = [np.array([a if c == "via" else -1 for c, a, _ in rules] + [-1])
                         for rules in self.rules]
        self.decided_by = np.zeros(0, np.int64)  # rule index of each request of the last decide
        # Services whose rules read lists and tiers only: one kernel decides both states.
        codes = {"list": LIST, "below": BELOW, "atleast": ATLEAST}
        self.coded = [None if any(c not in codes for c, _, _ in rules) else
                      (np.array([codes[c] for c, _, _ in rules], np.int64),
                       np.array([a for _, a, _ in rules], np.int64),
                       np.array([x for _, _, x in rules], np.int64))
                      for rules in self.rules]
        # Tiers some rule of a service can match: entities in them (or truly in them) are
        # special for that service (engine/demand.py).
        self.service_tiers = [special_tiers(rules, len(tiers)) for rules in self.rules]
        # Ratings of individuals would make every individual special: no split then.
        rated_people = any("individual" in r.kinds for r in sc.ratings.values())
        self.aggregate = sc.run.aggregate_requests and not rated_people
        self.demand = None  # built on the first day, when every mechanism exists

    def tier(self, score: np.ndarray) -> np.ndarray:
        """Tier index (0 = highest); scores below every tier's min fall in the lowest."""
        if self.tier_mins.size == 0:
            return np.zeros(score.shape, np.int64)
        idx = np.searchsorted(-self.tier_mins, -score.astype(np.float64), side="left")
        return np.minimum(idx, self.tier_mins.size - 1)

    def decide_both(self, si: int, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                             np.ndarray]:
        """(action, true action, deciding rule) per request: the kernel where the service's
        rules are lists and tiers and every listing is visible to it, else `decide` twice."""
        sim = self.sim
        coded = self.coded[si]
        st = sim.state
        if coded is not None and st.lists:
            return decide_both(ids, st.score, st.true_score, self.tier_mins, st.lists,
                               *coded, *self._visibility(si), self.day)
        act = self.decide(si, ids, truth=False)
        rule = self.decided_by
        return act, self.decide(si, ids, truth=True), rule

    def _visibility(self, si: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per rule of service si: the sharing rate and delay of its list's listings (rate
        -1: all seen), and each list's sharing key, for the decide kernel."""
        cond, arg, _ = self.coded[si]
        rate, delay = np.full(cond.size, -1.0), np.zeros(cond.size, np.int64)
        plat = self.sim.platform
        if plat.on:
            for r in np.flatnonzero(cond == LIST):
                seen = plat.listing_rule[si][arg[r]]
                if seen is not None:
                    rate[r], delay[r] = seen
        keys = (plat.listing_key if plat.on
                else np.zeros(len(self.sim.state.lists), np.uint64))
        return rate, delay, keys

    def decide(self, si: int, ids: np.ndarray, truth: bool) -> np.ndarray:
        st = self.sim.state
        score = st.true_score[ids] if truth else st.score[ids]
        tier = self.tier(score)
        action = np.full(ids.size, GRANT, np.int64)
        rule = np.full(ids.size, -1, np.int64)
        open_ = np.ones(ids.size, bool)
        for ri, (cond, arg, act) in enumerate(self.rules[si]):
            if cond == "list":
                ls = st.lists[arg]
                m = ls.listed(ids)
                if truth:
                    m &= ~ls.wrongful(ids)
                seen = self.sim.platform.sees_listing(si, arg, ids, self.day)
                if seen is not None:  # another department's list: only what it shared
                    m &= seen
            elif cond == "below":
                m = tier > arg
            elif cond == "atleast":
                m = tier <= arg
            elif cond == "via":
                m = self.joint.firm_listed(arg, ids, truth)
            else:
                book, grade = arg
                g = book.grades(ids, 1 if truth else 0)
                m = g > grade if cond == "rating_below" else (g >= 0) & (g <= grade)
            m &= open_
            action[m] = act
            rule[m] = ri
            open_ &= ~m
        self.decided_by = rule
        return action

    def step(self, day: int) -> None:
        sim = self.sim
        tally = sim.tally
        self.day = day
        if self.aggregate:
            if self.demand is None:
                from scsim.engine.demand import Demand

                self.demand = Demand(sim, self.rates)
            self.demand.refresh()
        for r, (si, sname, rate) in enumerate(self.rates):
            rng = sim.streams.get(f"request:{sname}:{rate.kind}", day)
            if self.demand is not None:
                plain = self.demand.plain(r, rng)  # granted, counted per cell
                for name in ("requests", "grants"):
                    tally.add_cells(name, plain)
                    tally.add_service(name, si, int(plain.sum()))
                ids = self.demand.special_requests(r, rng)
            else:
                ids = draw_events(rate, sim.pop, rng)
            if ids.size == 0:
                continue
            act, true_act, rule = self.decide_both(si, ids)
            if sim.society is not None:  # spill-over: a linked entity's listing
                act, true_act = sim.society.spill_decisions(si, ids, act, true_act, day)
            sanction, perk = IS_SANCTION[act], IS_PERK[act]
            wrongful = act != true_act
            if self.joint is not None:  # sanctions through a firm the person represents
                spill = self.via_rule[si][rule] & sanction
                self.joint.record(day, si, self.via_list[si][rule[spill]], ids[spill],
                                  wrongful[spill])
            deny = act == DENY
            tally.add_actions(si, ids, act, wrongful, DENY, IS_SANCTION, IS_PERK)
            sim.state.bump("denials", ids[deny])
            sim.state.bump("denials_wrongful", ids[deny & wrongful])
            sim.state.bump("sanctions", ids[sanction])
            sim.state.bump("perks", ids[perk])
            for name, mask in (("denials_wrongful", deny), ("sanctions_wrongful", sanction),
                               ("perks_wrongful", perk)):
                sim.provenance.wrongful(name, ids[mask & wrongful])
            sim.today.sanctioned.append((ids[sanction], wrongful[sanction]))
