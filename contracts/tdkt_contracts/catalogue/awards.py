"""Public events of the awards context."""
