"""Public holidays of the years whose public notices the scenario replays (not working days for a notice).

Bộ luật Lao động (2012, then 2019 Art. 112) and the Government's yearly announcements of days off and
swaps (nghỉ bù). Only the years with a notice period in the history are listed: 2020 (Nhà giáo ưu tú) and
2023 (Nhà giáo, Huân chương Lao động), so that the workflow counts working days as the office did.
"""

from __future__ import annotations

from datetime import date, timedelta


def _days(first: date, last: date, name: str) -> list[tuple[date, str]]:
    return [(first + timedelta(days=i), name) for i in range((last - first).days + 1)]


HOLIDAYS: dict[int, list[tuple[date, str]]] = {
    2020: [
        (date(2020, 1, 1), "Tết Dương lịch"),
        *_days(date(2020, 1, 23), date(2020, 1, 29), "Tết Nguyên đán"),
        (date(2020, 4, 2), "Giỗ Tổ Hùng Vương"),
        (date(2020, 4, 30), "Ngày Chiến thắng"),
        (date(2020, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2020, 9, 2), "Quốc khánh"),
    ],
    2023: [
        (date(2023, 1, 2), "Tết Dương lịch (nghỉ bù)"),
        *_days(date(2023, 1, 20), date(2023, 1, 26), "Tết Nguyên đán"),
        (date(2023, 4, 29), "Giỗ Tổ Hùng Vương"),
        (date(2023, 4, 30), "Ngày Chiến thắng"),
        (date(2023, 5, 1), "Ngày Quốc tế Lao động"),
        (date(2023, 5, 2), "Nghỉ bù"),
        (date(2023, 5, 3), "Nghỉ bù"),
        *_days(date(2023, 9, 1), date(2023, 9, 4), "Quốc khánh"),
    ],
}
