"""duty: views."""
