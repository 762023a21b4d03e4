"""duty: checks."""
