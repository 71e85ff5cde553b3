"""1:N face identification as a statistical model of match errors (no image is ever matched).

Each sighting is a search of the gallery. NIST reports 1:N accuracy as two rates at an
operating threshold (NISTIR 8271): FNIR, the share of searches whose mate is not returned,
and FPIR, the share of searches of someone not in the gallery that return somebody anyway.
Here a search returns a wrong identity with probability FPIR, scaled by the actor's
demographic group and sex (NISTIR 8280: false positives 10 to 100 times higher for some
groups, 2 to 5 times for women) and by `mated_fp` when the actor is enrolled; otherwise an
enrolled actor is identified with probability 1 - FNIR and anyone else is missed. The wrong
identity is drawn from the gallery, from the actor's own group and sex with probability
`same_demographic` (false matches are mostly between similar faces). Phantoms (a face on an
advertisement, the Ningbo case) name one of a few advertised faces for an act nobody did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scsim.engine.counter_rng import key_from, uniforms_at
from scsim.engine.serial_twin import SERIAL_BELOW_READS
from scsim.population.generate import Population
from scsim.rng import Streams
from scsim.scenario.surveillance import FaceCfg
from scsim.surveillance.face_kernel import decide_sightings, decide_sightings_serial
from scsim.surveillance.gallery import Gallery
from scsim.threaded_random import threaded_random

SEXES = ("female", "male")
_FALLBACK = np.uint64(0x5DEECE66D)  # a second key for the whole-gallery fallback draws


@dataclass(frozen=True)
class OperatingPoint:
    threshold: float  # match confidence at which a candidate is reported
    fpir: float  # at the reference gallery
    fnir: float
    fpir_gallery: float  # FPIR at the gallery searched


def operating_point(cfg: FaceCfg, gallery: int) -> OperatingPoint:
    """The operating point on the trade-off curve, and FPIR grown to the gallery size."""
    if cfg.threshold is not None:
        threshold = cfg.threshold
        fpir = min(1.0, cfg.ref_fpir * 10.0 ** (-(threshold - cfg.ref_threshold)
                                                / cfg.threshold_per_decade))
    else:
        fpir = cfg.fpir if cfg.fpir is not None else cfg.ref_fpir
        threshold = (cfg.ref_threshold - cfg.threshold_per_decade * math.log10(fpir / cfg.ref_fpir)
                     if fpir > 0 else 1.0)
    if cfg.fnir is not None:
        fnir = cfg.fnir
    elif fpir <= 0:
        fnir = 1.0  # no false positive at all: the threshold is out of reach of any mate too
    else:
        fnir = min(1.0, cfg.ref_fnir * (cfg.ref_fpir / fpir) ** cfg.det_slope)
    ref = cfg.reference_gallery or gallery
    grown = fpir if ref == gallery or fpir >= 1 else 1.0 - (1.0 - fpir) ** (gallery / ref)
    return OperatingPoint(threshold=threshold, fpir=fpir, fnir=fnir, fpir_gallery=grown)


class FaceModel:
    """One face source: its gallery, operating point and multipliers."""

    def __init__(self, name: str, cfg: FaceCfg, pop: Population, streams: Streams,
                 groups: list[str]):
        self.cfg = cfg
        ind = pop.attrs["individual"]
        self.offset = pop.offsets["individual"]
        n = pop.counts["individual"]
        self.group, self.sex = ind["group"], ind["sex"]
        if cfg.enrolled < 1.0:
            enrolled = threaded_random(streams.get(f"face:{name}:gallery"), n) < cfg.enrolled
            self.gallery = Gallery(self.group, self.sex, member=enrolled)
        else:  # everyone enrolled: the same gallery for every face source, built once
            key = ("face-gallery", "all")
            if key not in pop.derived:
                pop.derived[key] = Gallery(self.group, self.sex)
            self.gallery = pop.derived[key]
        size = cfg.gallery or max(self.gallery.members, 1)
        self.point = operating_point(cfg, size)
        self.group_mult = np.array([cfg.group_fpir.get(g, 1.0) for g in groups])
        self.sex_mult = np.array([cfg.sex_fpir.get(s, 1.0) for s in SEXES])
        self.adverts = np.empty(0, np.int64)
        if cfg.phantom_rate > 0 and self.gallery.members:
            rng = streams.get(f"face:{name}:adverts")
            members = (np.arange(n) if self.gallery.member.size == 0
                       else np.flatnonzero(self.gallery.member))
            pick = rng.integers(0, members.size, min(cfg.advert_faces, members.size))
            self.adverts = members[pick].astype(np.int64) + self.offset

    def identify(self, actors: np.ndarray, rng: np.random.Generator
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(named entity or -1, true identification, false match) for each sighting."""
        key_out, key_same = key_from(rng), key_from(rng)
        actors = np.ascontiguousarray(actors, np.int64)
        decide = decide_sightings if actors.size >= SERIAL_BELOW_READS else decide_sightings_serial
        false, hit, named = decide(
            key_out, actors, self.offset, self.group, self.sex, self.group_mult, self.sex_mult,
            self.point.fpir_gallery, self.gallery.member, self.cfg.mated_fp, self.point.fnir)
        if false.any():
            key = key_from(rng)
            at = np.flatnonzero(false)
            u_same = uniforms_at(key_same, at)  # few: drawn where used
            local = actors[at] - self.offset
            other = self.gallery.draw(local, u_same < self.cfg.same_demographic, key)
            # An empty group falls back to the whole gallery; an empty gallery names nobody.
            empty = np.flatnonzero(other < 0)
            if empty.size:
                other[empty] = self.gallery.draw(local[empty], False, key ^ _FALLBACK)
            named[false] = np.where(other >= 0, other + self.offset, -1)
            false &= named >= 0
        return named, hit, false

    def phantoms(self, sightings: int, rng: np.random.Generator) -> np.ndarray:
        """Entities named by phantom sightings (faces on advertisements) today."""
        if self.adverts.size == 0 or sightings == 0:
            return np.empty(0, np.int64)
        n = int(rng.poisson(self.cfg.phantom_rate * sightings))
        return self.adverts[rng.integers(0, self.adverts.size, n)]
