"""Registry identification: the record carries an id number, with two ways to go wrong.

- clerical: the id is keyed wrongly, naming a uniformly drawn other entity of the same kind;
- namesake: the record is matched by name alone (`name_match`), and any holder of the name may
  be named; with m people sharing the name the wrong one is named with probability
  (m - 1) / m, so collisions rise with name frequency. Names apply to individuals only
  (companies, governments and organizations carry a unified social credit code).
"""

from __future__ import annotations

import numba
import numpy as np

from scsim.engine.counter_rng import key_from, uniform, uniforms_at
from scsim.engine.serial_twin import SERIAL_BELOW_READS, serial_twin
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

    def identify(self, actors: np.ndarray, ok: np.ndarray, rng: np.random.Generator,
                 other_of_kind) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The records of true actors at positions `ok` of the batch that name someone
        else: (positions of clerical slips, who they name, positions of namesakes, who they
        name). The j-th of those records owns counter j of each key."""
        key_clerk, key_name, key_pick = key_from(rng), key_from(rng), key_from(rng)
        flags = _flags if ok.size >= SERIAL_BELOW_READS else _flags_serial
        flag = flags(actors, ok, key_clerk, key_name, self.cfg.clerical,
                      self.cfg.name_match if self.names is not None else 0.0,
                      self.offset, self.n_ind)
        j = np.flatnonzero(flag == _CLERICAL)  # the pick's uniform, only where it picks
        clerical = ok[j]
        named_clerical = _NONE
        if j.size:
            a = actors[clerical]
            named_clerical = other_of_kind(self.pop, a, self.pop.kind[a], uniforms_at(key_pick, j))
        namesake, named_namesake = _NONE, _NONE
        j = np.flatnonzero(flag == _BY_NAME)
        if j.size:
            at = ok[j]
            local = actors[at] - self.offset
            pick = self.names.draw(local, uniforms_at(key_pick, j), exclude_self=False)
            other = pick != local  # a holder of the name, who may be the actor
            namesake, named_namesake = at[other], pick[other] + self.offset
        return clerical, named_clerical, namesake, named_namesake


_CLERICAL, _BY_NAME = 1, 2
_NONE = np.empty(0, np.int64)


@numba.njit(cache=True, parallel=True)
def _flags(actors, ok, key_clerk, key_name, clerical, name_match, offset, n_ind):
    """Per record at `ok`: a clerical slip (1), else matched by name (2: individuals only),
    else 0. Record j draws at counter j of each key."""
    flag = np.empty(ok.size, np.uint8)
    for j in numba.prange(ok.size):
        local = actors[ok[j]] - offset
        if uniform(key_clerk, np.uint64(j)) < clerical:
            flag[j] = _CLERICAL
        elif (0 <= local < n_ind) and uniform(key_name, np.uint64(j)) < name_match:
            flag[j] = _BY_NAME
        else:
            flag[j] = 0
    return flag


_flags_serial = serial_twin(_flags)
