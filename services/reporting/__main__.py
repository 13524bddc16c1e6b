"""``python -m services.reporting``: the reporting service's HTTP API with its consumers."""

from kernel.service import serve
from kernel.settings import Settings

from .app import build

settings = Settings()
app, service = build(settings)
serve(app, settings, "reporting")
