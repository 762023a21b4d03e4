"""worklog: models."""
