"""The data step: upstream files + authored geodata → the store. Idempotent and quick when nothing changed."""
import csv
import hashlib
import os
import time
from pathlib import Path

from . import figures as fg
from . import eras, paths, upstream
from .text import nfc

WEB_TOLERANCE_DEG = 0.0008  # ≈ 90 m: invisible at district zoom, a large cut for the precise 2025 layer
_CODE = [Path(__file__).parent / name for name in ("build.py", "boundaries.py", "eras.py", "figures.py")]


def fingerprint(scope_name, geodata=None):
    """Changes whenever an input of the build changes: authored data, upstream checksums, build code."""
    geodata = Path(geodata or paths.GEODATA)
    digest = hashlib.sha256(f"{scope_name}|{WEB_TOLERANCE_DEG}".encode())
    for path in sorted(p for p in geodata.rglob("*") if p.is_file()) + _CODE:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_current(store, scope_name, geodata=None):
    return store.meta().get("fingerprint") == fingerprint(scope_name, geodata)


def build(store, scope_name=eras.DEFAULT_SCOPE, geodata=None, mirror=None, force=False, log=print):
    """Write the store unless it is already built from the same inputs. Returns True when it wrote."""
    if not force and is_current(store, scope_name, geodata):
        log(f"store {store.location} is up to date")
        return False
    started = time.perf_counter()
    dataset = assemble(scope_name, geodata, mirror)
    store.replace(dataset)
    log(f"built {store.location}: {_summary(dataset)} in "
        f"{time.perf_counter() - started:.1f} s")
    return True


def assemble(scope_name, geodata=None, mirror=None):
    import geopandas as gpd
    import pandas as pd

    from . import boundaries
    from .store import Dataset

    scope = eras.scope(scope_name, geodata)
    sources = upstream.manifest(geodata)
    gadm, wards = sources[boundaries.GADM_SOURCE], sources[boundaries.WARDS_SOURCE]
    old = boundaries.read_gadm(upstream.vsi_path(gadm, upstream.locate(gadm, mirror)), scope, geodata)
    parts, patches = [old], None
    if scope.wards_2025_filter is not None:
        all_wards = boundaries.read_all_wards_2025(upstream.locate(wards, mirror))
        new = boundaries.read_wards_2025(None, scope, geodata, frame=all_wards)
        parts.append(new)
        patches = boundaries.era_patches(old, new, all_wards)
    units = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)
    units = units.sort_values(["vintage", "code"], ascending=[False, True], ignore_index=True)
    _check_counts(units, scope)
    cleaned, cleaning = boundaries.clean_coverage(units)
    return Dataset(
        units=cleaned,
        source_units=units,
        web_units=boundaries.simplify_for_web(cleaned, WEB_TOLERANCE_DEG),
        era_patches=patches,
        figures=fg.load_authored(geodata),
        crosswalk=_crosswalk(geodata),
        facts=_read_csv((geodata or paths.GEODATA) / "commune_facts.csv"),
        sources=[_source_row(s) for s in sources.values()],
        meta={"fingerprint": fingerprint(scope_name, geodata), "scope": scope_name,
              "scope_label": scope.label, "coverage_cleaning": cleaning,
              "gap_width_deg": boundaries.GAP_WIDTH_DEG, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
    )


def _check_counts(units, scope):
    for vintage, expected in scope.expected_units:
        found = int((units.vintage == vintage).sum())
        if found != expected:
            from .errors import DataError
            raise DataError(f"{vintage}: expected {expected} units, found {found}")


def _crosswalk(geodata):
    """The rows of every era's crosswalk from the era before it."""
    return [row for era in eras.eras(geodata) if era.crosswalk
            for row in _read_csv((geodata or paths.GEODATA) / era.crosswalk)]


def _read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [{k: nfc(v) for k, v in row.items()} for row in csv.DictReader(f)]


def _source_row(source):
    return {"name": source.name, "file": source.file, "sha256": source.sha256,
            "vintage": source.vintage, "attribution": source.attribution,
            "licence": source.licence, "url": source.url or ""}


def _summary(dataset):
    counts = dataset.units.vintage.value_counts().to_dict()
    return ", ".join(f"{n} {v} units" for v, n in counts.items()) + f", {len(dataset.figures)} figures"


def default_scope():
    return os.environ.get("MAISON_SCOPE", eras.DEFAULT_SCOPE)
