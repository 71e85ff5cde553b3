"""Registry identification: the record carries an id number, with two ways to go wrong.

- clerical: the id is keyed wrongly, naming a uniformly drawn other entity of the same kind;
- namesake: the record is matched by name alone (`name_match`), and any holder of the name may
  be named; with m people sharing the name the wrong one is named with probability
  (m - 1) / m, so collisions rise with name frequency. Names apply to individuals only
  (companies, governments and organizations carry a unified social credit code).
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import stream_uniforms
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
        u_clerk, u_name, u_pick = stream_uniforms(rng, k, 3)
        named = actors.copy()
        clerical = u_clerk < self.cfg.clerical
        if clerical.any():
            named[clerical] = other_of_kind(self.pop, actors[clerical],
                                            self.pop.kind[actors[clerical]], u_pick[clerical])
        namesake = np.zeros(k, bool)
        if self.names is not None:
            local = actors - self.offset
            by_name = ~clerical & (local >= 0) & (local < self.n_ind) & (
                u_name < self.cfg.name_match)
            if by_name.any():
                pick = self.names.draw(local[by_name], u_pick[by_name], exclude_self=False)
                named[by_name] = pick + self.offset
                namesake[by_name] = pick != local[by_name]
        return named, clerical, namesake
