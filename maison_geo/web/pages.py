"""HTML pages."""
from flask import Blueprint, render_template

from ..units import DEFAULT_VINTAGE
from .context import catalogue, store

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    return render_template("index.html", units=store().unit_records(DEFAULT_VINTAGE),
                           indicators=catalogue().mappable(), meta=store().meta())
