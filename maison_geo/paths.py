"""Where things live: the repository, the authored geodata, the store, the upstream mirror."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEODATA = REPO / "geodata"
INSTANCE = REPO / "instance"
DEFAULT_STORE = INSTANCE / "maison.gpkg"
UPSTREAM_CACHE = INSTANCE / "upstream"


def store_path():
    """The store's location: $MAISON_DATABASE_URL when set (everything is in that database), else
    $MAISON_STORE (a .gpkg path or a postgresql:// URL), else instance/maison.gpkg."""
    location = os.environ.get("MAISON_DATABASE_URL") or os.environ.get("MAISON_STORE")
    if location and location.startswith(("postgresql://", "postgres://")):
        return location
    return Path(location or DEFAULT_STORE)


def mirror_dir():
    """The local mirror of upstream files: $MAISON_DATA_MIRROR, else ../shared/geodata/upstream."""
    configured = os.environ.get("MAISON_DATA_MIRROR")
    if configured:
        return Path(configured)
    beside = REPO.parent / "shared" / "geodata" / "upstream"
    return beside if beside.is_dir() else None
