"""attendance: services."""
