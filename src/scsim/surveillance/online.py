"""Online monitoring: a classifier over posts decides which posts become records.

A post of a flagged category (a conduct listed in `categories`) is recorded as that conduct
with probability `recall`. Any other post the source sees (an ordinary post, say) is harmless
to the classifier's eyes only if it is not flagged: it is labelled as category c with
probability false_flag(c) and then becomes a wrong record of c against its poster (cause
`online_false_flag`); unflagged harmless posts leave no record. With `precision` instead of
`false_flag`, the day's false-flag rate is set so that the expected share of true flags among
all flags of c is the precision: false flags = true flags x (1 - p) / p.
"""

from __future__ import annotations

import numpy as np

from scsim.scenario.surveillance import OnlineCfg


class OnlineClassifier:
    def __init__(self, cfg: OnlineCfg, conducts: list[str]):
        cats = list(cfg.categories.values())
        self.conduct = np.array([conducts.index(c) for c in cfg.categories], np.int16)
        self.recall = np.array([c.recall for c in cats])
        self.false_flag = np.array([c.false_flag if c.false_flag is not None else 0.0
                                    for c in cats])
        self.precision = np.array([c.precision if c.precision is not None else np.nan
                                   for c in cats])
        self.is_cat = np.full(len(conducts), -1, np.int64)
        self.is_cat[self.conduct] = np.arange(self.conduct.size)

    def category(self, ci: int) -> int:
        """Index among the categories, or -1 for a post the classifier may only misflag."""
        return int(self.is_cat[ci])

    def flag_rates(self, true_flags: np.ndarray, harmless: int) -> np.ndarray:
        """Today's false-flag rate per category (precision targets use today's counts)."""
        q = self.false_flag.copy()
        aim = ~np.isnan(self.precision)
        if aim.any():
            p = self.precision[aim]
            q[aim] = true_flags[aim] * (1 - p) / p / max(harmless, 1)
        # One label per post: scale down if the rates would add up past 1.
        total = q.sum()
        return q / total if total > 1 else q
