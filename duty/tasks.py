"""duty: tasks."""
