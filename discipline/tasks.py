"""discipline: tasks."""
