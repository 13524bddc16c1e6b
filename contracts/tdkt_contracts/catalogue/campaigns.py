"""Public events of the campaigns context."""
