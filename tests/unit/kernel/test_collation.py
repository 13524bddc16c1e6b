"""Vietnamese alphabetical order (kernel/collation.py)."""

from __future__ import annotations

import random
import unicodedata

import pytest

from kernel.collation import by_given_name, sortable, vietnamese_key

ORDERED = [
    # base letters first: Hà before Huỳnh although "à" > "u" by code point
    ("Hà", "Huỳnh"),
    # đ is a letter of its own, after d and before e
    ("Dũng", "Đặng"), ("Đặng", "Em"), ("Duy", "Đa"),
    # ă and â follow a; ê follows e; ô and ơ follow o; ư follows u
    ("Anh", "Ăn"), ("Ăn", "Ân"), ("Âu", "Bình"), ("Em", "Êm"), ("Ông", "Ơn"), ("Ơn", "Phúc"),
    ("Uyên", "Ưng"), ("Ưng", "Vân"),
    # foreign letters in the alphabet's place: f after ê, w after v, z last
    ("Êm", "Fanny"), ("Fanny", "Giang"), ("Vân", "William"), ("Yến", "Zoë"),
    # tones only between otherwise equal words: ngang, huyền, hỏi, ngã, sắc, nặng
    ("Ha", "Hà"), ("Hà", "Hả"), ("Hả", "Hã"), ("Hã", "Há"), ("Há", "Hạ"),
    # a word's end comes before a longer word: "Hà Nam" before "Hàm"
    ("Hà Nam", "Hàm"),
    # case last
    ("an", "An"),
]


@pytest.mark.parametrize(("first", "second"), ORDERED)
def test_pairs_in_vietnamese_order(first: str, second: str) -> None:
    assert vietnamese_key(first) < vietnamese_key(second)
    assert sorted([second, first], key=vietnamese_key) == [first, second]


def test_a_shuffled_list_comes_back_in_dictionary_order() -> None:
    names = ["An", "Ăn", "Ân", "Bình", "Chi", "Dũng", "Duy", "Đa", "Đặng", "Em", "Ê", "Giang", "Ha", "Hà", "Hả",
             "Hã", "Há", "Hạ", "Hải", "Huỳnh", "Khánh", "Oanh", "Ông", "Ơn", "Phúc", "Uyên", "Ưng", "Vân", "Yến"]
    shuffled = names[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vietnamese_key) == names
    assert sorted(shuffled) != names  # code-point order is not it


def test_composed_and_decomposed_text_sort_the_same() -> None:
    for name in ("Nguyễn Thị Hương", "Đặng Văn Lâm", "Huỳnh Tấn Phát"):
        assert vietnamese_key(unicodedata.normalize("NFD", name)) == vietnamese_key(name)


def test_people_by_given_name_then_family_and_middle_names() -> None:
    people = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Văn An", "Đỗ Thị Ánh"]
    assert sorted(people, key=by_given_name) == ["Lê Văn An", "Nguyễn Thị An", "Đỗ Thị Ánh", "Trần Văn Bình"]


def test_a_list_of_people_as_the_office_orders_it() -> None:
    names = ["Lê Văn Đức", "Đinh Văn Giang", "Phạm Thị Dung", "Nguyễn Thị Ân", "Trần Văn Anh", "Vũ Thị Ánh"]
    assert sorted(names, key=by_given_name) == [
        "Trần Văn Anh", "Vũ Thị Ánh", "Nguyễn Thị Ân", "Phạm Thị Dung", "Lê Văn Đức", "Đinh Văn Giang"
    ]


def test_missing_text_sorts_first() -> None:
    assert vietnamese_key(None) == vietnamese_key("") < vietnamese_key("A")


def test_the_sortable_text_orders_as_the_key_does() -> None:
    rng = random.Random(11)
    syllables = ["An", "Ăn", "Ân", "Hà", "Ha", "Há", "Hạ", "Huỳnh", "Đặng", "Dũng", "Ông", "Ơn", "Ưng", "Uyên", "h", "H",
                 "Nguyễn", "Thị", "Hương", "Lê", "2", "10", "Zoë"]
    texts = {" ".join(rng.choice(syllables) for _ in range(rng.randint(1, 3))) for _ in range(400)}
    by_key = sorted(texts, key=vietnamese_key)
    assert sorted(texts, key=sortable) == by_key
    assert all(s.isascii() for s in map(sortable, texts))
