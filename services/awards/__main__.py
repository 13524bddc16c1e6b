"""``python -m services.awards``: the awards service's HTTP API, with its replicas' consumers and relay."""

from kernel.service import serve
from kernel.settings import Settings

from .app import build

settings = Settings()
app, service = build(settings)
serve(app, settings, "awards")
