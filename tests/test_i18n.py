"""The translation catalogues: status words, placeholders, and a Vietnamese text for every msgid."""
from flask_babel import gettext
from babel.messages.pofile import read_po

from maison_geo.i18n import TRANSLATIONS


def catalogue(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f)


def test_the_status_reported_is_a_neutral_word(app):
    # Commune offices upload figures as "reported": the word must not say they came from the press.
    with app.test_request_context("/?lang=vi"):
        assert gettext("reported") == "được báo cáo"
    with app.test_request_context("/?lang=en"):
        assert gettext("reported") == "reported"
    for message in catalogue("vi"):
        if "reported" in (message.id or ""):
            assert "đưa tin" not in message.string and "được báo cáo" in message.string, message.id
