"""discipline: checks."""
