"""``python -m services.awards``: the awards service's HTTP API, with its replicas' consumers and relay."""

import structlog

from kernel.logs import configure_logging
from kernel.service import serve

from .app import build
from .settings import AwardsSettings
from .signing import SigningMisconfigured

settings = AwardsSettings()
configure_logging("awards", settings.log_format, settings.log_level)  # build() logs a token that cannot sign
try:
    app, service = build(settings)
except SigningMisconfigured as error:  # the operator's to fix: one line saying what, not a traceback
    structlog.get_logger("awards.signing").error("awards.signing.misconfigured", error=str(error))
    raise SystemExit(2) from None
serve(app, settings, "awards")
