"""CPU-heavy work (the planner's solver, checking an upload) outside the request threads: each job in
its own process, killed when it runs past its deadline, and at most a few jobs at once in all and per
client. A job beyond either cap is refused at once (Busy: HTTP 429 with Retry-After) rather than
queued, so a burst of heavy requests never holds every request thread while the rest of the app waits.

Processes come from a forkserver (a clean single-threaded parent with the solver preloaded), not a
fork of the multithreaded server; a job's function and arguments are pickled.
"""
import multiprocessing
import threading
import time
from contextlib import contextmanager

from .errors import MaisonError

# "__main__" first: each job then finds the main module already imported instead of importing it again
PRELOAD = ["__main__", "maison_geo.planning.solve", "scipy.optimize", "maison_geo.ingest"]


class Busy(MaisonError):
    """Too many heavy jobs running (in all, or for this client): try again after retry_after s."""
    status = 429

    def __init__(self, retry_after, per_client):
        self.retry_after, self.per_client = int(retry_after), per_client
        super().__init__(f"too many computations running{' for this client' if per_client else ''}; "
                         f"try again in {self.retry_after} s")


class TimedOut(MaisonError):
    """A job ran past its deadline and was killed."""
    status = 503

    def __init__(self, seconds):
        self.seconds = seconds
        super().__init__(f"the computation took more than {seconds:g} s and was stopped")


class WorkerFailed(MaisonError):
    """The worker process ended without an answer (killed by the system, out of memory...)."""
    status = 503

    def __init__(self, exitcode):
        super().__init__(f"the computation stopped without an answer (worker exit code {exitcode}); try again")


class Gate:
    """At most `total` jobs at once, and at most `per_client` for one client key."""

    def __init__(self, total, per_client):
        self.total, self.per_client = total, per_client
        self._free = threading.Condition()
        self._running = {}

    @contextmanager
    def enter(self, client, retry_after, wait=0.0):
        """Run the block as one job of client, waiting at most `wait` seconds for a free place."""
        deadline = time.monotonic() + wait
        with self._free:
            while (full := self._full(client)) is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Busy(retry_after, full == "client")
                self._free.wait(left)
            self._running[client] = self._running.get(client, 0) + 1
        try:
            yield
        finally:
            with self._free:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]
                self._free.notify_all()

    def _full(self, client):
        if self._running.get(client, 0) >= self.per_client:
            return "client"
        if sum(self._running.values()) >= self.total:
            return "all"
        return None

    def running(self):
        with self._free:
            return sum(self._running.values())


_context = None
_context_lock = threading.Lock()


def _mp():
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
        return _context


def _child(conn, func, args, kwargs):
    try:
        conn.send((True, func(*args, **kwargs)))
    except BaseException as exc:  # the parent raises it again
        try:
            conn.send((False, exc))
        except Exception:  # an exception that does not pickle: its text still tells
            conn.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def run(func, *args, timeout, **kwargs):
    """func(*args, **kwargs) in a new process; its result, or its exception raised here. TimedOut
    (and the process killed) when it takes more than timeout seconds; WorkerFailed when the process
    ends without an answer."""
    mp = _mp()
    receive, send = mp.Pipe(duplex=False)
    process = mp.Process(target=_child, args=(send, func, args, kwargs), daemon=True)
    process.start()
    send.close()
    try:
        deadline = time.monotonic() + timeout
        while not receive.poll(max(0.0, min(0.5, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                raise TimedOut(timeout)
            if not process.is_alive() and not receive.poll():
                raise WorkerFailed(process.exitcode)  # is_alive() reaped it: the code is known
        try:
            ok, value = receive.recv()
        except EOFError:
            process.join(5)
            raise WorkerFailed(process.exitcode) from None
    finally:
        receive.close()
        _stop(process)
    if not ok:
        raise value
    return value


def _stop(process):
    if process.is_alive():
        process.terminate()
        process.join(2)
        if process.is_alive():
            process.kill()
    process.join(5)
