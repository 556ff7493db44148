"""Command line: python -m maison_geo data | illustrative | backup | restore | user add | token add."""
import argparse
import sys

from . import paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m maison_geo")
    commands = parser.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="build the store from upstream files and geodata/")
    data.add_argument("--force", action="store_true", help="rebuild even when up to date")
    data.add_argument("--scope", default=None, help="mai_son (default), son_la or vietnam")
    data.add_argument("--store", default=None, help="a .gpkg path or a postgresql:// URL (default "
                      "$MAISON_DATABASE_URL, else $MAISON_STORE, else instance/maison.gpkg)")
    commands.add_parser("illustrative", help="regenerate geodata/figures/illustrative_2024.csv")
    where = "($MAISON_DATABASE_URL: pg_dump; else a zip of the store, the user data and the planner's file)"
    commands.add_parser("backup", help=f"back up all the data to FILE {where}").add_argument("file")
    commands.add_parser("restore", help=f"put back a backup made by `backup` {where}").add_argument("file")
    _account_commands(commands)
    args = parser.parse_args(argv)
    if args.command in ("user", "token"):
        return _accounts(args)

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
    elif args.command in ("backup", "restore"):
        return _backup(args.command, args.file)
    elif args.command == "illustrative":
        from .illustrative import write
        print(f"wrote {write()}")
    return 0


def _backup(command, file):
    from zipfile import BadZipFile

    from . import backup
    try:
        done = getattr(backup, command)(file)
    except (backup.BackupError, OSError, BadZipFile) as exc:
        print(f"{command} failed: {exc}", file=sys.stderr)
        return 1
    what = ", ".join(done)
    print(f"backed up {what} to {file}" if command == "backup" else f"restored {what} from {file}")
    return 0


def _account_commands(commands):
    where = {"help": "user-data file (default $MAISON_USERDATA or instance/userdata.sqlite)"}
    user = commands.add_parser("user", help="accounts: user add NAME --role editor|admin")
    user_commands = user.add_subparsers(dest="action", required=True)
    add = user_commands.add_parser("add", help="add an account (asks for the password)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--userdata", default=None, **where)
    listed = user_commands.add_parser("list", help="list the accounts")
    listed.add_argument("--userdata", default=None, **where)
    token = commands.add_parser("token", help="API tokens: token add NAME")
    token_commands = token.add_subparsers(dest="action", required=True)
    make = token_commands.add_parser("add", help="print a new API token for a user (Authorization: Bearer ...)")
    make.add_argument("name")
    make.add_argument("--label", default="", help="what the token is for")
    make.add_argument("--scope", choices=("viewer", "editor", "admin"),
                      help="the most the token may do (default: the account's role)")
    make.add_argument("--days", type=int, default=365, help="days until it stops working (default 365)")
    make.add_argument("--userdata", default=None, **where)


def _accounts(args):
    from .userdata import UserData, UserDataError
    data = UserData(args.userdata)
    try:
        if args.command == "user" and args.action == "add":
            password = _read_password(args.password_stdin)
            user = data.add_user(args.name, args.role, password, actor="cli")
            print(f"added {user.name} ({user.role}) to {data.location}")
        elif args.command == "user" and args.action == "list":
            for user in data.users():
                print(f"{user.name}\t{user.role}\t{'active' if user.active else 'disabled'}")
        elif args.command == "token" and args.action == "add":
            print(data.add_token(args.name, actor="cli", label=args.label, scope=args.scope, days=args.days))
    except (UserDataError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _read_password(from_stdin):
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from getpass import getpass
    first = getpass("Password: ")
    if first != getpass("Password again: "):
        raise ValueError("the two passwords differ")
    return first


if __name__ == "__main__":
    sys.exit(main())
