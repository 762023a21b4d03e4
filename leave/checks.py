"""leave: checks."""
