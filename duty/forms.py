"""duty: forms."""
