"""Boundaries from the upstream files: select a scope, restore official names, attach GSO codes."""
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import Geod

from . import eras
from .errors import DataError
from .text import casefold_nfc, fold, nfc
from .units import gadm_gids, load_register

COLUMNS = ["vintage", "code", "name", "full_name", "unit_type", "name_variants", "area_km2", "source",
           "source_id", "geometry"]
_GADM_TYPES = {"xa": "xa", "thitran": "thi_tran", "phuong": "phuong"}
_WARD_TYPES = {"xã": "xa", "phường": "phuong", "thị trấn": "thi_tran"}
_TYPE_WORDS = {"xa": "Xã", "thi_tran": "Thị trấn", "phuong": "Phường"}
_CAMEL = re.compile(r"(?<=[^\W\d_])(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ])")
_GEOD = Geod(ellps="WGS84")
GADM_SOURCE, WARDS_SOURCE = "gadm41_vnm_3", "son_la_wards_2025"  # entries of geodata/sources.json
WEB_GRID_DEG = 1e-5  # ≈ 1 m: coordinates on a grid keep shared borders identical and JSON short


def restore_gadm_name(name_3):
    """GADM strips spaces: 'HátLót(Thịtrấn)' → 'Hát Lót'. Word breaks come back at each capital."""
    bare = re.sub(r"\(.*?\)", "", nfc(name_3))
    return nfc(_CAMEL.sub(" ", bare))


def geodesic_km2(geometries):
    return [abs(_GEOD.geometry_area_perimeter(g)[0]) / 1e6 for g in geometries]


def _where(filters):
    return " AND ".join(f"{field} = '{value}'" for field, value in filters.items()) or None


def read_gadm(path, scope, geodata=None):
    """Units of the scope from GADM level 3 (the era of that source), named and coded from its register."""
    frame = pyogrio.read_dataframe(path, where=_where(dict(scope.gadm_filter)),
                                   columns=["GID_3", "NAME_3", "TYPE_3"])
    if frame.empty:
        raise DataError(f"no GADM unit matches {dict(scope.gadm_filter)}")
    vintage = eras.by_source(GADM_SOURCE, geodata).key
    by_gid = _units_by_gadm_gid(vintage, geodata)
    rows = [_gadm_row(r, by_gid.get(r.GID_3), vintage) for r in frame.itertuples()]
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
    out["area_km2"] = geodesic_km2(out.geometry)
    return out[COLUMNS]


def _units_by_gadm_gid(vintage, geodata):
    units = {u.code: u for u in load_register(vintage, geodata)}
    return {gid: units[code] for gid, code in gadm_gids(vintage, geodata).items()}


def _gadm_row(feature, unit, vintage):
    restored = restore_gadm_name(feature.NAME_3)
    unit_type = _GADM_TYPES.get(fold(feature.TYPE_3).replace(" ", ""), fold(feature.TYPE_3))
    base = {"vintage": vintage, "source": GADM_SOURCE, "source_id": feature.GID_3,
            "geometry": feature.geometry}
    if unit is None:  # outside the register: keep GADM's id, flag the name as restored
        full = f"{_TYPE_WORDS.get(unit_type, '')} {restored}".strip()
        return {**base, "code": feature.GID_3, "name": restored, "full_name": full,
                "unit_type": unit_type, "name_variants": ""}
    known = {casefold_nfc(n).replace(" ", "") for n in (unit.name, *unit.variants)}
    if casefold_nfc(restored).replace(" ", "") not in known or unit_type != unit.unit_type:
        raise DataError(f"GADM {feature.GID_3} {feature.NAME_3!r} does not match register "
                        f"{unit.code} {unit.full_name!r}")
    return {**base, "code": unit.code, "name": unit.name, "full_name": unit.full_name,
            "unit_type": unit.unit_type, "name_variants": "|".join(unit.variants)}


def read_all_wards_2025(path):
    frame = gpd.read_file(path)
    frame["full_name"] = frame.full_name.map(nfc)
    return frame


def read_wards_2025(path, scope, geodata=None, frame=None):
    """Units of the scope from the 2025 boundary layer (the era of that source), checked against its
    register."""
    frame = read_all_wards_2025(path) if frame is None else frame
    selector = scope.wards_2025_filter
    if selector is None:
        return gpd.GeoDataFrame(columns=COLUMNS, geometry="geometry", crs=frame.crs)
    for field, value in selector:
        frame = frame[frame[field].notna()] if value == "*" else frame[frame[field] == value]
    vintage = eras.by_source(WARDS_SOURCE, geodata).key
    register = {u.code: u for u in load_register(vintage, geodata)}
    rows = []
    for r in frame.itertuples():
        unit = register.get(r.gso_code)
        name = nfc(r.name)
        if unit is not None and fold(unit.name) != fold(name):
            raise DataError(f"2025 layer {r.gso_code} {name!r} does not match register {unit.name!r}")
        rows.append({"vintage": vintage, "code": r.gso_code, "name": name,
                     "full_name": nfc(r.full_name), "unit_type": _WARD_TYPES[nfc(r.unit_type)],
                     "name_variants": "|".join(unit.variants) if unit else "",
                     "source": WARDS_SOURCE, "source_id": r.source_id,
                     "geometry": r.geometry})
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
    out["area_km2"] = geodesic_km2(out.geometry)
    return out[COLUMNS]


