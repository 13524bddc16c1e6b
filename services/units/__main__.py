"""``python -m services.units``: the units service's HTTP API, with its relay to Kafka."""

from kernel.service import serve
from kernel.settings import Settings

from .app import build

settings = Settings()
app, service = build(settings)
serve(app, settings, "units")
