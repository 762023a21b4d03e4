"""worklog: forms."""
