"""``python -m services.campaigns``: the HTTP API, the relay and the units consumer."""

from kernel.service import serve

from .app import build
from .settings import CampaignsSettings

settings = CampaignsSettings()
app, service = build(settings)
serve(app, settings, "campaigns")
