"""A decision's identity: its issuer, its year and its number in the issuer's register.

Decision numbers restart every year in each issuer's register (Nghị định 30/2020/NĐ-CP, Art. 15: "số của
văn bản … được ghi liên tục từ số 01 vào ngày đầu năm"), so ``1520/QĐ-BCT`` names one decision of 2023
and another of 2024. The number's ký hiệu already names the issuer (``QĐ-BCT``: a decision, quyết định, of
the Ministry, Bộ Công Thương; ``QĐ-VTCCB``: of a unit head) and the events carry the decision's date, so
the three parts are read from what every award event holds — no event needs a new field.

Routes address a decision as ``/decisions/{issuer}/{year}/{number}`` (``/decisions/BCT/2023/1520``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from pydantic import Field

from ..domain.base import DomainModel

DECISION_SYMBOL = "QĐ"
"""The ký hiệu of a decision's kind (Nghị định 30/2020, Appendix III: Quyết định — QĐ)."""

_NUMBER = re.compile(rf"^(?P<serial>[0-9]+[a-z]?)/{DECISION_SYMBOL}-(?P<issuer>[^/\s]+)$")

ISSUER_PATTERN = r"^[^/\s]{1,32}$"
SERIAL_PATTERN = r"^[0-9]{1,6}[a-z]?$"


class DecisionRef(DomainModel):
    """One decision: issuer, year, number (``BCT``, ``2023``, ``1520`` for ``1520/QĐ-BCT`` of 2023)."""

    issuer: str = Field(pattern=ISSUER_PATTERN, description="The ký hiệu's issuer: BCT, TTg, CTN, a unit's code.")
    year: int = Field(ge=1945, le=2100, description="The year of the decision's date: its register.")
    number: str = Field(pattern=SERIAL_PATTERN, description="The number in the year's register (số).")

    @classmethod
    def of(cls, decision_number: str, decision_date: date) -> DecisionRef:
        """The identity of the decision ``decision_number`` dated ``decision_date``.

        Raises ValueError for a number that is not ``<số>/QĐ-<issuer>`` (one entered from old files in
        another shape): such a decision is reached by its number alone (``/decisions/{number}/…``).
        """
        match = _NUMBER.match(unicodedata.normalize("NFC", decision_number.strip()))
        if match is None:
            raise ValueError(f"{decision_number!r} is not a decision number of the form <số>/QĐ-<issuer>")
        return cls(issuer=match["issuer"], year=decision_date.year, number=match["serial"])

    @property
    def decision_number(self) -> str:
        """The number as printed: ``1520/QĐ-BCT``."""
        return f"{self.number}/{DECISION_SYMBOL}-{self.issuer}"

    @property
    def path(self) -> str:
        """The route's part: ``/decisions/BCT/2023/1520``."""
        return f"/decisions/{self.issuer}/{self.year}/{self.number}"

    @property
    def slug(self) -> str:
        """A file name's part: ``1520-QD-BCT-2023`` (ASCII)."""
        ascii_issuer = unicodedata.normalize("NFD", self.issuer).encode("ascii", "ignore").decode() or "X"
        return f"{self.number}-QD-{ascii_issuer}-{self.year}"


def ref_or_none(decision_number: str, decision_date: date) -> DecisionRef | None:
    """:meth:`DecisionRef.of`, or None for a number in another shape."""
    try:
        return DecisionRef.of(decision_number, decision_date)
    except ValueError:
        return None
