"""gunicorn's settings for `make serve` (the production server; `make run` stays waitress).

    gunicorn -c gunicorn.conf.py "maison_geo:create_app()"

HOST, PORT: where to listen (127.0.0.1:8000 by default; 0.0.0.0 behind a proxy on another host).
WORKERS: processes, by default 2 x cores + 1 (gunicorn's own advice: while one waits on the disk,
another computes). THREADS: threads per process (default 2, gthread workers): a slow answer (a print,
the planner's solver behind its gate) does not hold a whole process. Each process keeps its own
response cache and heavy-job gate (HEAVY_JOBS is per process). The access log goes to stdout.
"""
import multiprocessing
import os


def _int(name, default):
    text = os.environ.get(name)
    try:
        return int(text) if text else default
    except ValueError:
        raise SystemExit(f"{name}={text!r} is not a whole number") from None


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{_int('PORT', 8000)}"
workers = _int("WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("THREADS", 2)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 120)   # the longest answer: a print or the planner at its limit
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "maison-geo"
control_socket_disable = True  # no Unix socket in $HOME: several servers on one machine do not collide
