"""Results of a run: tables (as DataFrames, and in `results.duckdb`) and a summary."""

from scsim.results.model import Results

__all__ = ["Results"]
