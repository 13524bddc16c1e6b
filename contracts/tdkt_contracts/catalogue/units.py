"""Public events of the units context."""
