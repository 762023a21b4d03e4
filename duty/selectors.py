"""duty: selectors."""
