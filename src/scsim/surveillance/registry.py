"""Registry identification: the record carries an id number, with two ways to go wrong.

- clerical: the id is keyed wrongly, naming a uniformly drawn other entity of the same kind;
- namesake: the record is matched by name alone (`name_match`), and any holder of the name may
  be named; with m people sharing the name the wrong one is named with probability
  (m - 1) / m, so collisions rise with name frequency. Names apply to individuals only
  (companies, governments and organizations carry a unified social credit code).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import key_from, uniforms, uniforms_at
from scsim.population.generate import Population
from scsim.scenario.surveillance import RegistryCfg
from scsim.surveillance.buckets import Buckets
from scsim.surveillance.names import NameIndex


class RegistryModel:
    def __init__(self, cfg: RegistryCfg, pop: Population, names: Buckets | NameIndex | None):
        self.cfg = cfg
        self.pop = pop
        self.names = names
        self.offset = pop.offsets["individual"]
        self.n_ind = pop.counts["individual"]

    def identify(self, actors: np.ndarray, rng: np.random.Generator, other_of_kind
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(named entity, clerical slip, namesake) for each record of a true actor."""
        k = actors.size
        key_clerk, key_name, key_pick = key_from(rng), key_from(rng), key_from(rng)
        named = actors.copy()
        clerical = uniforms(key_clerk, k) < self.cfg.clerical
        if clerical.any():
            at = np.flatnonzero(clerical)  # the pick's uniform, only where it picks
            named[at] = other_of_kind(self.pop, actors[at], self.pop.kind[actors[at]],
                                      uniforms_at(key_pick, at))
        namesake = np.zeros(k, bool)
        if self.names is not None:
            local = actors - self.offset
            by_name = ~clerical & (local >= 0) & (local < self.n_ind) & (
                uniforms(key_name, k) < self.cfg.name_match)
            if by_name.any():
                at = np.flatnonzero(by_name)
                pick = self.names.draw(local[at], uniforms_at(key_pick, at), exclude_self=False)
                named[at] = pick + self.offset
                namesake[at] = pick != local[at]
        return named, clerical, namesake
