import unicodedata

import pytest

from maison_geo.errors import AmbiguousName, InvalidChoice, UnknownName
from maison_geo.text import fold, nfc
from maison_geo.units import NameMatcher, check_vintage, load_register


@pytest.fixture(scope="module")
def matcher():
    return NameMatcher(load_register("pre2025"))


@pytest.mark.parametrize("text, code", [
    ("Chiềng Mung", "04123"),
    (unicodedata.normalize("NFD", "Chiềng Mung"), "04123"),      # decomposed input
    ("Chieng Mung", "04123"),                                   # no diacritics
    ("CHIỀNG MUNG", "04123"),                                   # case
    ("  Xã   Chiềng    Mung ", "04123"),                        # prefix and extra spaces
    ("xa chieng mung", "04123"),
    ("Thị trấn Hát Lót", "04105"),
    ("TT. Hát Lót", "04105"),
    ("TT Hát Lót", "04105"),
    ("tt.hat lot", "04105"),
    ("Hát Lót (thị trấn)", "04105"),
    ("Xã Hát Lót", "04135"),
    ("Mương Chanh", "04117"),                                   # official variants
    ("Mường Tranh", "04117"),
    ("Mương Tranh", "04117"),
    ("Xã Nà Pó", "04136"),
    ("Nà Ơt", "04162"),
    ("Cò  Nòi", "04138"),
    ("04150", "04150"),                                         # a code
])
def test_resolves_every_spelling(matcher, text, code):
    assert matcher.resolve(text).code == code


@pytest.mark.parametrize("text", ["Hát Lót", "hat lot", "  HÁT LÓT "])
def test_hat_lot_alone_is_ambiguous_and_names_both(matcher, text):
    with pytest.raises(AmbiguousName) as err:
        matcher.resolve(text)
    assert {u.code for u in err.value.candidates} == {"04105", "04135"}
    assert "Thị trấn Hát Lót" in str(err.value) and "Xã Hát Lót" in str(err.value)


@pytest.mark.parametrize("unit_type, code", [("thi_tran", "04105"), ("xa", "04135")])
def test_unit_type_settles_hat_lot(matcher, unit_type, code):
    assert matcher.resolve("Hát Lót", unit_type=unit_type).code == code


def test_unknown_name_suggests_the_closest(matcher):
    with pytest.raises(UnknownName) as err:
        matcher.resolve("Chieng Mug")
    assert "Chiềng Mung" in err.value.suggestions


def test_prefix_of_the_wrong_type_does_not_match(matcher):
    with pytest.raises(UnknownName):
        matcher.resolve("Phường Chiềng Mai")


def test_post2025_units_are_their_own_register():
    new = NameMatcher(load_register("post2025"))
    assert new.resolve("Mai Sơn").code == "04105"
    assert new.resolve("04136").name == "Tà Hộc"
    with pytest.raises(UnknownName):
        new.resolve("Nà Bó")  # merged into Tà Hộc on 1 July 2025


def test_vintage_is_never_guessed():
    with pytest.raises(InvalidChoice) as err:
        check_vintage(None)
    assert err.value.choices == ["pre2025", "post2025"]


def test_text_is_nfc_and_folds_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Nà Ớt")
    assert nfc(decomposed) == unicodedata.normalize("NFC", "Nà Ớt")
    assert fold("Đồng  Ớt") == "dong ot"


def test_register_is_nfc_with_22_and_8_units():
    old, new = load_register("pre2025"), load_register("post2025")
    assert len(old) == 22 and len(new) == 8
    for unit in old + new:
        assert unit.name == unicodedata.normalize("NFC", unit.name)
    assert sorted(u.code for u in old) == CODES_PRE2025
    assert sorted(u.code for u in new) == ["04105", "04108", "04117", "04123", "04132", "04136",
                                          "04144", "04159"]


CODES_PRE2025 = ["04105", "04108", "04111", "04114", "04117", "04120", "04123", "04126", "04129",
                 "04132", "04135", "04136", "04138", "04141", "04144", "04147", "04150", "04153",
                 "04156", "04159", "04162", "04165"]
