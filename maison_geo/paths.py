"""Where things live: the repository, the authored geodata, the store, the upstream mirror."""
import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEODATA = REPO / "geodata"
INSTANCE = REPO / "instance"
DEFAULT_STORE = INSTANCE / "maison.gpkg"
UPSTREAM_CACHE = INSTANCE / "upstream"


def store_path():
    return Path(os.environ.get("MAISON_STORE", DEFAULT_STORE))


def mirror_dir():
    """The local mirror of upstream files: $MAISON_DATA_MIRROR, else ../shared/geodata/upstream."""
    configured = os.environ.get("MAISON_DATA_MIRROR")
    if configured:
        return Path(configured)
    beside = REPO.parent / "shared" / "geodata" / "upstream"
    return beside if beside.is_dir() else None
