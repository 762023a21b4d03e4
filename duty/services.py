"""duty: services."""
