"""meetings: checks."""
