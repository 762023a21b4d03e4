"""attendance: admin."""
