"""One module per bounded context; importing them registers their events."""

from . import awards as awards  # noqa: F401
from . import campaigns as campaigns  # noqa: F401
from . import units as units  # noqa: F401
