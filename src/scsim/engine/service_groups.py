"""Services grouped by what their decisions read, for the demand split (engine/demand.py).

An entity is special for a service when one of the service's rules, or a spill-over rule
acting on it, could answer it with anything but a grant: it is on a list the rules read, it
represents a firm on a list a `via` rule reads, its recorded or true score lies in a tier a
rule names, or a tie a spill-over rule follows is listed. Services that read the same lists,
`via` lists, spill-over rules and tiers have the same special entities: one group. A
blacklisted person asking a hospital whose only rule favours the top tier is then plain for
the hospital (a grant in a count per cell) while special for the train (decided one by one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def special_tiers(rules: list[tuple], n_tiers: int) -> np.ndarray:
    """Per tier (0 the highest), whether one of these compiled rules names it."""
    out = np.zeros(max(n_tiers, 1), bool)
    for cond, arg, _ in rules:
        if cond == "below":
            out[arg + 1:] = True
        elif cond == "atleast":
            out[:arg + 1] = True
    return out


def tier_flips(tier_mins: np.ndarray, special: np.ndarray) -> np.ndarray:
    """The scores where `special` flips (a tier boundary between a special and a plain tier),
    as float32: a float32 score is in a special tier iff special[0] xor it lies below an odd
    number of them, a few comparisons instead of a binary search per entity."""
    flips = np.array([tier_mins[k] for k in range(tier_mins.size - 1)
                      if special[k] != special[k + 1]])
    # The smallest float32 at or above each: s < min <=> s < it, for float32 scores s.
    f32 = flips.astype(np.float32)
    return np.where(f32 < flips, np.nextafter(f32, np.float32(np.inf)), f32)


@dataclass(frozen=True)
class ServiceGroup:
    services: tuple[int, ...]  # service indices, in scenario order
    lists: tuple[int, ...]  # lists the rules read
    via_lists: tuple[int, ...]  # lists read through the firm an individual represents
    spill: tuple[int, ...]  # spill-over rules acting on these services
    tiers: np.ndarray  # bool per tier (0 the highest): some rule names it
    flips: np.ndarray  # float32 scores where `tiers` flips (tier_flips)


def service_groups(rules: list[list[tuple]], service_tiers: list[np.ndarray],
                   spill_by_service: dict[int, list[int]], tier_mins: np.ndarray
                   ) -> list[ServiceGroup]:
    """One group per distinct (lists, via lists, spill-over rules, tiers) over the services'
    compiled rules (Sanction.rules: (condition, argument, action) tuples)."""
    members: dict[tuple, list[int]] = {}
    for si, compiled in enumerate(rules):
        key = (tuple(sorted({a for c, a, _ in compiled if c == "list"})),
               tuple(sorted({a for c, a, _ in compiled if c == "via"})),
               tuple(sorted(spill_by_service.get(si, []))),
               tuple(bool(t) for t in service_tiers[si]))
        members.setdefault(key, []).append(si)
    return [ServiceGroup(tuple(si), lists, via, spill, np.array(tiers, bool),
                         tier_flips(tier_mins, np.array(tiers, bool)))
            for (lists, via, spill, tiers), si in members.items()]


def group_flips(groups: list[ServiceGroup]) -> np.ndarray:
    """Every score where some group's special tiers flip: a score moving across none of them
    leaves every group's answer as it was."""
    flips = [g.flips for g in groups if g.flips.size]
    return np.unique(np.concatenate(flips)) if flips else np.empty(0, np.float32)
