"""Vietnamese text: NFC normalisation and a diacritic-free folding for matching."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text):
    """NFC-normalise and collapse runs of white space."""
    if text is None:
        return None
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text):
    """Lower-case, strip diacritics (đ → d) and collapse spaces: 'Nà  Ớt' → 'na ot'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d")


def casefold_nfc(text):
    """Case-insensitive key that keeps diacritics."""
    return unicodedata.normalize("NFC", nfc(text).casefold())
