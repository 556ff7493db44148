"""Money the Vietnamese way: what people type into the budget box, amounts in tỷ / triệu đồng, in words."""
import pytest

from maison_geo.money import MoneyError, millions_text, money_text, money_words, parse_money


@pytest.mark.parametrize("typed, vnd", [
    ("50 tỷ", 50e9), ("50.000.000.000", 50e9), ("2,5 tỷ", 2.5e9), ("2.5 tỷ", 2.5e9), ("780 triệu", 780e6),
    ("50000000000", 50e9), ("50 TỶ ĐỒNG", 50e9), ("50 ty", 50e9), ("12,5 triệu đồng", 12.5e6),
    ("3 tr", 3e6), ("45 nghìn", 45e3), ("1.500 tỷ", 1500e9), (" 7 tỷ đ ", 7e9), ("50 billion", 50e9),
    (2e9, 2e9),
])
def test_what_an_officer_types_is_read_as_vnd(typed, vnd):
    assert parse_money(typed) == vnd


def test_grouping_follows_the_page_language():
    assert parse_money("1.500 tỷ", "vi") == 1500e9 and parse_money("1.500 tỷ", "en") == 1.5e9
    assert parse_money("1,500 billion", "en") == 1500e9 and parse_money("1,5 tỷ", "vi") == 1.5e9
    assert parse_money("50,000,000,000", "en") == 50e9


@pytest.mark.parametrize("typed, says", [
    ("lots", "an amount is needed"), ("5 xu", "unknown unit 'xu'"), ("1.23.4", "groups of three digits"),
    ("", "an amount is needed"), ("-5 tỷ", "an amount is needed"), (True, "an amount is needed"),
])
def test_what_is_not_an_amount_says_why(typed, says):
    with pytest.raises(MoneyError, match=says):
        parse_money(typed)


@pytest.mark.parametrize("vnd, vi, en", [
    (50e9, "50 tỷ đồng", "VND 50 billion"), (2.5e9, "2,5 tỷ đồng", "VND 2.5 billion"),
    (780e6, "780 triệu đồng", "VND 780 million"), (45_000, "45.000 đồng", "VND 45,000"),
    (1_234_000_000, "1,23 tỷ đồng", "VND 1.23 billion"), (1_250_000_000_000, "1.250 tỷ đồng", "VND 1,250 billion"),
    (0, "0 đồng", "VND 0"), (None, "–", "–"), (960_198.15, "960.198 đồng", "VND 960,198"),
])
def test_amounts_read_in_ty_and_trieu(vnd, vi, en):
    assert money_text(vnd, "vi") == vi and money_text(vnd, "en") == en


def test_table_columns_in_millions():
    assert millions_text(2.5e9) == "2.500" and millions_text(800_000) == "0,8" and millions_text(None) == "–"
    assert millions_text(12_345_678_901, "en") == "12,346"


@pytest.mark.parametrize("vnd, words", [
    (50e9, "năm mươi tỷ đồng"), (2_500_000_000, "hai tỷ năm trăm triệu đồng"),
    (1_000_005, "một triệu không trăm linh năm đồng"), (15, "mười lăm đồng"), (21, "hai mươi mốt đồng"),
    (105, "một trăm linh năm đồng"), (11_000_000, "mười một triệu đồng"),
    (1_250_000, "một triệu hai trăm năm mươi nghìn đồng"), (0, "không đồng"),
])
def test_amount_in_words_as_on_a_payment_order(vnd, words):
    assert money_words(vnd) == words


def test_budget_box_takes_ty_and_shows_the_amount_back(client):
    page = client.get("/plan?budget=2,5 tỷ&vintage=pre2025").get_data(as_text=True)
    assert '<span id="budget-text">2,5 tỷ đồng</span>' in page and "hai tỷ năm trăm triệu đồng" in page
    english = client.get("/plan?budget=2.5 billion&lang=en").get_data(as_text=True)
    assert '<span id="budget-text">VND 2.5 billion</span>' in english


def test_api_takes_typed_amounts_and_names_a_wrong_one(client):
    body = client.post("/api/plans", json={"budget": "2,5 tỷ"}).get_json()
    assert body["summary"]["budget_vnd"] == 2_500_000_000
    wrong = client.post("/api/plans", json={"budget": {"2026": "5 xu"}})
    assert wrong.status_code == 400 and wrong.get_json()["param"] == "budget.2026"
