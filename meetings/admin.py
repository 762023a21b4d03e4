"""meetings: admin."""
