"""The headline panel: a few figures, each said in one sentence.

Every headline is a figure of a metric (so it carries the SQL it comes from); this module
only chooses them and words them.
"""

from __future__ import annotations

from dataclasses import dataclass

from scsim.analysis.format import fmt_value
from scsim.analysis.metrics.base import Figure, Metric

# (figure key, sentence after the number, sentence when the figure is empty)
HEADLINES: list[tuple[str, str, str]] = [
    ("wrongful.one_in_n", "sanctions rested on a wrong record",
     "no sanction rested on a wrong record"),
    ("disparity.max_ratio", "ratio of sanction rates between groups of individuals",
     "no disparity could be measured (one group, or a group with no sanctions)"),
    ("punished.harmless_share", "of the points deducted were for conduct that harms no one "
     "(civic, political, religious, health)", "no points were deducted"),
    ("access.travel_denials", "travel denials (trains, flights, travel abroad)", ""),
    ("restoration.median_days", "median time on a black list",
     "more than half of black listings were still open at the end"),
    ("due_process.uncorrected_share", "of the wrongful listings that ended were not ended by "
     "an appeal", "no wrongful listing ended"),
]
FOUR_FIFTHS = 1.25


@dataclass
class Headline:
    key: str
    big: str  # the number as shown
    text: str
    value: float | None
    alarm: bool = False  # shown in the warning colour
    detail: str = ""


def headlines(metrics: list[Metric]) -> list[Headline]:
    figs: dict[str, Figure] = {f.key: f for m in metrics for f in m.figures}
    out = []
    for key, text, empty in HEADLINES:
        f = figs.get(key)
        if f is None:
            continue
        if f.value is None:
            big = fmt_value(None, f.fmt)
            out.append(Headline(key, big, empty or text, None, detail=_detail(key, figs)))
            continue
        alarm = _alarm(key, f.value)
        if key == "disparity.max_ratio" and " vs " in f.note:
            hi, lo = f.note.split(" vs ", 1)
            text = f"as many sanctions per request for {hi} individuals as for {lo}"
        out.append(Headline(key, fmt_value(f.value, f.fmt), text, f.value, alarm,
                            _detail(key, figs)))
    return out


def _alarm(key: str, value: float) -> bool:
    if key == "disparity.max_ratio":
        return value > FOUR_FIFTHS
    if key == "punished.harmless_share":
        return value > 0
    if key == "wrongful.one_in_n":
        return True
    return False


def _detail(key: str, figs: dict[str, Figure]) -> str:
    def v(k: str) -> str:
        f = figs.get(k)
        return fmt_value(f.value, f.fmt) if f else "–"

    if key == "wrongful.one_in_n":
        return f"{v('wrongful.sanctions_wrongful')} wrongful sanctions in all"
    if key == "disparity.max_ratio":
        return (f"for equal true conduct: {v('disparity.max_ratio_equal_conduct')}; "
                "the four-fifths rule marks ratios above 1.25")
    if key == "punished.harmless_share":
        return f"political or religious alone: {v('punished.political_religious_share')}"
    if key == "access.travel_denials":
        return f"school places refused: {v('access.school_refusals')}"
    if key == "restoration.median_days":
        return (f"90th percentile {v('restoration.p90_days')}; still listed at the end: "
                f"{v('restoration.still_listed_share')}")
    if key == "due_process.uncorrected_share":
        return (f"{v('due_process.appeals_upheld')} upheld of {v('due_process.appeals_filed')} "
                "appeals filed")
    return ""
