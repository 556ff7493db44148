"""Run a command beside a PostgreSQL + PostGIS server of its own: Debian's packages (installed when
missing and run as root), initdb in a temporary folder, 127.0.0.1 on a free port, stopped at the end.
The command sees MAISON_TEST_DATABASE_URL, an admin URL of that server.

    python tests/with_postgres.py -- python -m pytest
"""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

PACKAGES = ["postgresql", "postgresql-15-postgis-3"]


def pg_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(found[-1]) if found else None


def postgis_ready():
    return bool(glob.glob("/usr/share/postgresql/*/extension/postgis.control"))


def install():
    if pg_bin() and postgis_ready():
        return
    if os.geteuid() != 0:
        sys.exit("PostgreSQL with PostGIS is missing: apt-get install " + " ".join(PACKAGES))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=True, env=env, stdout=subprocess.DEVNULL)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_owner(command, owner):
    """Root may not run the server: run it as the postgres account instead."""
    return ["runuser", "-u", owner, "--", *command] if owner else command


def main(argv):
    command = argv[argv.index("--") + 1:] if "--" in argv else argv
    install()
    bindir, port = pg_bin(), free_port()
    owner = "postgres" if os.geteuid() == 0 else None
    folder = tempfile.mkdtemp(prefix="maison-pg-")
    if owner:
        shutil.chown(folder, owner)
    data = os.path.join(folder, "data")
    subprocess.run(as_owner([f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "maison", "-E", "UTF8",
                             "--locale", "C.UTF-8"], owner), check=True, stdout=subprocess.DEVNULL)
    options = (f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c max_connections=400 -c shared_buffers=256MB")
    subprocess.run(as_owner([f"{bindir}/pg_ctl", "-D", data, "-o", options, "-l", os.path.join(folder, "log"),
                             "-w", "start"], owner), check=True, stdout=subprocess.DEVNULL)
    try:
        url = f"postgresql://maison@127.0.0.1:{port}/postgres"
        _wait(url)
        print(f"PostgreSQL on 127.0.0.1:{port} ({folder})", flush=True)
        return subprocess.run(command, env={**os.environ, "MAISON_TEST_DATABASE_URL": url}).returncode
    finally:
        subprocess.run(as_owner([f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], owner),
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def _wait(url, seconds=30):
    import psycopg
    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
