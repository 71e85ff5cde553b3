"""Public shaming: entities entering a list with `shamed = true` are published.

Counted always (`shamed`: entities published that day). With a [shaming] table, publication
also has effects: publicity on screens (regional) and online (national) raises perceived
surveillance of everyone who sees it (deterrence); the dial tone lets ties hear it; friends
cut or weaken their ties with the shamed (social cost) and lose legitimacy.
"""

from __future__ import annotations

import numpy as np

from scsim.engine.counter_rng import stream_uniforms
from scsim.engine.ids import unique
from scsim.network import FULL


class ShamingStage:
    def __init__(self, sim, net, perception, grievance):
        sc = sim.sc
        self.sim, self.net = sim, net
        self.shamed_lists = np.array([cfg.shamed for cfg in sc.lists.values()], bool)
        cfg = sc.shaming if sc.shaming is not None and sc.shaming.enabled else None
        self.cfg = cfg
        self.perception = perception
        self.grievance = grievance
        self.ties_cut = 0
        if cfg is not None and perception is not None:
            perception.screens, perception.online = cfg.screens, cfg.online
        if cfg is not None and net is not None and (cfg.tie_cut > 0 or cfg.tie_weaken > 0):
            net.weaken_ties()

    @property
    def any_shamed(self) -> bool:
        return bool(self.shamed_lists.any())

    def on_entries(self, day: int, entity: np.ndarray, lst: np.ndarray) -> None:
        ids = unique(entity[self.shamed_lists[lst]])
        if ids.size == 0:
            return
        sim = self.sim
        sim.tally.add("shamed", ids)
        cfg = self.cfg
        if cfg is None:
            return
        if self.perception is not None:
            self.perception.publicize(ids)
        net = self.net
        if net is None:
            return
        if cfg.dial_tone and cfg.tie_seen > 0 and self.perception is not None:
            _, tie, _ = net.ties(ids)
            self.perception.jump(tie, cfg.tie_seen, day)
        which, friend, pos = net.friend_pairs(ids)
        if friend.size == 0:
            return
        if self.grievance is not None and cfg.legitimacy_drop > 0:
            w = (np.ones(pos.size) if net.strength is None
                 else net.strength.get(pos).astype(np.float64) / FULL)
            self.grievance.lower_legitimacy(friend, cfg.legitimacy_drop * w)
        if net.strength is None:
            return
        # Social cost: each friend cuts the tie, or else weakens it (both directions).
        rng = sim.streams.get("shaming:ties", day)
        cut = stream_uniforms(rng, pos.size)[0] < cfg.tie_cut
        back = net.friends.find(friend, ids[which])
        both = np.concatenate([pos, back[back >= 0]])
        cut_both = np.concatenate([cut, cut[back >= 0]])
        s = net.strength
        s.set(both[cut_both], 0)
        keep = both[~cut_both]
        # A weakened tie keeps at least strength 1: only a cut ends it.
        now = s.get(keep)
        weak = np.maximum(now * (1 - cfg.tie_weaken), 1).astype(np.uint8)
        s.set(keep, np.where(now > 0, weak, 0))
        n_cut = int(cut.sum())
        self.ties_cut += n_cut
        sim.tally.add("ties_cut", ids[which[cut]])
