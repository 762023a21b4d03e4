"""meetings: tasks."""
