"""Upstream boundary files: taken from a local mirror, else downloaded, and always sha256-verified."""
import hashlib
import json
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import DataError


@dataclass(frozen=True)
class Source:
    name: str
    file: str
    sha256: str
    vintage: str
    attribution: str
    licence: str
    url: str = None
    member: str = None
    how_to_obtain: str = None


def manifest(geodata=None):
    with open((geodata or paths.GEODATA) / "sources.json", encoding="utf-8") as f:
        return {name: Source(name=name, **entry) for name, entry in json.load(f).items()}


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def locate(source, mirror=None, cache=None):
    """A verified local copy of the source: from the mirror when it has one, else downloaded to cache."""
    mirror = mirror if mirror is not None else paths.mirror_dir()
    cache = Path(cache or paths.UPSTREAM_CACHE)
    candidates = [Path(mirror) / source.file] if mirror else []
    candidates.append(cache / source.file)
    for path in candidates:
        if path.is_file():
            return _verified(source, path)
    if not source.url:
        raise DataError(f"{source.file} is not in the mirror ({mirror or 'none configured'}) and has "
                        f"no download URL. {source.how_to_obtain or ''}".strip())
    return _verified(source, _download(source, cache / source.file))


def _download(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    try:
        with urllib.request.urlopen(source.url, timeout=120) as response, open(partial, "wb") as out:
            shutil.copyfileobj(response, out)
    except OSError as exc:
        raise DataError(f"could not download {source.url}: {exc}. Set MAISON_DATA_MIRROR to a folder "
                        f"holding {source.file}.") from exc
    partial.replace(target)
    return target


def _verified(source, path):
    actual = sha256_of(path)
    if actual != source.sha256:
        raise DataError(f"{path}: sha256 {actual} does not match the manifest's {source.sha256}; "
                        "the upstream file changed or is damaged")
    return path


def vsi_path(source, path):
    """A path GDAL reads directly, inside the zip when the source is zipped."""
    return f"/vsizip/{path}/{source.member}" if source.member else str(path)
