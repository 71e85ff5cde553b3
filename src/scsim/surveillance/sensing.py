"""The sense step's work: for each of the day's acts, is it seen, and whom does the record name.

Per conduct, the draws of the core model come first and are unchanged (seen, generic
misattribution, the pick of a wrong entity), so a scenario without identification methods
gets exactly the records it always got. The method of the conduct's source then decides, on
its own named random stream, what happens to the acts seen: registry slips and namesakes,
face misses, false matches and phantoms, or the online classifier's flags.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from scsim.engine.counter_rng import key_from, uniforms
from scsim.engine.records import WRONG_CAUSES, RecordBatch
from scsim.population.attributes import KINDS
from scsim.side_by_side import Later
from scsim.surveillance.buckets import other_of_kind
from scsim.surveillance.coverage import Coverage
from scsim.surveillance.draws import misflag, pick_uniforms, seen_and_wrong
from scsim.surveillance.emit_kernel import emit_records
from scsim.surveillance.face import FaceModel
from scsim.surveillance.names import namesake_buckets
from scsim.surveillance.online import OnlineClassifier
from scsim.surveillance.registry import RegistryModel

if TYPE_CHECKING:
    from scsim.rng import Streams
    from scsim.scenario.schema import ScenarioModel

CAUSE = {c: np.uint8(i) for i, c in enumerate(WRONG_CAUSES)}


def start_namesakes(sc: ScenarioModel, n_ind: int, streams: Streams) -> Later | None:
    """The index of namesakes, begun beside the rest of the build (scsim/side_by_side.py),
    when a registry matches records by name; else None."""
    if n_ind and any(s.registry is not None and s.registry.name_match > 0
                     for s in sc.sources.values()):
        return Later(namesake_buckets, sc.population.names, n_ind, streams)
    return None


class Sensing:
    def __init__(self, sim):
        self.sim = sim
        sc, pop = sim.sc, sim.pop
        self.cfgs = list(sc.sources.values())
        self.src_of = [list(sc.sources).index(c.source) for c in sc.conduct.values()]
        self.conducts = list(sc.conduct)
        self.coverage = [Coverage(s, pop, sc.population.regions) for s in self.cfgs]
        names = sim.namesakes.result() if sim.namesakes is not None else None
        n_ind = pop.counts["individual"]
        self.models: list[FaceModel | OnlineClassifier | RegistryModel | None] = []
        for sname, s in sc.sources.items():
            if s.method == "face" and n_ind:
                self.models.append(FaceModel(sname, s.face, pop, sim.streams,
                                             list(sc.population.groups)))
            elif s.method == "online":
                self.models.append(OnlineClassifier(s.online, self.conducts))
            elif s.registry is not None and (s.registry.clerical > 0 or s.registry.name_match > 0):
                self.models.append(RegistryModel(s.registry, pop, names))
            else:
                self.models.append(None)

    def run(self, day: int) -> None:
        sim, pop = self.sim, self.sim.pop
        online: dict[int, list] = {}
        batches: dict[int, int] = {}
        for i, (ci, actors) in enumerate(sim.today.acts):
            s = self.src_of[ci]
            src = self.cfgs[s]
            # A conduct can have several batches a day (one per kind, cascade or protest
            # acts): each after the first gets its own stream, or it would reuse the numbers.
            nth = batches.get(ci, 0)
            batches[ci] = nth + 1
            suffix = f":{nth}" if nth else ""
            rng = sim.streams.get(f"sense:{self.conducts[ci]}{suffix}", day)
            # Three counter-based draws per act, at fixed counters (surveillance/draws.py):
            # common random numbers across variants of coverage or error rates.
            # Mechanisms may scale coverage per actor (inspections, differential enforcement).
            cover = self.coverage[s].of(actors)
            factor = sim.coverage_factor(ci, actors)
            if factor is not None:
                cover = np.minimum(cover * factor, 1.0)
            key = key_from(rng)
            seen, wrong = seen_and_wrong(key, actors.size, cover, src.misattribution)
            if src.opted_in_only:  # an app sees only those who installed it
                seen &= _opted_in(pop, actors)
                wrong &= seen
            # Who each record names: the actor unless misattributed (copied only then, or
            # where a model below names someone else: most acts are never recorded).
            entity = actors
            cause = wrong.view(np.uint8) * CAUSE["misattribution"]
            if wrong.any():
                at = np.flatnonzero(wrong)
                entity = actors.copy()
                entity[at] = other_of_kind(pop, actors[at], pop.kind[actors[at]],
                                           pick_uniforms(key, at))
            model = self.models[s]
            tag = f"{self.conducts[ci]}:{KINDS[int(pop.kind[actors[0]])]}{suffix}"
            origin = sim.today.origins.get(i)  # credit-cascade id per act, if any
            if isinstance(model, OnlineClassifier):
                online.setdefault(s, []).append((ci, actors, seen, entity, cause, tag,
                                                 sim.today.act_cells.get(i)))
                continue
            keep, extra = seen, []
            ok = np.flatnonzero(seen & ~wrong)
            if isinstance(model, FaceModel):
                named, hit, false = model.identify(actors[ok], sim.streams.get(f"face:{tag}", day))
                entity = entity.copy() if entity is actors else entity
                entity[ok] = np.where(named >= 0, named, entity[ok])
                keep = seen.copy()
                keep[ok] = hit | false
                cause[ok[false]] = CAUSE["face_false_match"]
                ph = model.phantoms(int(seen.sum()), sim.streams.get(f"phantom:{tag}", day))
                if ph.size:
                    extra.append(RecordBatch.make(ph, np.full(ph.size, -1), ci,
                                                  np.full(ph.size, CAUSE["phantom"]), day, s))
            elif isinstance(model, RegistryModel):
                clerical, by_clerk, namesake, by_name = model.identify(
                    actors, ok, sim.streams.get(f"registry:{tag}", day), other_of_kind)
                if clerical.size or namesake.size:
                    entity = entity.copy() if entity is actors else entity
                    entity[clerical] = by_clerk
                    entity[namesake] = by_name
                    cause[clerical] = CAUSE["clerical"]
                    cause[namesake] = CAUSE["namesake"]
            self._emit(day, ci, s, actors, entity, cause, keep, extra, origin=origin,
                       cells=sim.today.act_cells.get(i))
        for s, entries in online.items():
            self._online(day, s, entries)

    def _emit(self, day: int, ci: int | np.ndarray, s: int, actors: np.ndarray,
              entity: np.ndarray, cause: np.ndarray, keep: np.ndarray,
              extra: list[RecordBatch], conduct_of_act: int | None = None,
              origin: np.ndarray | None = None, cells: np.ndarray | None = None) -> None:
        """Count the acts recorded against their actor, and send the records on their way
        (`cells`: the actors' cells, when the behave step has read them)."""
        sim = self.sim
        t = sim.tally
        batch, recorded = emit_records(actors, entity, cause, keep, sim.pop.cell,
                                       t.row("acts_recorded"), t.row("acts_missed"), ci, day,
                                       s, origin=origin, cells=cells)
        act_ci = ci if conduct_of_act is None else conduct_of_act
        t.add_conduct_count("acts_recorded", int(act_ci), recorded)
        sim.records.submit(RecordBatch.concat([batch, *extra]),
                           day + self.cfgs[s].latency_days)

    def _online(self, day: int, s: int, entries: list) -> None:
        """Classify the day's posts of one online source (two passes: precision targets)."""
        sim = self.sim
        model: OnlineClassifier = self.models[s]  # type: ignore[assignment]
        true_flags = np.zeros(model.conduct.size)
        harmless = 0
        draws = []
        for ci, actors, seen, _entity, _cause, tag, _cells in entries:
            key = key_from(sim.streams.get(f"online:{tag}", day))
            c = model.category(ci)
            if c >= 0:
                u = uniforms(key, actors.size)
                flagged = seen & (u < model.recall[c])
                true_flags[c] += flagged.sum()
                draws.append(flagged)
            else:
                harmless += int(seen.sum())
                draws.append(key)
        rates = model.flag_rates(true_flags, harmless)
        for (ci, actors, seen, entity, cause, _, cells), drawn in zip(entries, draws,
                                                                      strict=True):
            if model.category(ci) >= 0:
                self._emit(day, ci, s, actors, entity, cause, drawn, [], cells=cells)
                continue
            flagged, conduct = misflag(drawn, seen, rates, model.conduct, ci,
                                       CAUSE["online_false_flag"], cause)
            self._emit(day, conduct, s, actors, entity, cause, flagged, [], conduct_of_act=ci,
                       cells=cells)


def _opted_in(pop, actors: np.ndarray) -> np.ndarray:
    """True for individuals who opted in; other kinds have no opt-in and are not seen."""
    off, n = pop.offsets["individual"], pop.counts["individual"]
    local = actors - off
    ind = (local >= 0) & (local < n)
    out = np.zeros(actors.size, bool)
    out[ind] = pop.attrs["individual"]["opted_in"][local[ind]] == 1
    return out
