"""Data entry: the template, uploads with a validation report and a preview, versions, restore, audit.

The web layer is thin: ingest reads and checks, userdata writes. Every upload is kept as it came
(uploads table) before it is checked; nothing is written to the figures while any error remains.
"""
from datetime import date

from flask import (Blueprint, current_app, flash, g, jsonify, redirect, render_template,
                   request, send_file, url_for)
from flask_babel import gettext

from .. import eras, ingest
from ..errors import InvalidChoice
from ..text import nfc
from ..userdata import BaseMoved, QuotaFull
from ..units import DEFAULT_VINTAGE, UNIT_TYPES, VINTAGES, check_vintage
from . import limits
from .auth import require
from .context import catalogue, store
from .converters import MAX_ID, int_arg
from .locale import current_lang
from .renderers import PageData, download, page, render
from .security import csrf, respond

bp = Blueprint("imports", __name__)
SHOWN = 1000  # rows of a long table shown on a page; the JSON and CSV twins have all


def userdata():
    return current_app.extensions["maison"]["store"].userdata



def ui_words(text):
    """gettext, which also knows the indicators' labels: an upload's messages name indicators, never keys."""
    if current_lang() == "vi":
        labels = {ind.label_en: ind.label_vi for ind in catalogue()}
        if text in labels:
            return labels[text]
    return gettext(text)

@bp.record_once
def _settings(state):
    state.app.config.setdefault("UPLOAD_RETENTION_DAYS", 90)  # uploads that never became a version
    state.app.config.setdefault("UPLOAD_QUOTA_MB", 50)        # of such uploads, per user

    @state.app.errorhandler(QuotaFull)
    def quota_full(exc):
        return respond(413, exc.render(ui_words))


def declaration(values):
    period = (values.get("period") or "").strip() or None
    return ingest.Declaration(vintage=(values.get("vintage") or "").strip() or None, period=period,
                              status=(values.get("status") or "").strip(),
                              source=values.get("source") or "", note=values.get("note") or "")


def years():
    return list(range(date.today().year, ingest.MIN_PERIOD - 1, -1))


@bp.app_template_filter("exact_number")
def exact_number(value):
    """Every decimal a value has (up to 6), in the UI language's format: previews must not round."""
    if value is None:
        return "–"
    from babel.numbers import format_decimal

    from ..formatting import LOCALES
    return format_decimal(value, format="#,##0.######", locale=LOCALES.get(current_lang(), "vi_VN"))


def _labels():
    lang = current_lang()
    return {i.key: i.label(lang) for i in catalogue()}


# ---- template and upload page -------------------------------------------------------------------

@bp.get("/imports")
@require("editor")
def upload_page():
    return render_template("imports.html", vintages=VINTAGES, years=years(), declared=None,
                           default_year=date.today().year - 1, recent=userdata().versions()[:5],
                           indicators=ingest.template_indicators(catalogue()), error=None)


@bp.get("/imports/template.xlsx")
@require("editor")
def template():
    vintage = check_vintage(request.args.get("vintage", DEFAULT_VINTAGE))
    period = request.args.get("period", "")
    if not period.isdigit() or int(period) not in years():
        raise InvalidChoice("period", period, years())
    data = ingest.template_xlsx(store().unit_records(vintage), catalogue(), vintage, int(period),
                                eras.scope_of(store()).label)
    return download(data, f"maison_mau_{vintage}_{period}", "xlsx")


@bp.post("/imports")
@require("editor")
def upload():
    declared = declaration(request.form)
    file = request.files.get("file")
    if file is None or not file.filename:
        return render_template("imports.html", vintages=VINTAGES, years=years(), declared=declared,
                               default_year=date.today().year - 1, recent=userdata().versions()[:5],
                               indicators=ingest.template_indicators(catalogue()),
                               error=gettext("Choose a CSV or XLSX file to upload.")), 400
    data = file.read()
    upload_id = _keep(file.filename, data)
    report = _check(data, file.filename, declared)
    return _report_page(report, upload_id, declared)


