"""worklog: selectors."""
