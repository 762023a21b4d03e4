"""leave: selectors."""
