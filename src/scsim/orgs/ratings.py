"""Ratings: grade scales with ledgers of their own, such as the tax credit rating (A/B/C/D).

A rating is separate from the individual points and tiers of `[scoring]`: it counts only the
conduct it names, on its own scale (0 to 100 with A >= 90 for the tax credit rating), and its
grades are refreshed on evaluation days. Three ledgers run side by side over the id range of
the rated kinds: what the platform holds (0), what true records alone give (1, for wrongful
decisions) and what the entity's own records give without those a credit cascade caused
(2, for "listed because someone else did not pay"). Rated records expire like the
scenario's records and can be reviewed (the rating's own appeal).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scsim.engine.ids import sum_by_value, unique
from scsim.engine.state import ENTRY_REASONS
from scsim.engine.undo import UndoLedger
from scsim.mechanisms import Mechanism
from scsim.population.attributes import KIND_CODE, KINDS

BY_RATING = ENTRY_REASONS.index("rating")
RECORDED, TRUE, OWN = 0, 1, 2


class RatingBook:
    """One rating: ledgers and grades over the id span of its kinds."""

    def __init__(self, sim, name: str, cfg):
        pop, sc = sim.pop, sim.sc
        self.sim, self.name, self.cfg = sim, name, cfg
        self.lo = min(pop.offsets[k] for k in cfg.kinds)
        self.hi = max(pop.offsets[k] + pop.counts[k] for k in cfg.kinds)
        self.kind_ok = np.zeros(len(KINDS), bool)
        self.kind_ok[[KIND_CODE[k] for k in cfg.kinds]] = True
        self.grade_names = [g.name for g in cfg.grades]
        self.mins = np.array([g.min for g in cfg.grades], np.float64)
        self.bounds = (np.float32(cfg.min), np.float32(cfg.max))
        n = self.hi - self.lo
        self.ledger = np.full((3, n), cfg.base, np.float32)
        self.grade = np.full((3, n), self.grade_of(np.array([cfg.base]))[0], np.int16)
        self.points = np.array([float(cfg.points.get(c, 0.0)) for c in sc.conduct], np.float64)
        default = sc.restoration.record_expiry_days
        self.expiry = np.array([
            cfg.expiry_days if cfg.expiry_days is not None
            else c.expiry_days if c.expiry_days is not None
            else default if default is not None else -1
            for c in sc.conduct.values()], np.int64)
        # Local ids whose ledgers moved since the last evaluation; the first evaluation takes
        # every rated entity, so that grade lists start full (every firm starts at base).
        every = np.arange(n)
        self.pending: list[np.ndarray] = [every[self.kind_ok[pop.kind[every + self.lo]]]]
        self.serials = UndoLedger()  # expiry or review: whichever comes first applies

    def grade_of(self, values: np.ndarray) -> np.ndarray:
        """Grade index (0 = highest) for ledger values; below every min is the lowest."""
        idx = np.searchsorted(-self.mins, -np.asarray(values, np.float64), side="left")
        return np.minimum(idx, self.mins.size - 1).astype(np.int16)

    def rated(self, ids: np.ndarray) -> np.ndarray:
        m = (ids >= self.lo) & (ids < self.hi)
        m[m] = self.kind_ok[self.sim.pop.kind[ids[m]]]
        return m

    def grades(self, ids: np.ndarray, row: int = RECORDED) -> np.ndarray:
        """Current grade index of each entity (-1 where the rating does not rate it)."""
        out = np.full(ids.size, -1, np.int16)
        m = self.rated(ids)
        out[m] = self.grade[row, ids[m] - self.lo]
        return out

    # -- ledger ----------------------------------------------------------------------------
    def change(self, local: np.ndarray, pts: np.ndarray, true: np.ndarray,
               own: np.ndarray) -> None:
        uniq, *deltas = sum_by_value(local, pts, np.where(true, pts, 0.0),
                                     np.where(own, pts, 0.0))
        lo, hi = self.bounds
        for row, delta in zip((RECORDED, TRUE, OWN), deltas, strict=True):
            self.ledger[row, uniq] = np.clip(self.ledger[row, uniq] + delta, lo, hi)
        self.pending.append(uniq)

    def land(self, day: int, landed) -> None:
        """Rated records that reached the platform today; schedule their expiry and review."""
        if landed.size == 0:
            return
        pts = self.points[landed.conduct]
        m = pts != 0
        m[m] = self.rated(landed.entity[m])
        if not m.any():
            return
        sim, rv = self.sim, self.cfg.review
        local, p = landed.entity[m] - self.lo, pts[m]
        wrong = landed.wrong[m]
        induced = (landed.origin[m] >= 0) & ~wrong
        self.change(local, p, ~wrong, ~induced)
        k = local.size
        upheld = np.zeros(k, bool)
        if rv is not None:
            rng = sim.streams.get(f"rating:{self.name}:review", day)
            u_file, u_win = rng.random(k), rng.random(k)
            filed = (p < 0) & (u_file < rv.file_prob)
            upheld = filed & (u_win < np.where(wrong, rv.success_if_wrong, rv.success_if_right))
            sim.tally.add("appeals_filed", landed.entity[m][filed])
        exp = self.expiry[landed.conduct[m]]
        expires = exp >= 0
        track = expires | upheld
        serial = self.serials.issue(track)
        cols = dict(local=local, points=p, wrong=wrong, induced=induced, serial=serial)
        when_review = day + (rv.days_to_decide if rv is not None else 0)
        for kind, mask, when in (("expire", expires, day + exp),
                                 ("review", upheld, np.full(k, when_review))):
            due = mask & (when < sim.days)
            if due.any():
                sim.calendar.schedule(when[due], f"rating:{self.name}:{kind}",
                                      **{c: v[due] for c, v in cols.items()})

    def undo(self, day: int) -> None:
        for kind in ("expire", "review"):
            ev = self.sim.calendar.pop(day, f"rating:{self.name}:{kind}")
            if ev is None:
                continue
            fresh = self.serials.first_time(ev["serial"])
            ev = {c: v[fresh] for c, v in ev.items()}
            if ev["local"].size == 0:
                continue
            self.change(ev["local"], -ev["points"], ~ev["wrong"], ~ev["induced"])
            if kind == "review":
                self.sim.tally.add("appeals_upheld", ev["local"] + self.lo)

    def evaluate(self, day: int) -> np.ndarray:
        """On evaluation days, refresh the grades of entities whose ledgers moved."""
        if (day + 1) % self.cfg.evaluate_every_days != 0 or not self.pending:
            return np.empty(0, np.int64)
        uniq = unique(np.concatenate(self.pending))
        self.pending = []
        for row in (RECORDED, TRUE, OWN):
            self.grade[row, uniq] = self.grade_of(self.ledger[row, uniq])
        return uniq.astype(np.int64) + self.lo


class Ratings(Mechanism):
    """All ratings of the scenario, and the lists that enter on a grade."""

    name = "ratings"
    after = ("score", "list")

    def __init__(self, sim):
        super().__init__(sim)
        sc = sim.sc
        self.books = [RatingBook(sim, name, cfg) for name, cfg in sc.ratings.items()]
        self.index = {b.name: i for i, b in enumerate(self.books)}
        # (list index, book, black?, grade index) for lists that enter on a grade
        self.graded_lists = []
        for li, cfg in enumerate(sc.lists.values()):
            if cfg.rating is None:
                continue
            book = self.book(cfg.rating)
            black = cfg.type == "black"
            grade = cfg.rating_below if black else cfg.rating_at_least
            self.graded_lists.append((li, book, black, book.grade_names.index(grade)))
        self.evaluated = [np.empty(0, np.int64) for _ in self.books]

    def book(self, name: str) -> RatingBook:
        return self.books[self.index[name]]

    def after_step(self, step: str, day: int) -> None:
        if step == "score":
            for i, b in enumerate(self.books):
                b.land(day, self.sim.today.landed)
                b.undo(day)
                self.evaluated[i] = b.evaluate(day)
        else:
            for li, book, black, gi in self.graded_lists:
                ids = self.evaluated[self.books.index(book)]
                if ids.size:
                    self._evaluate_list(day, li, book, black, gi, ids)

    @staticmethod
    def _hit(g: np.ndarray, black: bool, gi: int) -> np.ndarray:
        return g > gi if black else (g >= 0) & (g <= gi)

    def _evaluate_list(self, day: int, li: int, book: RatingBook, black: bool, gi: int,
                       ids: np.ndarray) -> None:
        sim = self.sim
        ids = ids[sim.lists.kind_ok[li][sim.pop.kind[ids]]]
        hit = self._hit(book.grades(ids, RECORDED), black, gi)
        true_hit = self._hit(book.grades(ids, TRUE), black, gi)
        ls = sim.state.lists[li]
        listed = ls.listed(ids)
        by_rating = listed & (ls.reason(ids) == BY_RATING)
        new = ~listed & hit
        sim.lists.enter(day, li, ids[new], BY_RATING, ~true_hit[new])
        ls.set_wrongful(ids[by_rating], ~true_hit[by_rating])
        if sim.lists.cfgs[li].exit_on_recovery:
            sim.lists.leave(day, li, ids[by_rating & ~hit], "recovery")

    def listed_without_cascade(self, li: int, ids: np.ndarray) -> np.ndarray:
        """Whether the own ledger (no cascade records) alone would hold these on list li."""
        for lj, book, black, gi in self.graded_lists:
            if lj == li:
                local = ids - book.lo
                return self._hit(book.grade_of(book.ledger[OWN, local]), black, gi)
        return np.ones(ids.size, bool)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Final ledger and grade of every rated entity (a uniform sample past
        `run.entities_table_max_rows` per rating, like the entities table)."""
        frames = []
        cap = self.sim.sc.run.entities_table_max_rows
        for b in self.books:
            ids = np.arange(b.lo, b.hi)
            ids = ids[b.rated(ids)]
            if ids.size > cap:
                rng = self.sim.streams.get(f"ratings-sample:{b.name}")
                ids = np.sort(rng.choice(ids, size=cap, replace=False))
            local = ids - b.lo
            names = np.array(b.grade_names, dtype=object)
            frames.append(pd.DataFrame({
                "id": ids.astype(np.int64), "rating": b.name,
                "points": b.ledger[RECORDED, local], "true_points": b.ledger[TRUE, local],
                "grade": names[b.grade[RECORDED, local]],
                "true_grade": names[b.grade[TRUE, local]]}))
        return {"ratings": pd.concat(frames, ignore_index=True)}

    def summary(self) -> dict[str, Any]:
        out = {}
        for b in self.books:
            ids = np.arange(b.lo, b.hi)
            local = ids[b.rated(ids)] - b.lo
            counts = np.bincount(b.grade[RECORDED, local], minlength=len(b.grade_names))
            wrong = np.bincount(b.grade[RECORDED, local],
                                weights=b.grade[RECORDED, local] != b.grade[TRUE, local],
                                minlength=len(b.grade_names))
            out[b.name] = {"grades": dict(zip(b.grade_names, map(int, counts), strict=True)),
                           "wrong_grade": dict(zip(b.grade_names, map(int, wrong),
                                                   strict=True))}
        return out
