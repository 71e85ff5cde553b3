"""Calibration: fit chosen rates of a scenario so that a run reproduces published aggregates.

`targets` turns a target expression ("denials:flight / denials:high_speed_rail") into a number
from a run's results; `fit` searches the chosen rates (in log space, common random numbers);
`inert` finds conduct that cannot move any target, switched off to make runs cheaper.
"""

from scsim.calibrate.fit import CalibrationResult, FitParam, Target, calibrate

__all__ = ["CalibrationResult", "FitParam", "Target", "calibrate"]
