"""Command models: NFC and trimming, malformed Vietnamese text, ids, codes, error mapping."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest
from pydantic import ValidationError

from kernel.errors import DomainError
from services.units.domain import (
    CorrectEvaluation,
    EnrolPerson,
    EstablishUnit,
    RecognizeInitiative,
    RenameUnit,
    validation_error,
)
from kernel.text import check_text

PRECOMPOSED = "Nguyễn Thị Hương"
DECOMPOSED = unicodedata.normalize("NFD", PRECOMPOSED)

ENROL = {
    "person_id": "p-000123",
    "full_name": PRECOMPOSED,
    "sex": "female",
    "date_of_birth": "1985-04-12",
    "sector_joined_on": "2008-09-01",
    "unit_id": "u-vtccb",
    "position": "Chuyên viên chính",
    "staff_category": "cong_chuc",
    "union_member": True,
}


def refused(model, data, code: str) -> DomainError:
    with pytest.raises(DomainError) as caught:
        model.parse(data)
    assert caught.value.code == code, caught.value.to_dict()
    assert caught.value.details["errors"]
    return caught.value


def test_decomposed_name_is_stored_precomposed() -> None:
    assert DECOMPOSED != PRECOMPOSED and len(DECOMPOSED) > len(PRECOMPOSED)
    cmd = EnrolPerson.parse(dict(ENROL, full_name=f"\t {DECOMPOSED}  \n"))
    assert cmd.full_name == PRECOMPOSED
    assert cmd.full_name.encode() == PRECOMPOSED.encode()


def test_nfc_applies_to_every_text_field() -> None:
    cmd = EstablishUnit.parse(
        {
            "unit_id": "u-vtccb",
            "code": "vtccb",
            "name": unicodedata.normalize("NFD", " Vụ Tổ chức   cán bộ "),
            "kind": "vu",
            "effective_on": "2017-06-01",
            "decision_number": unicodedata.normalize("NFD", "1850/QĐ-BCT"),
        }
    )
    assert cmd.name == "Vụ Tổ chức cán bộ"  # trimmed, inner spaces collapsed
    assert cmd.code == "VTCCB"
    assert cmd.decision_number == "1850/QĐ-BCT"


def test_parse_accepts_json_text() -> None:
    cmd = EnrolPerson.parse(json.dumps(ENROL, ensure_ascii=False).encode())
    assert cmd.full_name == PRECOMPOSED and cmd.effective_on is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("   ", "empty"),
        ("Nguyễn\x07 Văn A", "control character"),
        ("Nguyễn\u200b Văn A", "format character"),
        ("Nguy\ufffdn Văn A", "U+FFFD"),
        ("\u0303Nguyen Van A", "combining mark"),
        ("Nguyá»…n Văn A", "mis-decoded"),
        ("Vá»¥ Tá»• chá»©c cÃ¡n bá»™", "mis-decoded"),
        ("Hà Nguyá»…n", "mis-decoded"),
        ("Trần\ue000 Văn A", "private-use"),
    ],
)
def test_malformed_text_is_refused(text: str, why: str) -> None:
    error = refused(EnrolPerson, dict(ENROL, full_name=text), "invalid_text")
    assert why in error.message
    error = refused(RenameUnit, {"unit_id": "u-x", "name": text, "effective_on": "2020-01-01"}, "invalid_text")
    assert error.details["errors"][0]["field"] == "name"


def test_mojibake_message_shows_the_intended_text() -> None:
    error = refused(EnrolPerson, dict(ENROL, full_name="Nguyá»…n Văn A"), "invalid_text")
    assert "'ễ'" in error.message


@pytest.mark.parametrize(
    "text",
    ["Hà Nội", "Đoàn Văn Bơ", "Thi đua – khen thưởng", "Chương trình “Ô”", "Bộ Công Thương", "NGUYỄN ÁNH"],
)
def test_good_vietnamese_text_passes(text: str) -> None:
    assert check_text(text) == text


def test_multiline_reason_keeps_new_lines() -> None:
    cmd = CorrectEvaluation.parse(
        {
            "subject": "person",
            "subject_id": "p-1",
            "year": 2023,
            "grade": "HTT",
            "reason": "  Dòng một  \r\n\r\n\r\n\tDòng   hai ",
        }
    )
    assert cmd.reason == "Dòng một\n\nDòng hai"


@pytest.mark.parametrize("name", ["Nguyễn Văn 2", "Nguyễn Văn Аn", "Nguyễn_Văn", "A"])
def test_person_name_must_be_a_name(name: str) -> None:
    refused(EnrolPerson, dict(ENROL, full_name=name), "invalid_name")


@pytest.mark.parametrize("name", ["H'Hen Niê", "Lê Thị Mỹ-Linh", "Y Moan Ênuôl"])
def test_ethnic_and_compound_names_pass(name: str) -> None:
    assert EnrolPerson.parse(dict(ENROL, full_name=name)).full_name == name


@pytest.mark.parametrize("bad", ["", " p 1", "p/1", "người-1", "x" * 65])
def test_ids_are_checked(bad: str) -> None:
    refused(EnrolPerson, dict(ENROL, person_id=bad), "invalid_id")


@pytest.mark.parametrize("bad", ["VỤ", "A B", "-X", "X" * 33])
def test_unit_codes_are_checked(bad: str) -> None:
    refused(
        EstablishUnit,
        {"unit_id": "u-1", "code": bad, "name": "Vụ Pháp chế", "kind": "vu", "effective_on": "2020-01-01"},
        "invalid_code",
    )


def test_missing_field_unknown_field_bad_enum_are_invalid_command() -> None:
    data = {k: v for k, v in ENROL.items() if k != "sex"}
    assert "sex" in refused(EnrolPerson, data, "invalid_command").message
    refused(EnrolPerson, dict(ENROL, salary=1), "invalid_command")
    refused(EnrolPerson, dict(ENROL, staff_category="chuyen_vien"), "invalid_command")
    refused(CorrectEvaluation, {"subject": "person", "subject_id": "p", "year": 2023, "grade": "HTT"}, "invalid_command")
    refused(CorrectEvaluation, {"subject": "team", "subject_id": "p", "year": 2023, "grade": "HTT", "reason": "x"},
            "invalid_command")


def test_empty_correction_reason_is_invalid_text() -> None:
    refused(
        CorrectEvaluation,
        {"subject": "person", "subject_id": "p-1", "year": 2023, "grade": "HTT", "reason": " \u00a0 "},
        "invalid_text",
    )


def test_text_error_wins_over_other_errors() -> None:
    error = refused(EnrolPerson, dict(ENROL, full_name="Nguyá»…n", sex="x"), "invalid_text")
    assert {e["field"] for e in error.details["errors"]} == {"full_name", "sex"}


def test_validation_error_accepts_fastapi_style_errors() -> None:
    error = validation_error([{"loc": ("body", "full_name"), "type": "invalid_name", "msg": "bad"}])
    assert error.code == "invalid_name"
    assert error.details["errors"] == [{"field": "full_name", "type": "invalid_name", "message": "bad"}]
    assert error.status == 422


def test_commands_are_immutable() -> None:
    cmd = EnrolPerson.parse(ENROL)
    with pytest.raises(ValidationError):
        cmd.full_name = "Trần Văn B"  # type: ignore[misc]


def test_initiative_authors_are_deduplicated_in_order() -> None:
    cmd = RecognizeInitiative.parse(
        {
            "initiative_id": "sk-1",
            "kind": "sang_kien",
            "level": "co_so",
            "year": 2023,
            "title": "Số hóa hồ sơ thi đua",
            "decision_number": "1/QĐ-BCT",
            "decided_on": "2023-12-01",
            "author_ids": ["p-2", "p-1", "p-2"],
            "unit_id": "u-1",
        }
    )
    assert cmd.author_ids == ["p-2", "p-1"]
    assert cmd.decided_on == date(2023, 12, 1)
