"""attendance: models."""
