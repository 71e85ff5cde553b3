"""The nine steps of a simulated day, each a module with its own parameters and state.

`LOOP` fixes their order; `scsim run --explain` and `Sim.loop` print it.
"""

from scsim.steps.adapt import Adapt
from scsim.steps.behave import Behave
from scsim.steps.collect import Collect
from scsim.steps.lists import Lists
from scsim.steps.record import Record
from scsim.steps.restore import Restore
from scsim.steps.sanction import Sanction
from scsim.steps.score import Score
from scsim.steps.sense import Sense

LOOP = (Behave, Sense, Record, Score, Lists, Sanction, Restore, Adapt, Collect)

__all__ = ["LOOP"]
