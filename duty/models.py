"""duty: models."""
