"""leave: models."""
