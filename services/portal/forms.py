"""The one way every portal form works.

* **CSRF**: every form posts the session's token back (``csrf``); :func:`read` refuses a post without it.
* **No double submission**: each rendering of a form carries a fresh ``Idempotency-Key`` (hidden field
  ``idempotency_key``) that the command is sent with; a double click or a re-sent post is the same command
  to the service, which answers it once (kernel/idempotency.py). ``static/forms.js`` also disables the
  button once pressed, and a success answers with a redirect (POST-redirect-GET), so a reload re-sends nothing.
* **Validation next to the field**: a service's refusal (its ``{code, message, details}``) becomes a
  :class:`Form` again, with the person's input kept and a Vietnamese message on the field the details
  name (a request-validation path ``body.year``, or a rule's ``field``); a refusal naming no field is
  shown above the form. Codes the portal knows are said in Vietnamese; others keep the service's message.
* **Confirmation before an irreversible act** (a grant, a rejection, a revocation): the form's first post
  renders ``confirm.html`` — what will be done, the same values as hidden fields and ``confirmed=1`` — and
  only the second post is sent; this works without JavaScript.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from .backends.base import BackendError
from .routes.common import render
from .sessions import Session

CONTROL_FIELDS = frozenset({"csrf", "idempotency_key", "confirmed"})
"""Fields every form carries that are not the person's input."""

