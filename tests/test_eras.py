import re

import pytest


def test_eras_page_lists_every_new_commune_with_its_parts(client):
    data = client.get("/eras?format=json").get_json()
    parts = {c["code"]: sorted(f["code"] for f in c["former"]) for c in data["communes"]}
    assert parts == {"04105": ["04105", "04135", "04138"], "04108": ["04108", "04114"],
                     "04117": ["04117", "04129"], "04123": ["04111", "04123", "04126"],
                     "04132": ["04120", "04132", "04147", "04150", "04153"],
                     "04136": ["04136", "04165"], "04144": ["04141", "04144"],
                     "04159": ["04156", "04159", "04162"]}
    for commune in data["communes"]:
        assert commune["population_2019"] == sum(f["population_2019"] for f in commune["former"])
        assert "1681/NQ-UBTVQH15" in commune["legal_basis"]
    html = client.get("/eras").get_data(as_text=True)
    assert html.count('<tr data-code="') == 8 and "Nà Bó" in html and "Tà Hộc" in html


def test_the_three_patches_where_the_outline_moved(client):
    patches = client.get("/eras?format=json").get_json()["patches"]
    found = {p["now_in"]: (p["old_code"], p["area_km2"]) for p in patches}
    assert set(found) == {"Xã Chiềng Khương", "Xã Mường Hung", "Phường Chiềng Cơi"}
    assert found["Xã Chiềng Khương"][0] == "04159" and found["Xã Chiềng Khương"][1] == pytest.approx(3.35, abs=0.1)
    assert found["Xã Mường Hung"][0] == "04144" and found["Xã Mường Hung"][1] == pytest.approx(2.32, abs=0.1)
    assert found["Phường Chiềng Cơi"][0] == "04120"
    geo = client.get("/api/era-patches").get_json()
    assert len(geo["features"]) == 3 and all(f["properties"]["label"] for f in geo["features"])


def test_the_same_code_means_another_place_in_each_era(client):
    old = client.get("/communes/pre2025/04136?format=json").get_json()["unit"]
    new = client.get("/communes/post2025/04136?format=json").get_json()["unit"]
    assert (old["name"], new["name"]) == ("Nà Bó", "Tà Hộc")


@pytest.mark.parametrize("url", ["/api/values?indicator=population&vintage=", "/api/units?vintage=",
                                 "/map?vintage=", "/communes/x/04136", "/api/match?q=04136&vintage="])
def test_a_lookup_without_a_valid_vintage_is_refused(client, url):
    response = client.get(url)
    assert response.status_code == 400


def test_every_page_says_which_era_it_shows(client):
    assert "1/7/2025" in client.get("/map").get_data(as_text=True)
    post = client.get("/map?vintage=post2025&indicator=population").get_data(as_text=True)
    assert 'class="era era-post2025"' in post and "1681/NQ-UBTVQH15" in post
    assert 'class="era era-post2025"' in client.get("/communes/post2025/04105").get_data(as_text=True)


def test_post2025_sources_list_the_parts(client):
    rows = client.get("/api/values?indicator=ban_count&period=2024&vintage=post2025").get_json()["rows"]
    mai_son = next(r for r in rows if r["code"] == "04105")
    assert mai_son["value"] == sum(
        r["value"] for r in client.get("/api/values?indicator=ban_count&period=2024").get_json()["rows"]
        if r["code"] in ("04105", "04135", "04138"))
    assert "04135" in mai_son["note"] and "Cò Nòi" in mai_son["note"]
    assert mai_son["status"] == "illustrative"


@pytest.mark.parametrize("url, target", [
    ("/map?indicator=population&period=2019", "/map?indicator=population&period=2019&vintage=post2025"),
    ("/progress?indicator=hh_grid_pct&vintage=post2025", "/progress?indicator=hh_grid_pct&vintage=pre2025"),
    ("/communes/pre2025/04136", "/map?vintage=post2025"),
    ("/compare?codes=04123,04132", "/compare?vintage=post2025"),
    ("/split?indicators=population,households&period=2019",
     "/split?indicators=population,households&period=2019&vintage=post2025"),
])
def test_every_era_banner_switches_to_the_other_era(client, url, target):
    import html
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'class="era-switch" href="([^"]+)"', page)
    assert found and html.unescape(found.group(1)) == target
    assert client.get(target).status_code == 200
