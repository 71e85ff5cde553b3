"""Scenarios: TOML files (or shipped presets) validated against a strict schema."""

from scsim.scenario.load import Scenario, load_scenario, preset_names, preset_text
from scsim.scenario.schema import ScenarioModel

__all__ = ["Scenario", "ScenarioModel", "load_scenario", "preset_names", "preset_text"]
