"""worklog: views."""
