# Two commands matter: `make run` and `make test`. Everything else is what they call.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-postgres data venv test-deps chromium gdal poppler illustrative benchmark clean

run: data
	HOST=$(HOST) PORT=$(PORT) $(PY) server.py

# The production server: gunicorn, WORKERS processes (default one per core), THREADS threads each
# (default 4), access log on stdout; settings in gunicorn.conf.py.
serve: data
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py "maison_geo:create_app()"

test: data test-deps
	$(PY) -m pytest

# The same suite against PostgreSQL + PostGIS: a server of its own (Debian's packages, installed when
# missing and run as root), in a temporary folder on a free 127.0.0.1 port, stopped at the end.
test-postgres: data test-deps
	$(PY) tests/with_postgres.py -- $(PY) -m pytest

data: venv
	$(PY) -m maison_geo data

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

test-deps: $(VENV)/.test-installed chromium gdal poppler

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Browser tests drive Debian's chromium; install it when missing and we may.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing (apt-get install chromium); browser tests will be skipped"; fi; }

# The OGC API tests read /ogc with GDAL/OGR's OAPIF driver (ogrinfo, ogr2ogr); install it the same way.
gdal:
	@command -v ogrinfo >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin >/dev/null; \
	  else echo "gdal-bin is missing (apt-get install gdal-bin); the GDAL client tests will be skipped"; fi; }

# The print tests read the PDFs back with poppler-utils (pdftotext, pdffonts); install it the same way.
poppler:
	@command -v pdftotext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "poppler-utils is missing (apt-get install poppler-utils); the PDF tests will be skipped"; fi; }

illustrative: venv
	$(PY) -m maison_geo illustrative

benchmark: data test-deps
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) instance
