"""Serve maison-geo with waitress on HOST:PORT (default 127.0.0.1:8000)."""
import os

from waitress import serve

from maison_geo import create_app


def serve_options():
    """waitress's settings: HOST, PORT, THREADS from the environment; ident "" sends no Server header."""
    return {"host": os.environ.get("HOST", "127.0.0.1"), "port": int(os.environ.get("PORT", "8000")),
            "threads": int(os.environ.get("THREADS", "8")), "ident": ""}


def main():
    options = serve_options()
    print(f"maison-geo on http://{options['host']}:{options['port']}/", flush=True)
    serve(create_app(), **options)


if __name__ == "__main__":
    main()
