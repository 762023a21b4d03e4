"""meetings: models."""
