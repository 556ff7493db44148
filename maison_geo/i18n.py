"""Languages: Vietnamese by default, English on request; catalogues compiled from the .po sources."""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogues(folder=TRANSLATIONS):
    """messages.po → messages.mo where the .mo is missing or older (the .mo is not committed)."""
    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as f:
            catalog = read_po(f)
        partial = mo_path.with_suffix(".mo.part")
        with open(partial, "wb") as f:
            write_mo(f, catalog)
        partial.replace(mo_path)
