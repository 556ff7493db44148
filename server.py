"""Serve maison-geo with waitress on HOST:PORT (default 127.0.0.1:8000)."""
import os

from waitress import serve

from maison_geo import create_app


def main():
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    print(f"maison-geo on http://{host}:{port}/", flush=True)
    serve(create_app(), host=host, port=port, threads=8)


if __name__ == "__main__":
    main()
