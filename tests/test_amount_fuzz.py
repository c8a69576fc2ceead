"""No figure breaks the amount parser: fuzzed text of digits, numerals, units and punctuation."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from legco_kg.extractors.amounts import amounts, find_in_tables, find_in_text, find_in_wrapped_rows, find_in_year_tables, parse_number
from legco_kg.extractors.text import clean_line
from legco_kg.errors import InputError

from helpers import paper

# The pieces money is written with, and the ones that look like it.
PIECES = st.sampled_from(
    list("0123456789０１２３４５６７８９,.-–½¼¾ 一二兩三十百千萬億零元$%()（）年度約逾至每名項點\n")
    + ["港元", "人民幣", "HK$", "(百萬元)", "(萬元)", "2023-24", "2024-25年度", "2021/ 22", "學年學校數目", "人次", "(12)", "總數", "計劃", "資助", "實際開支", "9" * 40]
)
TEXT = st.lists(PIECES, max_size=60).map("".join)
FUZZ = settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(TEXT)
def test_prose_never_raises_and_spans_hold(text):
    for found in find_in_text(text):
        assert text[found.start : found.end] == found.text
        assert found.value.is_finite() and abs(found.value) < Decimal(10) ** 26


@FUZZ
@given(st.lists(TEXT, max_size=8))
def test_tables_never_raise(rows):
    lines = [(row, set()) for row in rows]
    for cell in [*find_in_tables(lines), *find_in_year_tables(lines), *find_in_wrapped_rows(lines)]:
        line = rows[cell.line]
        assert line[cell.found.start : cell.found.end] == cell.found.text


@FUZZ
@given(TEXT)
def test_a_document_never_raises_and_offsets_hold(text):
    original = text.replace("\n", " \n ") + "。"
    try:
        doc = paper(original, "fuzz.txt")
    except InputError:
        return  # an empty document: its one-line error is tested with the CLI
    for amount in amounts(doc):
        assert amount.value.is_finite()
        assert clean_line(original[amount.start : amount.end], base=0).text.replace(" ", "") == amount.text.replace(" ", "")


@pytest.mark.parametrize(
    "text, value",
    [("1½", "1.5"), ("½", "0.5"), ("3¾", "3.75"), ("２０", "20")],
    ids=["one-and-a-half", "half", "three-and-three-quarters", "full-width"],
)
def test_fractions_and_full_width_digits(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("撥 款 1½億 元", [("1½億元", Decimal("150000000"))]),
        ("預 留 ¼億 元", [("¼億元", Decimal("25000000"))]),
        ("撥 款 １２億 元", [("12億元", Decimal("1200000000"))]),
        ("撥 款 " + "9" * 29 + "億 元", []),
        ("撥 款 " + "1" * 400 + "元", []),
        ("撥 款 萬 元 予 計 劃", []),
        ("投 資 10.3億 元 人 民 幣", [("10.3億元人民幣", Decimal("1030000000"))]),
    ],
    ids=["fraction", "quarter", "full-width", "29-digits", "400-digits", "unit-without-number", "yuan-after"],
)
def test_figures_that_once_broke_the_parser(text, expected):
    clean = clean_line(text, base=0).text
    assert [(f.text, f.value) for f in find_in_text(clean)] == expected


def test_an_extractor_failure_names_the_file_and_keep_going_skips_it(monkeypatch):
    from legco_kg import build
    from legco_kg.extractors import amounts as amounts_module

    doc = paper("計 劃 預 留 20億 元 。", "broken.txt")

    def broken(document):
        raise ZeroDivisionError("a bug met by odd input")

    monkeypatch.setattr(amounts_module, "amounts", broken)
    with pytest.raises(InputError, match=r"^broken\.txt: the amounts extractor failed: ZeroDivisionError"):
        build.assemble([doc], skip=["ner"])
    warnings = []
    kg = build.assemble([doc], skip=["ner"], keep_going=True, progress=warnings.append)
    assert kg.amounts == [] and warnings == [
        "warning: broken.txt: the amounts extractor failed: ZeroDivisionError: a bug met by odd input;"
        " its amounts facts are left out"
    ]


def test_a_currency_word_ending_a_line_does_not_reach_the_next_line():
    # Found by the fuzz test above: "人民幣" / "0." read as one amount across the line break.
    doc = paper("人民幣\n0.")
    assert list(amounts(doc)) == []
