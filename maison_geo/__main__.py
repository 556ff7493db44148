"""Command line: python -m maison_geo data | illustrative."""
import argparse
import sys

from . import paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m maison_geo")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="build the store from upstream files and geodata/")
    data.add_argument("--force", action="store_true", help="rebuild even when up to date")
    data.add_argument("--scope", default=None, help="mai_son (default), son_la or vietnam")
    data.add_argument("--store", default=None, help="store path (default $MAISON_STORE or instance/)")
    commands.add_parser("illustrative", help="regenerate geodata/figures/illustrative_2024.csv")
    args = parser.parse_args(argv)

    if args.command == "data":
        from .build import build, default_scope
        from .errors import DataError
        from .store import open_store
        try:
            build(open_store(args.store or paths.store_path()), args.scope or default_scope(),
                  force=args.force)
        except DataError as exc:
            print(f"data step failed: {exc}", file=sys.stderr)
            return 1
    elif args.command == "illustrative":
        from .illustrative import write
        print(f"wrote {write()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