CODE_VI: dict[str, str] = {
    "invalid_request": "Thông tin nhập chưa hợp lệ.",
    "invalid_command": "Thông tin nhập chưa hợp lệ.",
    "year_in_future": "Năm không được ở tương lai.",
    "date_in_future": "Ngày không được ở tương lai.",
    "date_before_submission": "Ngày này trước ngày đơn vị trình hồ sơ.",
    "decision_before_vote": "Ngày quyết định trước ngày Hội đồng bỏ phiếu.",
    "decision_before_proposal": "Ngày quyết định trước ngày trình cấp trên.",
    "nomination_exists": "Hồ sơ đề nghị này đã có.",
    "nomination_not_found": "Không tìm thấy hồ sơ đề nghị.",
    "unknown_candidate": "Không có người được đề nghị này trong hồ sơ.",
    "duplicate_candidate": "Một người chỉ được đề nghị một lần trong hồ sơ.",
    "subject_not_found": "Không tìm thấy cá nhân hoặc đơn vị này.",
    "candidate_outside_unit": "Người được đề nghị không thuộc đơn vị trình.",
    "wrong_recipient_kind": "Hình thức khen thưởng này không dành cho đối tượng đã chọn.",
    "no_rule_for_year": "Chưa có quy định cho hình thức khen thưởng này trong năm đã chọn.",
    "dossier_incomplete": "Hồ sơ chưa đủ thành phần theo quy định.",
    "candidate_not_returned": "Người này không ở trạng thái bị trả lại.",
    "candidate_not_eligible": "Người này chưa được đánh giá đủ điều kiện.",
    "no_longer_eligible": "Người này không còn đủ điều kiện.",
    "candidate_already_decided": "Người này đã có quyết định.",
    "notice_already_open": "Đang lấy ý kiến công khai.",
    "notice_not_open": "Chưa mở lấy ý kiến công khai.",
    "notice_too_short": "Thời gian công khai ngắn hơn quy định.",
    "notice_period_not_over": "Thời gian công khai chưa kết thúc.",
    "notice_required": "Phải công khai lấy ý kiến trước.",
    "comment_unresolved": "Còn ý kiến phản ánh chưa có kết quả xác minh.",
    "comment_founded": "Có ý kiến phản ánh đúng: không thể tiếp tục.",
    "closes_on_required": "Cần ngày kết thúc công khai.",
    "voter_not_on_council": "Người bỏ phiếu không là thành viên Hội đồng.",
    "duplicate_ballot": "Một thành viên chỉ có một phiếu.",
    "already_voted": "Hội đồng đã bỏ phiếu cho người này.",
    "vote_required": "Cần Hội đồng bỏ phiếu trước khi quyết định.",
    "vote_not_passed": "Kết quả bỏ phiếu của Hội đồng không đạt.",
    "beyond_power": "Vượt thẩm quyền của Bộ trưởng: cần trình cấp trên.",
    "wrong_authority": "Không đúng cấp có thẩm quyền.",
    "not_forwardable": "Hình thức này không trình cấp trên.",
    "award_already_granted": "Đã có quyết định khen thưởng.",
    "quota_exceeded": "Vượt chỉ tiêu khen thưởng.",
    "unknown_document_kind": "Loại tài liệu không có trong thành phần hồ sơ.",
    "unsupported_file_type": "Định dạng tệp không được chấp nhận (PDF, DOCX, JPEG, PNG).",
    "file_too_large": "Tệp quá lớn.",
    "dossier_too_large": "Tổng dung lượng hồ sơ vượt giới hạn.",
    "empty_file": "Tệp rỗng.",
    "already_assigned": "Hồ sơ đã được giao cho chuyên viên này.",
    "outside_unit_scope": "Bạn chỉ thao tác được với đơn vị của mình.",
    "registration_deadline_passed": "Đã quá hạn đăng ký thi đua của phong trào.",
    "unit_not_in_scope": "Đơn vị không thuộc phạm vi của phong trào.",
    "year_outside_movement_period": "Năm đăng ký ngoài thời gian của phong trào.",
    "movement_closed": "Phong trào đã kết thúc.",
    "movement_not_found": "Không tìm thấy phong trào này.",
    "registration_exists": "Đơn vị đã đăng ký phong trào này trong năm.",
    "registration_not_found": "Không tìm thấy đăng ký này.",
    "empty_registration": "Đăng ký ít nhất một danh hiệu tập thể hoặc một cá nhân.",
    "unknown_title": "Mã danh hiệu không có trong danh mục đăng ký.",
    "title_not_for_collective": "Danh hiệu này không dành cho tập thể.",
    "title_not_for_individual": "Danh hiệu này không dành cho cá nhân.",
    "duplicate_person": "Một người chỉ được đăng ký một lần.",
    "person_not_found": "Không tìm thấy cán bộ này.",
    "completed_exceeds_headcount": "Số hoàn thành lớn hơn tổng số cán bộ.",
    "year_closed": "Năm thi đua đã khoá sổ.",
    "idempotency_key_in_progress": "Yêu cầu này đang được xử lý; vui lòng chờ giây lát rồi tải lại trang.",
    "idempotency_key_reused": "Biểu mẫu đã được gửi; vui lòng mở lại trang.",
    "forbidden": "Vai trò của bạn không được thực hiện thao tác này.",
}
"""The Vietnamese for the refusals a person meets on the portal's forms (the services speak English)."""

PROBLEM_VI: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Field required"), "Bắt buộc nhập."),
    (re.compile(r"^Input should be a valid integer"), "Phải là số nguyên."),
    (re.compile(r"^Input should be a valid date"), "Ngày không hợp lệ (dd/mm/yyyy)."),
    (re.compile(r"^Input should be greater than or equal to (\S+)"), "Phải lớn hơn hoặc bằng {0}."),
    (re.compile(r"^Input should be less than or equal to (\S+)"), "Phải nhỏ hơn hoặc bằng {0}."),
    (re.compile(r"^Input should be greater than (\S+)"), "Phải lớn hơn {0}."),
    (re.compile(r"^String should have at least (\d+)"), "Cần ít nhất {0} ký tự."),
    (re.compile(r"^String should have at most (\d+)"), "Tối đa {0} ký tự."),
    (re.compile(r"^List should have at least (\d+)"), "Cần chọn ít nhất {0}."),
)
"""A request-validation problem (pydantic's English) in Vietnamese; an unknown one is shown as it is."""


