"""attendance: checks."""
