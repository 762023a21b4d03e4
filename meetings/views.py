"""meetings: views."""