@dataclass
class Form:
    """One rendering of a form: the values shown, the messages, and the key its submission is sent with."""

    values: Mapping[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    key: str = field(default_factory=lambda: secrets.token_urlsafe(18))

    def value(self, name: str, default: Any = "") -> Any:
        """What the field shows: the person's input when a post was refused, else ``default``."""
        found = self.values.get(name)
        return default if found is None else found

    def values_of(self, name: str) -> list[str]:
        """Every value of a multi-valued field (checkboxes, a multiple select)."""
        found = self.values.get(name)
        if found is None:
            return []
        return list(found) if isinstance(found, (list, tuple)) else [found]

    def error(self, name: str) -> str | None:
        return self.errors.get(name)

    @property
    def refused(self) -> bool:
        return bool(self.errors or self.message)


class CsrfRefused(BackendError):
    """A post without the session's CSRF token: nothing is sent to any service."""

    def __init__(self) -> None:
        super().__init__("portal", 403, "csrf_failed", "Biểu mẫu đã hết hạn hoặc không hợp lệ; vui lòng mở lại trang.")


async def read(request: Request, s: Session) -> dict[str, Any]:
    """The posted fields (a field posted twice as a list), after the CSRF check; files stay in the form data."""
    data = await request.form()
    if not s.csrf_ok(str(data.get("csrf") or "")):
        raise CsrfRefused()
    fields: dict[str, Any] = {}
    for name in data:
        values = data.getlist(name)
        fields[name] = values if len(values) > 1 else values[0]
    return fields


def inputs(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The person's input only (no CSRF, key or confirmation)."""
    return {k: v for k, v in fields.items() if k not in CONTROL_FIELDS and isinstance(v, (str, list))}


def vietnamese(error: BackendError) -> str:
    """The refusal in Vietnamese when the portal knows its code; the service's own message otherwise."""
    return CODE_VI.get(error.code, error.message)


def _problem_vi(problem: str) -> str:
    for pattern, text in PROBLEM_VI:
        found = pattern.match(problem)
        if found:
            return text.format(*found.groups())
    return problem


def refused(error: BackendError, fields: Mapping[str, Any], names: Mapping[str, str] | None = None) -> Form:
    """The form again after a refusal: the input kept, each message on the field its details name.

    ``names`` maps a service's field (the last part of a path like ``body.candidates.0.subject_id``, or a
    code) to the form's field when they differ; a form field named by the path's last two parts
    (``unit_name.x_mm`` for ``body.fields.unit_name.x_mm``) takes the message first.
    """
    names = names or {}
    errors: dict[str, str] = {}
    for problem in error.details.get("errors", []) if isinstance(error.details.get("errors"), list) else []:
        where = [part for part in str(problem.get("where", "")).split(".") if not part.isdigit()]
        service_field = where[-1] if where else ""
        target = names.get(service_field, service_field)
        if ".".join(where[-2:]) in fields:  # a nested model's field the form names by its parent (``unit_name.x_mm``)
            target = ".".join(where[-2:])
        if target in fields:
            errors.setdefault(target, _problem_vi(str(problem.get("problem", ""))))
    named = names.get(error.code) or names.get(str(error.details.get("field", ""))) \
        or str(error.details.get("field", ""))
    if not errors and named in fields:
        errors[named] = vietnamese(error)
    message = None if errors else vietnamese(error)
    return Form(values=inputs(fields), errors=errors, message=message)


def done(location: str) -> RedirectResponse:
    """A command's success: POST-redirect-GET, so a reload shows the result and sends nothing again."""
    return RedirectResponse(location, status_code=303)


def confirm_page(request: Request, fields: Mapping[str, Any], action: str, title: str, what: str,
                 back: str) -> HTMLResponse:
    """The confirmation step of an irreversible act: the same values posted again with ``confirmed=1``."""
    hidden = [(k, v) for k, vs in fields.items() if k not in ("confirmed", "csrf")
              for v in (vs if isinstance(vs, list) else [vs]) if isinstance(v, str)]
    return render(request, "confirm.html", {"action": action, "title": title, "what": what, "back": back,
                                            "hidden": hidden})


def confirmed(fields: Mapping[str, Any]) -> bool:
    return fields.get("confirmed") == "1"
