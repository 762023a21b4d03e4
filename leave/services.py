"""leave: services."""
