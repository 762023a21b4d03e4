"""leave: forms."""
