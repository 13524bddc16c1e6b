"""Vietnamese personal names: family names with their real frequencies, middle and given names by sex.

Family-name shares follow the commonly cited distribution (Nguyễn about 38 %,
Trần 11 %, Lê 9.5 %, Phạm 7 % …); middle names follow usage (Văn, Đức, Minh …
for men; Thị, Thu, Ngọc … for women). Every string is NFC, as the units
service stores names, so a name never differs from its record by its Unicode
form.
"""

from __future__ import annotations

import random
import unicodedata

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1), ("Huỳnh", 2.0),
    ("Phan", 4.5), ("Vũ", 2.4), ("Võ", 1.6), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.7), ("Trương", 0.6), ("Đào", 0.5),
    ("Lương", 0.4), ("Mai", 0.4), ("Tạ", 0.3), ("Cao", 0.3), ("Hà", 0.4), ("Lưu", 0.2), ("Kiều", 0.1),
    ("Tô", 0.2), ("Quách", 0.1), ("Chu", 0.2), ("Lâm", 0.2), ("Thái", 0.1), ("Khổng", 0.05),
)

MIDDLE_MALE: tuple[tuple[str, float], ...] = (
    ("Văn", 30), ("Đức", 9), ("Minh", 9), ("Quang", 7), ("Hữu", 6), ("Thanh", 5), ("Ngọc", 4),
    ("Xuân", 4), ("Công", 4), ("Tuấn", 3), ("Hoàng", 3), ("Trọng", 3), ("Mạnh", 2), ("Anh", 2),
    ("Việt", 2), ("Thế", 2), ("Duy", 2), ("Đình", 3), ("Tiến", 2), ("Hồng", 1), ("Kim", 1),
    ("Bá", 1), ("Trung", 1), ("Hải", 1),
)

MIDDLE_FEMALE: tuple[tuple[str, float], ...] = (
    ("Thị", 42), ("Thu", 7), ("Ngọc", 6), ("Thanh", 6), ("Minh", 4), ("Phương", 3), ("Thúy", 3),
    ("Hồng", 4), ("Kim", 3), ("Lan", 2), ("Diệu", 1), ("Bích", 2), ("Mai", 2), ("Hải", 2),
    ("Quỳnh", 2), ("Khánh", 1), ("Hoài", 1), ("Tuyết", 1), ("Mỹ", 1), ("Vân", 1),
)

GIVEN_MALE: tuple[str, ...] = (
    "An", "Anh", "Bảo", "Bình", "Cường", "Chiến", "Công", "Dũng", "Duy", "Dương", "Đạt", "Điệp",
    "Định", "Đông", "Đức", "Giang", "Hà", "Hải", "Hiếu", "Hiển", "Hiệp", "Hòa", "Hoàng", "Huy",
    "Hùng", "Hưng", "Khải", "Khánh", "Khoa", "Kiên", "Lâm", "Linh", "Long", "Lộc", "Lợi", "Luân",
    "Mạnh", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Phương", "Quang", "Quân", "Quý",
    "Sơn", "Tài", "Tâm", "Thái", "Thắng", "Thành", "Thịnh", "Thông", "Tiến", "Toàn", "Trí", "Trung",
    "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Khôi", "Hậu", "Lực", "Sang",
)

GIVEN_FEMALE: tuple[str, ...] = (
    "An", "Anh", "Bích", "Chi", "Dung", "Diệp", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
    "Hoa", "Hồng", "Huệ", "Hương", "Hường", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "Minh",
    "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thanh",
    "Thơ", "Thu", "Thủy", "Thúy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Yến", "Xuân", "Loan",
    "Nhàn", "Hậu", "Lý", "Thoa", "Huyền", "Vy",
)


def _weighted(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    names, weights = zip(*table, strict=True)
    return rng.choices(names, weights=weights, k=1)[0]


def full_name(rng: random.Random, female: bool) -> str:
    """A realistic full name (họ, tên đệm, tên), NFC; about one in six has a second middle name."""
    family = _weighted(rng, FAMILY_NAMES)
    middle = _weighted(rng, MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    parts = [family, middle]
    if rng.random() < 0.17:
        # e.g. "Nguyễn Thị Thu Hương", "Trần Văn Minh Tuấn": a second middle name, not the given name again.
        second = _weighted(rng, MIDDLE_FEMALE if female else MIDDLE_MALE)
        if second not in (middle, given, "Thị", "Văn"):
            parts.append(second)
    if given in parts:  # "Minh Minh" reads as a typing slip
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        if given in parts:
            given = "Hương" if female else "Hùng"
    parts.append(given)
    return unicodedata.normalize("NFC", " ".join(parts))
