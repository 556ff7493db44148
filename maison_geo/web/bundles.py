"""A page's static files joined into one CSS and one JS answer, built from the files at the first
request (again when one of them changes), under a URL hashed by content: fewer requests before the
first paint, and the same long cache lifetimes as single files."""
import hashlib
import re

from flask import Blueprint, abort, current_app, request
from werkzeug.wrappers import Response

PREFIX = "/static/bundle"
BUNDLES = {"map.css": ("/static/site.css", "/static/vendor/leaflet/leaflet.css", "/static/map.css"),
           "map.js": ("/static/vendor/leaflet/leaflet.js", "/static/map.js")}
KINDS = {".css": "text/css", ".js": "application/javascript"}
_RELATIVE_URL = re.compile(r"""url\((['"]?)(?![a-z]+:|/|#)""")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)

bp = Blueprint("bundles", __name__, url_prefix=PREFIX)


def stamp(app, name):
    """The parts' 'size:mtime' stamps joined, or None when the bundle or one of its parts is unknown."""
    from .caching import static_stamp
    stamps = [static_stamp(app, url) for url in BUNDLES.get(name, ())]
    return "|".join(stamps) if stamps and None not in stamps else None


def built(app, name):
    """(body, digest) of a bundle, rebuilt when a part changes."""
    current = stamp(app, name)
    if current is None:
        return None
    memo = app.extensions["maison"].setdefault("bundles", {})
    found = memo.get(name)
    if found and found[0] == current:
        return found[1], found[2]
    body = join(app, name)
    memo[name] = (current, body, hashlib.sha256(body).hexdigest()[:12])
    return memo[name][1], memo[name][2]


def join(app, name):
    from .caching import static_file
    texts = []
    for url in BUNDLES[name]:
        text = static_file(app, url).read_text(encoding="utf-8")
        if name.endswith(".css"):
            text = _RELATIVE_URL.sub(lambda m: f"url({m.group(1)}{url.rsplit('/', 1)[0]}/", text)
        texts.append(_SOURCE_MAP.sub("", text))
    return ("\n;\n" if name.endswith(".js") else "\n").join(texts).encode("utf-8")


def bundle_url(name):
    """/static/bundle/<name>?v=<hash of its content>."""
    found = built(current_app, name)
    return f"{request.script_root}{PREFIX}/{name}" + (f"?v={found[1]}" if found else "")


def without_bundled(head, names):
    """A page head's lines less the links and scripts of files these bundles hold."""
    urls = {url for name in names for url in BUNDLES[name]}
    kept = [line for line in str(head).splitlines()
            if not any(f'src="{url}"' in line or f'href="{url}"' in line for url in urls)]
    return type(head)("\n".join(kept))


@bp.get("/<name>")
def bundle(name):
    from .caching import STATIC_MAX_AGE
    found = built(current_app, name)
    if found is None:
        abort(404)
    body, digest = found
    response = Response(body, mimetype=KINDS[name[name.rindex("."):]])
    response.set_etag(digest)
    if request.args.get("v") == digest:
        response.cache_control.public = True
        response.cache_control.max_age = STATIC_MAX_AGE
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def init(app):
    app.register_blueprint(bp)
    app.add_template_global(bundle_url)
    app.add_template_filter(without_bundled)
