"""meetings: forms."""
