"""worklog: admin."""
