"""attendance: views."""
