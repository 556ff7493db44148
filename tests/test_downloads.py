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
