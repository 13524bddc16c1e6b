"""An Idempotency-Key's request fingerprint: a multipart body by its content, whatever its boundary."""

from __future__ import annotations

from fastapi import Request

from kernel.idempotency import request_fingerprint


def _multipart(boundary: str, content: bytes, *, title: str = "Tờ trình", file_name: str = "to-trinh.pdf") -> bytes:
    b = boundary.encode()
    return b"".join([
        b"--" + b + b'\r\nContent-Disposition: form-data; name="kind"\r\n\r\nto_trinh\r\n',
        b"--" + b + b'\r\nContent-Disposition: form-data; name="title"\r\n\r\n' + title.encode() + b"\r\n",
        b"--" + b + b'\r\nContent-Disposition: form-data; name="file"; filename="' + file_name.encode()
        + b'"\r\nContent-Type: application/pdf\r\n\r\n' + content + b"\r\n",
        b"--" + b + b"--\r\n",
    ])


def _request(body: bytes, content_type: str, path: str = "/nominations/n-1/dossier/documents") -> Request:
    sent = False

    async def receive() -> dict[str, object]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    scope = {"type": "http", "method": "POST", "path": path, "query_string": b"", "root_path": "",
             "headers": [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())],
             "scheme": "http", "server": ("test", 80)}
    return Request(scope, receive)  # type: ignore[arg-type]


async def _of_form(boundary: str, content: bytes, **kw: str) -> str:
    request = _request(_multipart(boundary, content, **kw), f"multipart/form-data; boundary={boundary}")
    found = await request_fingerprint(request)
    # The form stays readable for the route, its file at its start.
    upload = (await request.form())["file"]
    assert await upload.read() == content  # type: ignore[union-attr]
    return found


async def test_the_same_form_with_another_boundary_is_the_same_request() -> None:
    pdf = b"%PDF-1.4\n% to trinh\n%%EOF\n"
    first = await _of_form("aaaa1111", pdf)
    assert await _of_form("bbbb2222", pdf) == first
    assert await _of_form("aaaa1111", pdf + b"% sua\n") != first  # another file
    assert await _of_form("aaaa1111", pdf, title="Tờ trình (sửa)") != first  # another field
    assert await _of_form("aaaa1111", pdf, file_name="khac.pdf") != first  # another file name


async def test_a_json_body_is_compared_byte_for_byte() -> None:
    one = await request_fingerprint(_request(b'{"a": 1}', "application/json"))
    assert await request_fingerprint(_request(b'{"a": 1}', "application/json")) == one
    assert await request_fingerprint(_request(b'{"a": 2}', "application/json")) != one
    assert await request_fingerprint(_request(b'{"a": 1}', "application/json", path="/other")) != one
