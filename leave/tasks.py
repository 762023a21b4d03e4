"""leave: tasks."""
