"""leave: views."""
