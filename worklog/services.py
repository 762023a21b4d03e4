"""worklog: services."""
