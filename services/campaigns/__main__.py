"""``python -m services.campaigns``: the HTTP API, the relay and the units consumer."""

from kernel.service import serve
from kernel.settings import Settings

from .app import build

settings = Settings()
app, service = build(settings)
serve(app, settings, "campaigns")
