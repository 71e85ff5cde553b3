"""The simulation engine: state arrays, the event calendar, tallies and the daily steps."""