def _keep(file_name, data):
    """The upload kept as it came (userdata.save_upload), with the retention rule and quota applied."""
    config = current_app.config
    return userdata().save_upload(g.user.name, file_name, data, retention_days=config["UPLOAD_RETENTION_DAYS"],
                                  quota_bytes=int(config["UPLOAD_QUOTA_MB"] * 2 ** 20))


def _check(data, file_name, declared):
    """ingest.check with the file read in a worker process, behind the gate of heavy jobs."""
    with limits.heavy(retry_after=10, wait=current_app.config["READ_WAIT_SECONDS"]):
        return ingest.check(data, file_name, declared, store(), catalogue(), read=limits.pooled_read())


def _report_page(report, upload_id, declared, moved=False):
    view = report.to_dict(translate=ui_words)
    return render_template("imports_report.html", report=report, view=view, upload_id=upload_id,
                           declared=declared, base=userdata().head(), moved=moved, labels=_labels(),
                           shown=SHOWN, unit_types=UNIT_TYPES), 200 if report.ok else 422


@bp.post("/imports/<int:upload_id>/confirm")
@require("editor")
def confirm(upload_id):
    upload = userdata().upload(upload_id)
    if upload["user_name"] != g.user.name and not g.user.can("admin"):
        return respond(403, gettext("This upload was made by another user."))
    declared = declaration(request.form)
    report = _check(upload["content"], upload["file_name"], declared)
    if not report.ok:
        return _report_page(report, upload_id, declared)
    try:
        version = commit(report, upload_id, _base(request.form))
    except BaseMoved:
        return _report_page(report, upload_id, declared, moved=True)
    flash(gettext("Version %(id)s saved: %(n)s values.", id=version["id"], n=version["figures_written"]), "ok")
    return redirect(url_for("imports.version_page", version_id=version["id"]))


def commit(report, upload_id, base=None):
    return userdata().commit_import(
        g.user.name, report.figures, vintage=report.vintage, status=report.status, source=report.source,
        note=report.note, upload_id=upload_id, file_name=report.file_name, sha256=report.sha256,
        rows_read=report.rows_read, counts=report.counts(), base=base)


