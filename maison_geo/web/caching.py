"""Work not repeated: rendered pages and JSON kept per (URL, data version, language), ETags and 304 on
every page and API answer, static files under hashed URLs with a year's cache lifetime.

The data version is the store's (web.context.store().data_version(): the GeoPackage's identity, the
active imported version, the latest target set by an editor), read once per request. An import, a
restore, a target or a data step gives another version, so a response kept under the previous one is
never served again: nothing stale, in this process or in any other on the same files.

What is kept: the 200 answers to anonymous GET requests (no session user, no API token), except the
planner's pages (its scenarios and cost overrides live in another file, with no version) and answers
that carry a CSRF token or a cookie of their own. Kept at most MAX_ENTRIES answers, MAX_BYTES in all
(least recently used first out); an answer larger than MAX_ENTRY_BYTES is never kept.

ETags: an anonymous answer's ETag is computed before any work, from the code version, the data
version, the URL, the language, the Accept header and the encoding, so a matching If-None-Match gets
its 304 without rendering. Every other 200 answer (a logged-in page, the planner) gets an ETag hashed
from its body, and a 304 when it matches.

A kept answer is sent by KnownAnswers, in front of Flask: a GET with no login, no token and no cookie
but the language's never reaches routing, the session or the hooks, whose work the kept headers
already hold. The data version it reads is handed on to Flask when the answer is not kept (one read
per request either way).
"""
import hashlib
import os
import threading
from collections import OrderedDict
from pathlib import Path
from stat import S_ISREG

from flask import current_app, g, request
from werkzeug.security import safe_join
from werkzeug.http import HTTP_STATUS_CODES, unquote_etag
from werkzeug.wrappers import Request as BareRequest
from werkzeug.wrappers import Response

from .. import paths

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024
NOT_KEPT_BLUEPRINTS = {"plans", "auth"}       # the planner's file has no data version; logins are personal
NOT_KEPT_ENDPOINTS = {"static", "vendor.asset", "health.healthz"}
STATIC_MAX_AGE = 365 * 24 * 3600
VERSION_KEY = "maison.data_version"   # the WSGI environ's: the data version KnownAnswers read
NOT_IN_304 = {"content-type", "content-length", "content-encoding"}


