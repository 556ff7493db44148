"""gunicorn's settings for `make serve` (the production server; `make run` stays waitress).

    gunicorn -c gunicorn.conf.py "maison_geo:create_app()"

HOST, PORT: where to listen (127.0.0.1:8000 by default; 0.0.0.0 behind a proxy on another host).
WORKERS: processes, by default one per core. THREADS: threads per process (default 4, gthread
workers): a slow answer (a print, the planner's solver behind its gate) does not hold the others.
Most answers are kept ones, sent in well under a millisecond of CPU: more processes than cores add
no speed, only memory and caches to fill (each process renders each page once before it keeps it).
Measured on 2 cores with every worker warm (benchmarks/RESULTS.md): 2 x 4 served /map at 8 clients
as fast as 5 x 2 (p99 16 and 17 ms, medians of two runs). Each process keeps its own response cache and heavy-job gate
(HEAVY_JOBS is per process). The access log goes to stdout.
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
workers = _int("WORKERS", multiprocessing.cpu_count())
threads = _int("THREADS", 4)
worker_class = "gthread"
timeout = _int("GUNICORN_TIMEOUT", 120)   # the longest answer: a print or the planner at its limit
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = "maison-geo"
control_socket_disable = True  # no Unix socket in $HOME: several servers on one machine do not collide
