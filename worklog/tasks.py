"""worklog: tasks."""
