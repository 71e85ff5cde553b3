"""Benchmarks of the engine: the reference scenario at a chosen size."""
