"""leave: admin."""