GAP_WIDTH_DEG = 0.002  # ≈ 220 m; the widest gap between two GADM communes of Mai Sơn is 105 m


def clean_coverage(units, gap_width=GAP_WIDTH_DEG):
    """Per vintage, make the units tile: each overlap and each gap narrower than gap_width goes to the
    neighbour with the longest shared border, and shared edges become identical. No area is dropped.
    Returns (cleaned units, {vintage: what changed, in km²})."""
    parts, report = [], {}
    for vintage, group in units.groupby("vintage", sort=False):
        before = group.geometry.values
        after = np.array([_as_multi(g) for g in shapely.coverage_clean(before, gap_width=gap_width)])
        empty = [code for code, g in zip(group.code, after) if g.is_empty]
        if empty:
            raise DataError(f"{vintage}: cleaning the coverage left no area to {', '.join(empty)}")
        cleaned = group.copy()
        cleaned["geometry"] = after
        cleaned["area_km2"] = geodesic_km2(after)
        parts.append(cleaned)
        report[vintage] = _cleaning_report(before, after)
    return gpd.GeoDataFrame(pd.concat(parts), crs=units.crs), report


def _as_multi(geometry):
    return geometry if geometry.geom_type == "MultiPolygon" else shapely.MultiPolygon(
        list(shapely.get_parts(geometry)))


def _cleaning_report(before, after):
    union_before, union_after = shapely.union_all(before), shapely.coverage_union_all(after)
    moved = [shapely.symmetric_difference(b, a) for b, a in zip(before, after)]
    return {"units": len(before),
            "holes_before": _hole_count(union_before), "holes_after": _hole_count(union_after),
            "gaps_filled_km2": round(sum(geodesic_km2([union_after.difference(union_before)])), 4),
            "overlaps_resolved_km2": round(max(sum(geodesic_km2(before)) - geodesic_km2([union_before])[0], 0), 4),
            "units_changed": sum(1 for m in moved if geodesic_km2([m])[0] > 1e-6),
            "area_reassigned_km2": round(sum(geodesic_km2(moved)), 4)}


def _hole_count(shape):
    return sum(len(p.interiors) for p in shapely.get_parts(shape))


def simplify_for_web(units, tolerance):
    """Coverage-preserving simplification per vintage: neighbours keep one shared border."""
    parts = []
    for _, group in units.groupby("vintage", sort=False):
        simplified = group.copy()
        simplified["geometry"] = shapely.set_precision(
            group.geometry.simplify_coverage(tolerance).values, WEB_GRID_DEG)
        parts.append(simplified)
    return gpd.GeoDataFrame(pd.concat(parts), crs=units.crs)


PATCH_MIN_KM2 = 1.0  # smaller pieces are GADM's generalisation, not a real change of outline


def era_patches(old_units, new_units, wards_2025, min_km2=PATCH_MIN_KM2):
    """Where the 2025 outline differs from the old district outline, and where each patch went."""
    old, new = old_units.union_all(), new_units.union_all()
    pieces = []
    for change, shape in (("left", old.difference(new)), ("joined", new.difference(old))):
        for part in gpd.GeoSeries([shape], crs=old_units.crs).explode(index_parts=False):
            area = geodesic_km2([part])[0]
            if area < min_km2:
                continue
            point = part.representative_point()
            source = _containing(old_units if change == "left" else None, point)
            target = _containing(wards_2025, point)
            pieces.append({"change": change, "area_km2": round(area, 2),
                           "old_code": source.get("code", ""), "old_name": source.get("name", ""),
                           "now_in": target.get("full_name", ""), "now_in_code": target.get("gso_code", ""),
                           "geometry": part})
    return gpd.GeoDataFrame(pieces, geometry="geometry", crs=old_units.crs,
                            columns=["change", "area_km2", "old_code", "old_name", "now_in",
                                     "now_in_code", "geometry"])


def _containing(frame, point):
    if frame is None:
        return {}
    hits = frame[frame.intersects(point)]
    return hits.iloc[0].to_dict() if len(hits) else {}
