"""How figures are written: the same rules for the report, compare and the terminal.

A no-break space joins a number to its unit, so that "41.6 %" never wraps in a card."""

from __future__ import annotations

import math


def fmt_value(value: float | None, fmt: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "none" if fmt == "one_in" else "–"
    if fmt == "int":
        return f"{value:,.0f}"
    if fmt == "pct":
        pct = 100 * value
        return f"{pct:.2f}\u00a0%" if 0 < abs(pct) < 1 else f"{pct:.1f}\u00a0%"
    if fmt == "ratio":
        return f"{value:.2f}×"
    if fmt == "days":
        return f"{value:,.0f}\u00a0days"
    if fmt == "one_in":
        return f"1 in {value:,.0f}"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def fmt_diff(diff: float | None, fmt: str) -> str:
    """A difference in the figure's unit (percentage points for shares)."""
    if diff is None or not math.isfinite(diff):
        return "–"
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    mag = abs(diff)
    if fmt == "pct":
        return f"{sign}{100 * mag:.2f} pp" if mag < 0.01 else f"{sign}{100 * mag:.1f} pp"
    if fmt == "ratio":
        return f"{sign}{mag:.2f}"
    if fmt == "one_in":
        return f"{sign}{mag:,.0f}"
    if fmt == "days":
        return f"{sign}{mag:,.0f}\u00a0days"
    return f"{sign}{fmt_value(mag, 'int' if fmt == 'int' else 'num')}"
