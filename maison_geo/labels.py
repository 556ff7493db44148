"""Commune labels: names that repeat within an era get their unit type ("TT Hát Lót" / "Hát Lót"),
and bigger units are placed first when labels compete for room."""
from collections import Counter

from .text import fold

TYPE_SHORT = {"thi_tran": "TT", "phuong": "P.", "xa": "Xã"}


def label_names(units):
    """{code: label} from (code, name, unit_type) triples; only repeated names are qualified, and the
    commonest type (usually xã) keeps the bare name."""
    units = list(units)
    repeated = Counter(fold(name) for _, name, _ in units)
    labels = {}
    for name_key in {k for k, n in repeated.items() if n > 1}:
        group = [u for u in units if fold(u[1]) == name_key]
        types = Counter(t for _, _, t in group)
        common = max(types, key=lambda t: (types[t], t == "xa"))
        for code, name, unit_type in group:
            if unit_type != common or sum(1 for u in group if u[2] == unit_type) > 1:
                labels[code] = f"{TYPE_SHORT.get(unit_type, unit_type)} {name}"
    return {code: labels.get(code, name) for code, name, _ in units}


def label_points(frame):
    """[{code, name, label, lat, lon, priority}] of a units GeoDataFrame, biggest unit first."""
    names = label_names(zip(frame.code, frame.name, frame.unit_type))
    points = frame.geometry.representative_point()
    rows = [{"code": c, "name": n, "label": names[c], "lat": round(p.y, 5), "lon": round(p.x, 5),
             "priority": round(float(a), 3)}
            for c, n, p, a in zip(frame.code, frame.name, points, frame.area_km2)]
    return sorted(rows, key=lambda r: -r["priority"])