class ResponseCache:
    """A thread-safe LRU of finished responses (status, headers, body), bounded in count and bytes."""

    def __init__(self, max_entries=MAX_ENTRIES, max_bytes=MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._entries, self._bytes, self._lock = OrderedDict(), 0, threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        size = len(entry[2])
        with self._lock:
            if key in self._entries:
                self._bytes -= len(self._entries.pop(key)[2])
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._bytes -= len(self._entries.popitem(last=False)[1][2])

    def __len__(self):
        return len(self._entries)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def code_version(roots=None):
    """A digest of the code, templates, static files and catalogues (names, sizes, modification times):
    a deployment of new code gives new ETags."""
    digest = hashlib.sha256()
    for root in roots or (paths.REPO / "maison_geo", paths.REPO / "templates"):
        for path in sorted(Path(root).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def data_version():
    """The store's data version, read once per request (here, or by KnownAnswers before Flask)."""
    if "data_version" not in g:
        if VERSION_KEY in request.environ:
            g.data_version = request.environ[VERSION_KEY]
        else:
            g.data_version = current_app.extensions["maison"]["versions"]()
    return g.data_version


def store_version(store):
    return store.data_version() if hasattr(store, "data_version") else None


class SharedReads:
    """Concurrent requests share one read of the data version, but never a read begun before they
    arrived: whatever was committed before a request came is seen by the read it gets."""

    def __init__(self, read):
        self._read, self._free = read, threading.Condition()
        self._started = self._done = 0
        self._running, self._result = False, (None, None)

    def __call__(self):
        with self._free:
            wanted = self._started + 1  # the first read to begin from now on
            while self._done < wanted and self._running:
                self._free.wait()
            if self._done < wanted:
                self._running, self._started = True, self._started + 1
                mine = self._started
            else:
                mine = None
        if mine is None:
            return self._unwrap(self._result)
        try:
            result = (self._read(), None)
        except Exception as exc:  # noqa: BLE001 -- raised to every request that shares this read
            result = (None, exc)
        with self._free:
            self._running, self._done, self._result = False, mine, result
            self._free.notify_all()
        return self._unwrap(result)

    @staticmethod
    def _unwrap(result):
        if result[1] is not None:
            raise result[1]
        return result[0]


def answer_key(code, version, full_path, lang, accept, encoding):
    """The ETag, and the cache's key, of an anonymous answer."""
    text = "\n".join((code, repr(version), full_path, lang, accept, encoding))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _encoding(req):
    return "gzip" if "gzip" in req.headers.get("Accept-Encoding", "") else "identity"


def _anonymous_get():
    return (request.method == "GET" and g.get("user") is None and g.get("auth") is None
            and not request.headers.get("Authorization")
            and request.endpoint not in NOT_KEPT_ENDPOINTS and request.blueprint not in NOT_KEPT_BLUEPRINTS)


def _version_etag(encoding):
    from .locale import current_lang
    version = data_version()
    if version is None:
        return None  # a store that cannot tell a change: nothing kept, ETags from the body
    return answer_key(current_app.extensions["maison"]["code_version"], version, request.full_path,
                      current_lang(), request.headers.get("Accept", ""), encoding)


def _cache():
    return current_app.extensions["maison"]["responses"]


def serve_known():
    """before_request: an anonymous GET answered from what was already done (304, or the kept body)."""
    g.cache_key = None
    if not _anonymous_get():
        return None
    etag = _version_etag(_encoding(request))
    if etag is None:
        return None
    g.cache_key = etag
    if etag in request.if_none_match:
        g.cache_hit = True
        return _not_modified(etag)
    entry = _cache().get(etag)
    if entry is None:
        return None
    g.cache_hit = True
    status, headers, body = entry
    return Response(body, status=status, headers=headers)


def _not_modified(etag):
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    response.headers["Cache-Control"] = "no-cache"
    return response


def finish(response):
    """after_request, run last (after compression): the ETag, the 304, and keeping the answer."""
    if g.get("cache_hit") or request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    if response.is_streamed or response.direct_passthrough or request.endpoint in ("static", "vendor.asset"):
        return response  # files: send_file's own ETag and 304
    key = g.get("cache_key")
    if key and _keepable(response):
        response.set_etag(key)
        _vary(response)
        if not response.cache_control.max_age:
            response.cache_control.no_cache = True
        _cache().put(key, (response.status_code, _kept_headers(response), response.get_data()))
    else:
        response.add_etag()  # a hash of the body: right whatever the answer depends on
    return response.make_conditional(request)


def _keepable(response):
    return ("csrf_token" not in g and g.get("user") is None and "no-store" not in response.headers.get(
        "Cache-Control", "") and "private" not in response.headers.get("Cache-Control", "")
        and not any(name != "lang" for name in _cookies(response))
        and len(response.get_data()) <= MAX_ENTRY_BYTES)


def _cookies(response):
    return [header.split("=", 1)[0].strip() for header in response.headers.getlist("Set-Cookie")]


def _kept_headers(response):
    """The headers to replay: not the language cookie (web.locale sets it again when asked), nor the
    date of the first answer (the server dates each answer)."""
    return [(name, value) for name, value in response.headers.items() if name.lower() not in ("set-cookie", "date")]


def _vary(response):
    for field in ("Accept-Encoding", "Cookie"):
        if field.lower() not in response.headers.get("Vary", "").lower():
            response.vary.add(field)


class KnownAnswers:
    """WSGI middleware: an anonymous GET whose answer is kept gets it (or its 304) before Flask."""

    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        static = self.static_key(environ)
        known = self.kept(environ, static) if static else self.known(environ)
        if known is None:
            if static:
                return self.keep(environ, start_response, static)
            return self.wsgi_app(environ, start_response)
        status, headers, body = known
        start_response(status, headers)
        return [body]

    def static_key(self, environ):
        """The key of a static file's answer to an anonymous GET (the file's path, size and time, the
        URL, the encoding), or None: not a static file, or a request Flask must see."""
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/static/") or not self._anonymous(environ) \
                or any(f"HTTP_{name}" in environ for name in ("RANGE", "IF_RANGE", "IF_MATCH", "IF_UNMODIFIED_SINCE")) \
                or ("HTTP_IF_MODIFIED_SINCE" in environ and "HTTP_IF_NONE_MATCH" not in environ):
            return None
        stamp = static_stamp(self.app, path)
        if stamp is None:
            return None
        req = BareRequest(environ)
        return "\n".join(("static", req.full_path, _encoding(req), stamp))

    def kept(self, environ, key):
        entry = self.app.extensions["maison"]["responses"].get(key)
        if entry is None:
            return None
        status, headers, body = entry
        etag = dict((name.lower(), value) for name, value in headers).get("etag")
        if etag and BareRequest(environ).if_none_match.contains_weak(unquote_etag(etag)[0]):
            return "304 NOT MODIFIED", [h for h in headers if h[0].lower() not in NOT_IN_304], b""
        return f"{status} {HTTP_STATUS_CODES[status].upper()}", headers, body

    def keep(self, environ, start_response, key):
        """Flask answers; a whole 200 without a cookie is kept (the body read once, with its length)."""
        answer = {}

        def started(status, headers, exc_info=None):
            answer.update(status=status, headers=headers)
            return lambda data: None  # send_file's answers never write
        chunks = self.wsgi_app(environ, started)
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        headers = [(n, v) for n, v in answer["headers"] if n.lower() not in ("content-length", "date")]
        headers.append(("Content-Length", str(len(body))))
        if answer["status"].startswith("200 ") and not any(n.lower() == "set-cookie" for n, _ in headers):
            self.app.extensions["maison"]["responses"].put(key, (200, headers, body))
        start_response(answer["status"], headers)
        return [body]

    @staticmethod
    def _anonymous(environ):
        from .locale import COOKIE
        return environ.get("REQUEST_METHOD") == "GET" and "HTTP_AUTHORIZATION" not in environ \
            and all(name == COOKIE for name in BareRequest(environ).cookies)

    def known(self, environ):
        """(status line, headers, body) of a kept answer to this request, else None."""
        from .locale import lang_of, sets_cookie
        if not self._anonymous(environ) or self.app.config.get("LOGIN_REQUIRED_TO_READ"):
            return None  # a session may hold a user
        req = BareRequest(environ)
        if sets_cookie(req):
            return None  # a language switch sets its cookie
        state = self.app.extensions["maison"]
        try:
            version = environ[VERSION_KEY] = state["versions"]()
        except Exception:  # noqa: BLE001 -- Flask reads it again and answers the error as usual
            return None
        if version is None:
            return None
        key = answer_key(state["code_version"], version, req.full_path, lang_of(req),
                         req.headers.get("Accept", ""), _encoding(req))
        entry = state["responses"].get(key)
        if entry is None:
            return None
        status, headers, body = entry
        if key in req.if_none_match:
            return "304 NOT MODIFIED", [h for h in headers if h[0].lower() not in NOT_IN_304], b""
        return f"{status} {HTTP_STATUS_CODES[status].upper()}", headers, body


# ---- static files under hashed URLs ------------------------------------------------------------------

def static_file(app, path):
    """The file behind a /static/ or /static/vendor/ URL path, else None (not checked to exist)."""
    from ..assets import PREFIX, VENDOR
    if path.startswith(PREFIX + "/"):
        package, _, name = path[len(PREFIX) + 1:].partition("/")
        folder = VENDOR.get(package)
    elif path.startswith("/static/"):
        folder, name = Path(app.static_folder), path[len("/static/"):]
    else:
        return None
    if folder is None or not name or ".." in name.split("/"):
        return None
    return Path(folder) / name


def static_stamp(app, path):
    """'size:mtime' of the file behind a /static/ or /static/vendor/ URL path (its parts' for a
    bundle), else None."""
    from . import bundles
    if path.startswith(bundles.PREFIX + "/"):
        return bundles.stamp(app, path[len(bundles.PREFIX) + 1:])
    found = static_file(app, path)
    try:
        stat = found.stat() if found else None
    except (OSError, ValueError):
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}" if stat else None


def static_hash(filename):
    """The first 12 hex digits of the SHA-256 of a static file, memoised per modification time."""
    found_at = safe_join(current_app.static_folder, filename)  # None outside the folder ("../..")
    try:
        stat = os.stat(found_at) if found_at else None
    except (OSError, ValueError):
        return None
    if stat is None or not S_ISREG(stat.st_mode):
        return None
    memo = current_app.extensions["maison"]["static_hashes"]
    found = memo.get(filename)
    if found and found[0] == stat.st_mtime_ns:
        return found[1]
    digest = hashlib.sha256(Path(found_at).read_bytes()).hexdigest()[:12]
    memo[filename] = (stat.st_mtime_ns, digest)
    return digest


def add_static_hash(endpoint, values):
    """url_defaults: url_for('static', filename='map.js') → /static/map.js?v=<hash of the file>."""
    if endpoint == "static" and "v" not in values and values.get("filename"):
        digest = static_hash(values["filename"])
        if digest:
            values["v"] = digest


def immutable_static(response):
    """A static file asked for under its current hash is kept for a year, never revalidated."""
    if request.endpoint == "static" and response.status_code in (200, 304):
        filename = (request.view_args or {}).get("filename", "")
        if request.args.get("v") and request.args.get("v") == static_hash(filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = STATIC_MAX_AGE
            response.cache_control.immutable = True
    return response


def init(app):
    """Register after web.auth (the user must be known): serve_known runs after load_user, and finish
    runs after every other after_request function, compression included."""
    state = app.extensions["maison"]
    state.update(responses=ResponseCache(), static_hashes={}, code_version=code_version(),
                 versions=SharedReads(lambda: store_version(state["store"])))
    app.before_request(serve_known)
    app.after_request(immutable_static)
    app.after_request_funcs.setdefault(None, []).insert(0, finish)  # run in reverse: first in, last run
    app.url_defaults(add_static_hash)
    app.wsgi_app = KnownAnswers(app, app.wsgi_app)
