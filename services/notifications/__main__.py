"""``python -m services.notifications``: the notifications service's HTTP API, consumer, deadline watch and mail sender."""

from kernel.service import serve

from .app import build
from .settings import NotificationsSettings

settings = NotificationsSettings()
app, service = build(settings)
serve(app, settings, "notifications")
