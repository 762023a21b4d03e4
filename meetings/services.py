"""meetings: services."""
