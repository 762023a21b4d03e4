"""attendance: selectors."""
