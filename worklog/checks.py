"""worklog: checks."""
