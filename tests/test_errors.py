"""Error pages: an unknown URL or a wrong method gets the error page with its status, never a 500."""
import pytest


@pytest.mark.parametrize("url", ["/nope", "/favicon.ico", "/robots.txt", "/map/extra", "/nope?lang=en",
                                 "/communes/pre2025/04105/extra", "/static/nope.css"])
def test_unknown_urls_get_the_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "404" in page and 'class="error"' in page  # templates/error.html, inside the site's frame
    assert 'hreflang="' in page  # the language switch is there


def test_the_language_switch_of_a_404_keeps_the_path_and_query(client):
    page = client.get("/nope?lang=en&x=%3Cb%3E").get_data(as_text=True)
    assert 'href="/nope?lang=vi&amp;x=%3Cb%3E" hreflang="vi"' in page
    assert "<b>" not in page
    page = client.get("/n%C3%A0%20y?lang=vi").get_data(as_text=True)
    assert 'href="/n%C3%A0%20y?lang=en"' in page


def test_unknown_api_urls_get_a_json_404(client):
    response = client.get("/api/nope")
    assert response.status_code == 404 and response.get_json()["status"] == 404


@pytest.mark.parametrize("method, url", [("post", "/map"), ("put", "/compare"), ("delete", "/eras")])
def test_a_wrong_method_gets_the_405_page_with_allow(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405 and response.mimetype == "text/html"
    assert "405" in response.get_data(as_text=True)
    assert "GET" in response.headers["Allow"]


def test_a_wrong_method_on_the_api_gets_json_405(client):
    response = client.get("/api/plans")
    assert response.status_code == 405 and response.get_json()["status"] == 405
    assert "POST" in response.headers["Allow"]


def test_a_missing_page_says_so_in_the_ui_language(client):
    vi = client.get("/nope").get_data(as_text=True)
    en = client.get("/nope?lang=en").get_data(as_text=True)
    assert "Không có trang nào ở địa chỉ này" in vi
    assert "There is no page at this address" in en


def test_static_files_are_gzipped_once_and_pages_every_time(app):
    from maison_geo.web import vendor
    cache = vendor.StaticGzipCache()
    cache.set("gzip;/static/site.css", b"packed")
    cache.set("gzip;/map", b"page")
    assert cache.get("gzip;/static/site.css") == b"packed" and cache.get("gzip;/map") is None
    assert isinstance(app.extensions["compress"].cache, vendor.StaticGzipCache)


def test_number_filters_show_a_missing_field_as_a_dash(app):
    with app.test_request_context("/"):
        template = app.jinja_env.from_string("{{ row.gone | number }} {{ row.gone | value_text('population') }}")
        assert template.render(row={}) == "– –"


def test_an_edited_static_file_gets_a_new_cache_key(app, tmp_path, monkeypatch):
    import os
    from maison_geo.web import vendor
    with app.test_request_context("/static/site.css") as context:
        before = vendor.static_cache_key(context.request)
        target = os.path.join(app.static_folder, "site.css")
        stamp = os.stat(target).st_mtime_ns
        os.utime(target, ns=(stamp, stamp + 1_000_000_000))
        try:
            assert vendor.static_cache_key(context.request) != before
        finally:
            os.utime(target, ns=(stamp, stamp))
    with app.test_request_context("/static/vendor/leaflet/leaflet.js") as context:
        assert vendor.static_cache_key(context.request).split("@")[1] != "0"


def test_a_bad_parameter_is_named_in_the_ui_language(client):
    page = client.get("/map?indicator=nope").get_data(as_text=True)
    assert "Giá trị “nope” của chỉ tiêu trong địa chỉ không dùng được: hãy chọn lại trên trang" in page
    assert "indicator" not in page.split('class="error"')[1].split("</p>")[0]  # no internal key on the page
    english = client.get("/map?indicator=nope&lang=en").get_data(as_text=True)
    assert "The value “nope” given for the indicator in the address cannot be used" in english
    assert client.get("/map?indicator=nope&format=json").get_json()["param"] == "indicator"  # the detail
    assert "&lt;script&gt;" in client.get("/map?indicator=<script>").get_data(as_text=True)
