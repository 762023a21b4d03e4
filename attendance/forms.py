"""attendance: forms."""
