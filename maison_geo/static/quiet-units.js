/* maison-geo: the thousands of units without a value on a country map, as one layer of Leaflet's canvas.
   They go straight from the overview's TopoJSON arcs into typed arrays: no GeoJSON, no LatLng per
   vertex, no layer per unit. Projected once per zoom, filled in batches of neighbours, hovered and
   clicked through a point-in-polygon test; `unit` is the index of the unit last found under the mouse. */
(function () {
  "use strict";
  var BATCH = 50;  // units per fill, neighbours in code order: 300 took twice as long to draw, all in one 0.8 s more
  var RAD = Math.PI / 180, MAX_LAT = 85.0511287798;

  // Web Mercator (Leaflet's and folium's default CRS) on a world 1 wide, y growing southwards
  function mercatorY(lat) {
    var sin = Math.sin(Math.max(Math.min(lat, MAX_LAT), -MAX_LAT) * RAD);
    return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
  }

  function ringsOf(geometry) {
    if (geometry.type === "Polygon") { return geometry.arcs; }
    if (geometry.type === "MultiPolygon") { return [].concat.apply([], geometry.arcs); }
    return [];
  }

  function arcLength(topology, ref) { return topology.arcs[ref < 0 ? ~ref : ref].length; }

  /* Writes one arc's absolute positions in lon/lat from `at` on (TopoJSON: ~i is arc i reversed;
     quantized arcs hold the first position and then deltas). Returns where the next arc goes. */
  function writeArc(topology, ref, units, at) {
    var arc = topology.arcs[ref < 0 ? ~ref : ref], n = arc.length, x = 0, y = 0;
    var scale = topology.transform.scale, shift = topology.transform.translate;
    for (var i = 0; i < n; i += 1) {
      x += arc[i][0]; y += arc[i][1];
      var k = ref < 0 ? at + n - 1 - i : at + i;
      units.lon[k] = x * scale[0] + shift[0];
      units.lat[k] = y * scale[1] + shift[1];
    }
    return at + n;
  }

  function decode(topology, geometries) {
    var vertices = 0, rings = 0;
    geometries.forEach(function (geometry) {
      ringsOf(geometry).forEach(function (ring) {
        rings += 1;
        ring.forEach(function (ref) { vertices += arcLength(topology, ref); });
      });
    });
    var units = { count: geometries.length, lon: new Float64Array(vertices), lat: new Float64Array(vertices),
                  x: new Float64Array(vertices), y: new Float64Array(vertices),
                  ringEnd: new Int32Array(rings), unitEnd: new Int32Array(geometries.length),
                  box: new Float64Array(4 * geometries.length),
                  properties: geometries.map(function (g) { return g.properties || {}; }) };
    var at = 0, ring = 0;
    geometries.forEach(function (geometry, u) {
      ringsOf(geometry).forEach(function (arcs) {
        // a ring of several arcs: each next arc starts where the last one ended, so it overwrites that end
        arcs.forEach(function (ref, k) { at = writeArc(topology, ref, units, k ? at - 1 : at); });
        units.ringEnd[ring++] = at;
      });
      units.unitEnd[u] = ring;
    });
    units.lon = units.lon.subarray(0, at);  // (shorter when rings had several arcs)
    units.lat = units.lat.subarray(0, at);
    units.x = units.x.subarray(0, at);
    units.y = units.y.subarray(0, at);
    for (var i = 0; i < at; i += 1) {
      units.x[i] = (units.lon[i] + 180) / 360;
      units.y[i] = mercatorY(units.lat[i]);
    }
    boxes(units);
    return units;
  }

  function ringRange(units, unit) {
    return [unit ? units.unitEnd[unit - 1] : 0, units.unitEnd[unit]];
  }

  function ringStart(units, ring) { return ring ? units.ringEnd[ring - 1] : 0; }

  function boxes(units) {
    units.extent = [Infinity, Infinity, -Infinity, -Infinity];
    for (var u = 0; u < units.count; u += 1) {
      var rings = ringRange(units, u), b = [Infinity, Infinity, -Infinity, -Infinity];
      for (var i = ringStart(units, rings[0]); i < ringStart(units, rings[1]); i += 1) {
        b[0] = Math.min(b[0], units.x[i]); b[1] = Math.min(b[1], units.y[i]);
        b[2] = Math.max(b[2], units.x[i]); b[3] = Math.max(b[3], units.y[i]);
      }
      units.box.set(b, 4 * u);
      units.extent = [Math.min(units.extent[0], b[0]), Math.min(units.extent[1], b[1]),
                      Math.max(units.extent[2], b[2]), Math.max(units.extent[3], b[3])];
    }
  }

  /* Even-odd over every ring of the unit: holes count as outside, parts never overlap. */
  function contains(units, unit, x, y) {
    var rings = ringRange(units, unit), inside = false, xs = units.x, ys = units.y;
    for (var r = rings[0]; r < rings[1]; r += 1) {
      var start = ringStart(units, r), end = units.ringEnd[r];
      for (var i = start, j = end - 1; i < end; j = i, i += 1) {
        if ((ys[i] > y) !== (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
          inside = !inside;
        }
      }
    }
    return inside;
  }

  var QuietUnits = null;

  function defineLayer() {
    return L.Path.extend({
      options: { fill: true },

      initialize: function (units, options) {
        L.setOptions(this, options);
        this._units = units;
        this.unit = -1;
      },

      _project: function () {
        var map = this._map, units = this._units, n = units.x.length;
        var scale = map.options.crs.scale(map.getZoom()), origin = map.getPixelOrigin();
        this._px = this._px || new Float64Array(n);
        this._py = this._py || new Float64Array(n);
        for (var i = 0; i < n; i += 1) {
          this._px[i] = units.x[i] * scale - origin.x;
          this._py[i] = units.y[i] * scale - origin.y;
        }
        this._scale = scale;
        this._origin = origin;
        var world = units.extent;
        this._pxBounds = L.bounds([world[0] * scale - origin.x, world[1] * scale - origin.y],
                                  [world[2] * scale - origin.x, world[3] * scale - origin.y]);
      },

      _update: function () {},

      _updatePath: function () {
        var renderer = this._renderer, units = this._units;
        if (!renderer._drawing || !units.count) { return; }
        var ctx = renderer._ctx, px = this._px, py = this._py;
        for (var first = 0; first < units.count; first += BATCH) {
          var rings = [ringRange(units, first)[0], ringRange(units, Math.min(first + BATCH, units.count) - 1)[1]];
          ctx.beginPath();
          for (var r = rings[0]; r < rings[1]; r += 1) {
            var start = ringStart(units, r), end = units.ringEnd[r];
            ctx.moveTo(px[start], py[start]);
            for (var i = start + 1; i < end; i += 1) { ctx.lineTo(px[i], py[i]); }
            ctx.closePath();
          }
          renderer._fillStroke(ctx, this);
        }
      },

      /* Sets `unit` (or -1) and `alsoHere`: how many more units cover the point, as tiny neighbours
         snapped to the same grid cell of the overview do. */
      _containsPoint: function (point) {
        var units = this._units, box = units.box;
        var x = (point.x + this._origin.x) / this._scale, y = (point.y + this._origin.y) / this._scale;
        this.unit = -1;
        this.alsoHere = 0;
        for (var u = 0; u < units.count; u += 1) {
          if (x >= box[4 * u] && x <= box[4 * u + 2] && y >= box[4 * u + 1] && y <= box[4 * u + 3] &&
              contains(units, u, x, y)) {
            if (this.unit < 0) { this.unit = u; } else { this.alsoHere += 1; }
          }
        }
        return this.unit >= 0;
      },

      /* The rings of one unit as LatLngs (for an outline of the hovered unit). */
      latLngsOf: function (unit) {
        var units = this._units, rings = ringRange(units, unit), out = [];
        for (var r = rings[0]; r < rings[1]; r += 1) {
          var ring = [];
          for (var i = ringStart(units, r); i < units.ringEnd[r]; i += 1) {
            ring.push(L.latLng(units.lat[i], units.lon[i]));
          }
          out.push(ring);
        }
        return out;
      },

      propertiesOf: function (unit) { return this._units.properties[unit]; },

      getBounds: function () {
        var units = this._units, bounds = L.latLngBounds([]);
        for (var i = 0; i < units.lon.length; i += 1) { bounds.extend([units.lat[i], units.lon[i]]); }
        return bounds;
      }
    });
  }

  /* A layer of `geometries` (objects of `topology`) drawn with one Path style, on a canvas. */
  window.maisonQuietUnits = function (map, topology, geometries, style) {
    QuietUnits = QuietUnits || defineLayer();
    var options = L.extend({}, style);
    if (!map.options.preferCanvas) { options.renderer = L.canvas(); }
    return new QuietUnits(decode(topology, geometries), options);
  };
})();
