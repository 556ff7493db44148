"""Downloads say what they are once: one charset in the Content-Type of a CSV."""
import pytest

CSV = "text/csv; charset=utf-8"


@pytest.mark.parametrize("url", [
    "/map?indicator=ban_gate_pct&period=2024&format=csv",
    "/map?indicator=hh_grid_pct&vintage=post2025&format=csv",
    "/compare?codes=04123,04132&format=csv",
    "/progress?indicator=ban_gate_pct&format=csv",
    "/plan?budget=20000000000&vintage=pre2025&format=csv",
    "/api/values?indicator=hh_grid_pct&period=2024&format=csv",
    "/communes/pre2025/04105?format=csv",
])
def test_a_csv_download_has_one_charset(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == CSV
    assert "attachment" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("fmt, content_type", [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("geojson", "application/geo+json"),
    ("gpkg", "application/geopackage+sqlite3"),
])
def test_other_downloads_keep_their_type(client, fmt, content_type):
    response = client.get(f"/map?indicator=ban_gate_pct&period=2024&format={fmt}")
    assert response.status_code == 200 and response.headers["Content-Type"] == content_type


# ---- every row of a twin carries its source as a citation for people, beside the raw key ---------------

def _json_rows(client, url):
    body = client.get(url).get_json()
    if "rows" in body:
        return body["rows"] + ([body["district"]] if isinstance(body.get("district"), dict) else [])
    return [r for r in body["indicators"] if "source" in r]


@pytest.mark.parametrize("url", [
    "/map?indicator=hh_grid_pct&period=2024",
    "/communes/pre2025/04105",
    "/compare?codes=04123,04132",
])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_json_and_csv_rows_carry_the_human_citation(client, url, lang):
    from maison_geo.citations import source_text
    rows = _json_rows(client, f"{url}&format=json&lang={lang}" if "?" in url else f"{url}?format=json&lang={lang}")
    assert rows and all("source_text" in r for r in rows)
    raw = [r for r in rows if r["source"] and "illustrative demo set" in r["source"]]
    assert raw, "some row comes from the illustrative set (else this checks no translation)"
    for row in raw:
        assert "python -m" not in row["source_text"]
        assert row["source_text"].startswith("Số liệu minh họa" if lang == "vi" else "Illustrative figures")
    assert all(r["source_text"] == source_text(r["source"]) for r in rows if lang == "en")
    csv_url = f"{url}&format=csv&lang={lang}" if "?" in url else f"{url}?format=csv&lang={lang}"
    header, *lines = client.get(csv_url).get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert "source_text" in header.split(",")
    assert any(("Số liệu minh họa" if lang == "vi" else "Illustrative figures") in line for line in lines)


def test_the_progress_rows_carry_the_human_citation(store, tmp_path):
    from fixtures.entry import add_accounts, make_app
    app = make_app(store, tmp_path)
    tokens = add_accounts(app)
    web = app.test_client()
    web.put("/api/targets/hh_grid_pct", json={"value": 99, "year": 2030, "source": "Nghị quyết"},
            headers={"Authorization": f"Bearer {tokens['lan']}"})
    rows = web.get("/progress?indicator=hh_grid_pct&format=json").get_json()["rows"]
    assert len(rows) == 22 and all(r["source_text"] and "python -m" not in r["source_text"] for r in rows)
    header = web.get("/progress?indicator=hh_grid_pct&format=csv").get_data(as_text=True).lstrip("\ufeff").split("\r\n")[0]
    assert "source_text" in header.split(",")
