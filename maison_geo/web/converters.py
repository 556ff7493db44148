"""Numbers from URLs and query strings, bounded to what SQLite can hold: a larger id is a 404 (no such
row), a larger page a 400 naming the parameter, never an OverflowError from the database."""
from flask import request
from werkzeug.routing import IntegerConverter

from ..errors import InvalidChoice

MAX_ID = 2 ** 63 - 1  # SQLite's largest INTEGER


class IdConverter(IntegerConverter):
    """<int:...> in every route: digits only, at most MAX_ID, else the URL matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=min_of(max, MAX_ID), signed=signed)


def min_of(a, b):
    return b if a is None else min(a, b)


def int_arg(name, default, low=1, high=10 ** 6):
    """An integer query parameter within [low, high]; anything else is a 400 naming it."""
    text = request.args.get(name)
    if text in (None, ""):
        return default
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise InvalidChoice(name, text[:40], [], f"a whole number from {low} to {high}")
    return int(text)
