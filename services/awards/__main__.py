"""``python -m services.awards``: the awards service's HTTP API, with its replicas' consumers and relay."""

from kernel.service import serve

from .app import build
from .settings import AwardsSettings

settings = AwardsSettings()
app, service = build(settings)
serve(app, settings, "awards")
