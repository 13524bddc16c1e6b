"""Who may do what in the notifications context (kernel.auth).

Every person reads and marks their own notifications (the token's ``sub`` is
whose they are: nobody reads another's); the recipients — people's e-mail
addresses, personal data — are the administrator's to keep and to read.
"""

from __future__ import annotations

from kernel.auth import AccessTable, Role, rule

EVERYONE = tuple(Role)

ACCESS = AccessTable({
    "GET /recipients": rule(note="e-mail addresses: the administrator's"),
    "PUT /recipients/{account}": rule(),
    "POST /notifications/{notification_id}/read": rule(*EVERYONE, note="one's own only"),
    "POST /notifications/read-all": rule(*EVERYONE, note="one's own only"),
})
