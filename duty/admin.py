"""duty: admin."""
