"""Target expressions: aggregates of a run's results that published figures are compared to.

An expression is one term or a ratio of two (`A / B`). A term is `COUNTER:NAME` or a column
of the `daily` table summed over the run:

| term | what it sums |
|---|---|
| `denials:SERVICE` (also requests, grants, sanctions, perks ...) | `daily_by_service` |
| `acts_true:CONDUCT`, `records:CONDUCT`, `records_wrongful:CONDUCT` | `daily_by_conduct` |
| `entries:LIST` | entries during the run (not the initial stock) |
| `repairs:LIST`, `exits:LIST`, `exits:LIST:REASON` | exits during the run |
| `restorations`, `list_entries`, ... | a column of `daily` |

A ratio is scale-free. A single term is a count for the sampled population; calibrate scales
it by (national population / sampled individuals) before comparing it with a national figure.
"""

from __future__ import annotations

from scsim.engine.tally import CONDUCT_COUNTERS, SERVICE_COUNTERS
from scsim.errors import ScsimInputError
from scsim.results import Results

# Names a user can give instead of an expression (kept short; presets store the expression).
ALIASES = {
    "flight_to_rail_denials": "denials:flight / denials:high_speed_rail",
    "restorations_to_listings": "repairs:court_defaulters / entries:court_defaulters",
    "new_listings": "entries:court_defaulters",
}


def resolve(name_or_expr: str) -> str:
    return ALIASES.get(name_or_expr.strip(), name_or_expr.strip())


def is_ratio(expr: str) -> bool:
    return "/" in resolve(expr)


def terms(expr: str) -> list[str]:
    parts = [p.strip() for p in resolve(expr).split("/")]
    if len(parts) > 2 or not all(parts):
        raise ScsimInputError(f"target {expr!r}: expected TERM or TERM / TERM")
    return parts


def check(expr: str, sc) -> None:
    """Refuse a target that names no service, list, conduct or column of this scenario."""
    from scsim.engine.tally import CELL_COUNTERS

    for term in terms(expr):
        head, _, rest = term.partition(":")
        name = rest.split(":")[0]
        if not rest:
            if head not in CELL_COUNTERS:
                raise ScsimInputError(f"target {expr!r}: unknown term {term!r} (a daily column "
                                      f"such as {', '.join(CELL_COUNTERS[:4])} ..., or "
                                      "COUNTER:NAME)")
            continue
        table = ({c: sc.services for c in SERVICE_COUNTERS}
                 | {c: sc.conduct for c in CONDUCT_COUNTERS}
                 | {c: sc.lists for c in ("entries", "repairs", "exits")}).get(head)
        if table is None:
            raise ScsimInputError(f"target {expr!r}: unknown counter {head!r} in {term!r}")
        if name not in table:
            raise ScsimInputError(f"target {expr!r}: {name!r} is not in this scenario "
                                  f"(known: {', '.join(table)})")


def term_value(res: Results, term: str) -> float:
    head, _, rest = term.partition(":")
    if not rest:
        return float(res.to_df("daily")[head].sum())
    if head in SERVICE_COUNTERS:
        t = res.to_df("daily_by_service")
        return float(t.loc[t["service"] == rest, head].sum())
    if head in CONDUCT_COUNTERS:
        t = res.to_df("daily_by_conduct")
        return float(t.loc[t["conduct"] == rest, head].sum())
    ev = res.to_df("list_events")
    lname, _, reason = rest.partition(":")
    ev = ev[ev["list"] == lname]
    if head == "entries":
        return float(((ev["event"] == "entry") & (ev["reason"] != "initial")).sum())
    exits = ev[ev["event"] == "exit"]
    if head == "repairs":
        reason = "repair"
    return float((exits["reason"] == reason).sum() if reason else len(exits))


def evaluate(res: Results, expr: str, scale: float = 1.0) -> float:
    """The value of a target on a run; a single term is multiplied by `scale`."""
    parts = terms(expr)
    if len(parts) == 1:
        return term_value(res, parts[0]) * scale
    den = term_value(res, parts[1])
    return term_value(res, parts[0]) / den if den else float("nan")


def counts(res: Results, expr: str) -> list[float]:
    """The raw counts behind a target (for its sampling error)."""
    return [term_value(res, t) for t in terms(expr)]
