"""meetings: selectors."""
