"""The translation catalogues: status words, placeholders, and a Vietnamese text for every msgid."""
from gettext import GNUTranslations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from flask_babel import gettext

from maison_geo import ingest
from maison_geo.classify import SCHEMES
from maison_geo.figures import STATUSES
from maison_geo.i18n import LANGUAGES, TRANSLATIONS, catalogue_problems, compile_catalogues, placeholders
from maison_geo.indicators import Catalogue
from maison_geo.paths import REPO
from maison_geo.planning import OBJECTIVES, load_interventions
from maison_geo.progress import STATES
from maison_geo.units import UNIT_TYPES, VINTAGES
from maison_geo.userdata import ROLES


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


# ---- placeholders -----------------------------------------------------------------------------------

def test_placeholders_of_a_format_string():
    assert placeholders("%(n)s of %(total)s, 100 %%") == ["%(n)s", "%(total)s"]
    assert placeholders("%(x).1f %s") == ["%(x).1f", "%s"]
    for broken in ("100 %.", "50%", "%(n)", "%(n)%"):
        with pytest.raises(ValueError):
            placeholders(broken)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translation_has_exactly_the_placeholders_of_its_msgid(lang):
    assert catalogue_problems(catalogue(lang)) == []


def test_a_wrong_placeholder_is_found():
    catalog = Catalog(locale="vi")
    catalog.add("%(n)s communes", "%(m)s xã")
    catalog.add("Wrong name or password.", "Sai 100 %")
    catalog.add("%(n)s classes", "%(n)s lớp")
    assert {msgid for _, msgid, _ in catalogue_problems(catalog)} == {"%(n)s communes", "Wrong name or password."}


def test_compile_leaves_out_a_broken_translation(tmp_path, caplog):
    folder = tmp_path / "translations"
    (folder / "vi" / "LC_MESSAGES").mkdir(parents=True)
    catalog = Catalog(locale="vi")
    catalog.add("%(n)s communes", "%(n)s xã")
    catalog.add("%(n)s classes", "%(k)s lớp")
    catalog.add("Done 100 %%.", "Xong 100 %.")
    with open(folder / "vi" / "LC_MESSAGES" / "messages.po", "wb") as f:
        write_po(f, catalog)
    compile_catalogues(folder)
    with open(folder / "vi" / "LC_MESSAGES" / "messages.mo", "rb") as f:
        translations = GNUTranslations(f)
    assert translations.gettext("%(n)s communes") % {"n": 3} == "3 xã"
    assert translations.gettext("%(n)s classes") % {"n": 3} == "3 classes"  # the msgid, not a KeyError
    assert translations.gettext("Done 100 %%.") % {} == "Done 100 %."
    assert "%(n)s classes" in caplog.text and "Done 100 %%." in caplog.text


# ---- every text, translated, formats ------------------------------------------------------------------

def extracted():
    """{msgid: [where]} of every text marked in maison_geo/ and templates/ (babel.cfg), with the texts
    that are msgids without a marker: UserDataError(...), the import report's messages, and the values
    templates translate as they go (statuses, roles, schemes, eras, unit types, states, objectives, ...)."""
    with open(REPO / "babel.cfg", encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = {}
    keywords = {**DEFAULT_KEYWORDS, "UserDataError": None, "BaseMoved": None, "QuotaFull": None}
    for filename, line, msgid, _, _ in extract_from_dir(REPO, method_map, options_map, keywords=keywords):
        found.setdefault(msgid, []).append(f"{filename}:{line}")
    by_value = [*ingest.MESSAGES.values(), *ingest.EXTRAS.values(), *STATUSES, *ROLES, *SCHEMES, *VINTAGES,
                *UNIT_TYPES, *STATES, *OBJECTIVES, *{i.theme for i in Catalogue.load()},
                *{basis for i in load_interventions() for basis in (i.basis, i.beneficiaries["basis"])}]
    for msgid in by_value:
        found.setdefault(msgid, []).append("(a value translated as it goes)")
    return found


def test_every_msgid_has_a_vietnamese_translation():
    vi = catalogue("vi")
    missing = {msgid: where for msgid, where in extracted().items()
               if not (vi.get(msgid) and vi.get(msgid).string)}
    assert missing == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_of_a_template_formats_in_every_language(lang):
    # Jinja's gettext applies % to every text, so the text shown (translation or msgid) must be a
    # valid format string with the msgid's placeholders.
    translations = catalogue(lang)
    broken = {}
    for msgid, where in extracted().items():
        if not any(w.startswith("templates") for w in where) or not isinstance(msgid, str):
            continue
        entry = translations.get(msgid)
        shown = entry.string if entry and entry.string else msgid
        try:
            placeholders(shown)
        except ValueError as exc:
            broken[msgid] = str(exc)
    assert broken == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_target_legend_of_an_indicator_without_target_renders(client, lang):
    response = client.get(f"/map?indicator=ban_gate_pct&scheme=target&lang={lang}")
    assert response.status_code == 200
    assert "100 %." in response.get_data(as_text=True)
