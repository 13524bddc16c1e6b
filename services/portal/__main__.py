"""``python -m services.portal``: the web portal (cổng thông tin) over the four services' HTTP APIs."""

from kernel.service import serve

from .app import build
from .settings import PortalSettings

settings = PortalSettings()
app = build(settings)
serve(app, settings, "portal")
