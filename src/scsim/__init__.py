"""scsim: an agent-based simulator of social credit systems on synthetic populations.

Synthetic only: no code path reads records of real people, and no image is ever matched.

    >>> import scsim
    >>> sim = scsim.Sim("points-city", individuals=10_000, days=30, seed=1)
    >>> result = sim.run()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

__all__ = ["Sim", "Scenario", "load_scenario", "__version__"]

if TYPE_CHECKING:
    from scsim.scenario import Scenario, load_scenario
    from scsim.sim import Sim


def __getattr__(name: str) -> Any:
    # Lazy so that `import scsim` (and `scsim --help`) does not pull in NumPy, pydantic, DuckDB.
    if name == "Sim":
        from scsim.sim import Sim

        return Sim
    if name in ("Scenario", "load_scenario"):
        from scsim import scenario

        return getattr(scenario, name)
    raise AttributeError(f"module 'scsim' has no attribute {name!r}")
