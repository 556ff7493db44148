"""Heavy work on the web: the planner's solver and the reading of uploads run in worker processes
(..workers) behind one gate, with a hard deadline; anonymous callers get a shorter solver time.

Settings (app config): HEAVY_JOBS (jobs at once in all, default 2), HEAVY_JOBS_PER_CLIENT (per account,
or per address when anonymous; default 1), ANONYMOUS_SOLVE_SECONDS (solver seconds without a login,
default 5), READ_SECONDS (reading one upload, default 30), READ_WAIT_SECONDS (how long an upload waits
for a free place before a 429, default 10: reading a file within the row and cell limits is quick).
"""
from functools import partial

from flask import current_app, g, make_response, request
from flask_babel import gettext

from .. import workers
from ..ingest import read_table
from ..planning import solve_all, solve_milp
from .security import respond

GRACE = 10  # seconds past the solver's own time limit before its process is killed


def init(app):
    app.config.setdefault("HEAVY_JOBS", 2)
    app.config.setdefault("HEAVY_JOBS_PER_CLIENT", 1)
    app.config.setdefault("ANONYMOUS_SOLVE_SECONDS", 5.0)
    app.config.setdefault("READ_SECONDS", 30.0)
    app.config.setdefault("READ_WAIT_SECONDS", 10.0)
    app.extensions["maison"]["gate"] = workers.Gate(app.config["HEAVY_JOBS"], app.config["HEAVY_JOBS_PER_CLIENT"])

    @app.errorhandler(workers.Busy)
    def busy(exc):
        if exc.per_client:
            message = gettext("You already have a computation running: wait for it, then try again in "
                              "%(s)s s.", s=exc.retry_after)
        else:
            message = gettext("The server is busy with other computations: try again in %(s)s s.",
                              s=exc.retry_after)
        response = make_response(respond(429, message))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(workers.TimedOut)
    def timed_out(exc):
        return respond(503, gettext("The computation took more than %(s)s s and was stopped: ask for less "
                                    "(fewer years, communes or interventions), or log in for a longer limit.",
                                    s=f"{exc.seconds:g}"))


def client_key():
    user = g.get("user")
    return f"user:{user.name}" if user is not None else f"ip:{request.remote_addr or ''}"


def heavy(retry_after, wait=0.0):
    """`with heavy(s):` around a heavy job: a 429 (Busy) when too many are running (after waiting at
    most `wait` seconds for one to end: for short jobs only, as waiting holds a request thread)."""
    return current_app.extensions["maison"]["gate"].enter(client_key(), retry_after, wait)


def time_cap():
    """The most solver seconds this caller may have: None (the request's own limit) when logged in."""
    return None if g.get("user") is not None else float(current_app.config["ANONYMOUS_SOLVE_SECONDS"])


def _pooled_solve(items, budgets, min_spend, max_spend, time_limit):
    return workers.run(solve_milp, items, budgets, min_spend, max_spend, time_limit, timeout=time_limit + GRACE)


def plan_options():
    """make_plan's keyword arguments for this request: the solver in a worker, the caller's time cap."""
    return {"solve": _pooled_solve, "time_cap": time_cap()}


def _pooled_solve_all(items, problems, time_limit):
    return workers.run(solve_all, items, problems, time_limit, timeout=time_limit * len(problems) + GRACE)


def frontier_options():
    """frontier's keyword arguments: its solves together in one worker, the caller's time cap."""
    return {"solve_many": _pooled_solve_all, "time_cap": time_cap()}


def pooled_read():
    return partial(workers.run, read_table, timeout=float(current_app.config["READ_SECONDS"]))