def _base(values):
    """The version an upload was checked against (the form's or the API's `base`), if given."""
    text = (values.get("base") or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > MAX_ID:
        raise InvalidChoice("base", text[:40], [], "the id of the version the file was checked against")
    return int(text)


# ---- the API ------------------------------------------------------------------------------------

@bp.post("/api/imports")
@csrf.exempt
def api_imports():
    """multipart field `file`; vintage, period, status, source, note (and optionally base, the version
    the figures were checked against) as form fields or query parameters; ?dry_run=1 validates only.
    200 (dry run), 201 (committed), 409 (another version became active after `base`) or 422."""
    if g.user is None:
        response, status = respond(401, g.auth_error or gettext(
            "Send an API token (Authorization: Bearer ...) or log in."))
        response.headers["WWW-Authenticate"] = "Bearer"
        return response, status
    if g.auth == "session":
        csrf.protect()  # a browser session must prove the request came from our page
    if not g.user.can("editor"):
        return respond(403, gettext("Your account (%(name)s, %(role)s) may not do this; it needs the "
                                    "role %(needed)s.", name=g.user.name, role=gettext(g.user.role),
                                    needed=gettext("editor")))
    file = request.files.get("file")
    if file is None:
        return respond(400, gettext("Send the file in the multipart form field “file”."))
    values = {**request.args.to_dict(), **request.form.to_dict()}
    dry_run = values.get("dry_run", "").lower() in ("1", "true", "yes")
    data = file.read()
    upload_id = _keep(file.filename or "", data)
    report = _check(data, file.filename or "", declaration(values))
    body = {"dry_run": dry_run, "upload_id": upload_id, "report": report.to_dict(translate=ui_words)}
    if not report.ok:
        return jsonify(body), 422
    if dry_run:
        return jsonify(body), 200
    try:
        body["version"] = version_json(commit(report, upload_id, _base(values)))
    except BaseMoved as exc:
        return respond(409, exc.render(ui_words))
    return jsonify(body), 201


def version_json(version):
    keys = ("id", "at", "user_name", "action", "file_name", "sha256", "vintage", "status", "source", "note",
            "restored_from", "rows_read", "figures_written", "figures_active", "counts", "active")
    return {k: version.get(k) for k in keys}


# ---- versions -----------------------------------------------------------------------------------

VERSIONS = page("imports.versions", "page", "payload")
VERSION = page("imports.version_page", "page", "payload", "table")
AUDIT = page("imports.audit", "page", "payload")


@bp.get("/versions")
@require("editor")
def versions():
    fmt = VERSIONS.format_arg()
    listed, head = userdata().versions(), userdata().head()
    return render(PageData(payload={"head": head, "versions": [version_json(v) for v in listed]},
                           html=lambda: render_template("versions.html", versions=listed, head=head)), fmt)


FIGURE_COLUMNS = ["version", "vintage", "level", "code", "name", "indicator", "period", "value",
                  "denominator", "status", "source", "note"]


@bp.get("/versions/<int:version_id>")
@require("editor")
def version_page(version_id):
    version = userdata().version(version_id)
    fmt = VERSION.format_arg()
    scope = request.args.get("show", "active")
    if scope not in ("active", "introduced"):
        raise InvalidChoice("show", scope, ["active", "introduced"])
    figures = userdata().version_figures(version_id, introduced_only=scope == "introduced")
    names = _unit_names()
    rows = [{**f.to_dict(), "name": names.get((f.vintage, f.code), "")} for f in figures]
    return render(PageData(
        name=f"maison_version_{version_id}_{scope}", rows=rows, columns=FIGURE_COLUMNS,
        payload={"version": version_json(version), "show": scope, "figures": rows},
        html=lambda: render_template("versions_view.html", version=version, rows=rows, scope=scope,
                                     labels=_labels(), shown=SHOWN)), fmt)


def _unit_names():
    try:
        return {(v, u.code): u.full_name for v in VINTAGES for u in store().unit_records(v)}
    except Exception:  # the store is being rebuilt: codes alone still say it
        return {}


@bp.get("/versions/<int:version_id>/file")
@require("editor")
def version_file(version_id):
    version = userdata().version(version_id)
    if not version.get("upload_id"):
        return respond(404, gettext("Version %(id)s has no file (it is a restore).", id=version_id))
    upload = userdata().upload(version["upload_id"])
    import io
    return send_file(io.BytesIO(upload["content"]), mimetype="application/octet-stream", as_attachment=True,
                     download_name=upload["file_name"] or f"version_{version_id}")


@bp.post("/versions/<int:version_id>/restore")
@require("admin")
def restore(version_id):
    note = nfc(request.form.get("note") or "")[:ingest.MAX_TEXT]
    new = userdata().restore(version_id, g.user.name, note)
    flash(gettext("Version %(id)s restores version %(old)s.", id=new["id"], old=version_id), "ok")
    if request.args.get("format") == "json":
        return jsonify(version_json(new)), 201
    return redirect(url_for("imports.version_page", version_id=new["id"]))


# ---- audit and accounts -------------------------------------------------------------------------

@bp.get("/audit")
@require("admin")
def audit():
    return audit_page()


def audit_page(new_token=None):
    fmt = AUDIT.format_arg()
    per_page = 200
    number = int_arg("page", 1, high=MAX_ID // per_page)
    entries = userdata().audit_log(limit=per_page, offset=(number - 1) * per_page)

    def html():
        pages = max(1, -(-userdata().audit_count() // per_page))
        return render_template("audit.html", entries=entries, page=number, pages=pages, users=userdata().users(),
                               tokens=userdata().tokens(), new_token=new_token, roles=("viewer", "editor", "admin"))
    return render(PageData(payload={"page": number, "entries": entries}, html=html), fmt)
