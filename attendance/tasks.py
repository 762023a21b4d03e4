"""attendance: tasks."""
