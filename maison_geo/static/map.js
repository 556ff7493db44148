/* Map furniture shared by every map: a metric scale, the attribution without a flag, a full-screen
   control, and commune labels that never overlap (decluttered on every move, zoom and resize). */
(function () {
  "use strict";

  window.maisonFurniture = function (map, config) {
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" rel="noreferrer">Leaflet</a>');
    (config.attribution || []).forEach(function (text) { map.attributionControl.addAttribution(text); });
    L.control.scale({ metric: true, imperial: false }).addTo(map);
    if (config.texts && document.fullscreenEnabled && !config.locator) { fullscreenControl(map, config.texts).addTo(map); }
  };

  function fullscreenControl(map, texts) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "leaflet-bar leaflet-control-fullscreen");
      var button = L.DomUtil.create("a", "", box);
      button.href = "#";
      button.setAttribute("role", "button");
      button.title = texts.fullscreen;
      button.setAttribute("aria-label", texts.fullscreen);
      button.innerHTML = '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" style="vertical-align:middle">' +
        '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#1d2b36" stroke-width="2"/></svg>';
      L.DomEvent.on(button, "click", function (event) {
        L.DomEvent.preventDefault(event);
        var wrap = map.getContainer().closest(".map-wrap") || map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); } else { wrap.requestFullscreen(); }
      });
      L.DomEvent.disableClickPropagation(box);
      document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
      return box;
    };
    return control;
  }

  var SHIFTS = [[0, 0], [0, -12], [0, 12], [16, 0], [-16, 0]];

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* labels: [{code, label, lat, lon, priority}] biggest first. A label that would touch one already
     shown tries a few shifts, then is hidden until the view leaves room for it. */
  window.maisonLabels = function (map, labels, className, textOf) {
    var items = labels.slice().sort(function (a, b) { return (b.priority || 0) - (a.priority || 0); })
      .map(function (label) {
        var span = document.createElement("span");
        var marker = L.marker([label.lat, label.lon], { interactive: false, keyboard: false,
          icon: L.divIcon({ className: ["unit-label", className, label.cls].filter(Boolean).join(" "),
                            html: span, iconSize: null }) });
        return { label: label, span: span, marker: marker };
      });
    var group = L.layerGroup(items.map(function (item) { return item.marker; })).addTo(map);
    var api = { group: group, items: items };
    api.setText = function (fn) {
      items.forEach(function (item) {
        var text = (fn || textOf || function (l) { return l.label || l.name; })(item.label);
        item.span.textContent = "";
        String(text).split("\n").forEach(function (line, i) {
          if (i) { item.span.appendChild(document.createElement("br")); }
          item.span.appendChild(document.createTextNode(line));
        });
      });
      api.declutter();
    };
    /* The hovered commune's label goes first while hovered, so its name always shows. */
    api.promote = function (code, on) {
      items.forEach(function (item) { item.first = on && item.label.code === code; });
      items.sort(function (a, b) {
        return (b.first ? 1 : 0) - (a.first ? 1 : 0) || (b.label.priority || 0) - (a.label.priority || 0);
      });
      api.declutter();
    };
    api.declutter = function () {
      var frame = map.getContainer().getBoundingClientRect();
      // the controls (zoom, search, banner, scale, attribution) count as placed: no label hides under one
      var placed = Array.prototype.map.call(map.getContainer().querySelectorAll(".leaflet-control"), function (c) {
        return c.getBoundingClientRect();
      }).filter(function (r) { return r.width && r.height; });
      var controls = placed.length;
      items.forEach(function (item) {
        var span = item.span, shown = false;
        span.classList.remove("label-hidden");
        for (var i = 0; i < SHIFTS.length && !shown; i += 1) {
          span.style.marginLeft = SHIFTS[i][0] + "px";
          span.style.marginTop = SHIFTS[i][1] + "px";
          var r = span.getBoundingClientRect();
          var box = { left: r.left - 2, right: r.right + 2, top: r.top - 1, bottom: r.bottom + 1 };
          var inside = r.left >= frame.left && r.right <= frame.right && r.top >= frame.top && r.bottom <= frame.bottom;
          if (inside && !placed.some(function (other) { return overlaps(box, other); })) {
            placed.push(box);
            shown = true;
          }
        }
        if (!shown) { span.classList.add("label-hidden"); }
      });
      api.shown = placed.length - controls;
    };
    map.on("zoomend moveend resize", api.declutter);
    api.setText();
    return api;
  };
})();

/* maison-geo: draws a choropleth from cached unit geometry (GeoJSON; for many units a TopoJSON overview
   first) and a small per-unit style table. */
(function () {
  "use strict";

  function isPicker(config) { return Array.isArray(config.picked); }

  function isLocator(config) { return config.locator !== null && config.locator !== undefined; }

  function openProfile(config, code) {
    window.location.href = config.profile.replace("{code}", encodeURIComponent(code));
  }

  // map.css draws the server's first view (.first-view) in these same styles: change both together
  function baseStyle(config, feature) {
    var code = feature.properties.code;
    var band = config.classOf[code];
    if (isPicker(config)) {
      var on = config.picked.indexOf(code) >= 0;
      return { color: "#5b6770", weight: on ? 2.2 : 0.8, fillColor: on ? "#d95f0e" : "#e7e3da",
               fillOpacity: on ? 0.85 : 0.8 };
    }
    if (isLocator(config)) {
      var here = code === config.locator;
      return { color: "#5b6770", weight: here ? 2 : 0.8, fillColor: here ? "#d95f0e" : "#e7e3da",
               fillOpacity: here ? 0.9 : 0.8 };
    }
    if (band === undefined) {
      return { color: "#8a8a8a", weight: 0.8, fillColor: config.noDataFill || config.noData, fillOpacity: 0.7 };
    }
    return { color: "#ffffff", weight: 1.2, fillColor: config.palette[band], fillOpacity: 0.88,
             dashArray: config.dashedSet[code] ? "4 3" : null };
  }

  /* No data is hatched, as in the legend, so it is never taken for the palette's lightest class under
     any colour vision. SVG maps only: a canvas cannot fill with an SVG pattern (it keeps the grey). */
  function hatch(map, color) {
    if (map.options.preferCanvas) { return color; }
    var id = "maison-no-data-" + color.replace("#", "");
    if (!document.getElementById(id)) {
      var ns = "http://www.w3.org/2000/svg";
      var svg = document.createElementNS(ns, "svg");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("width", "0");
      svg.setAttribute("height", "0");
      svg.style.position = "absolute";
      svg.innerHTML = '<defs><pattern id="' + id + '" patternUnits="userSpaceOnUse" width="6" height="6" ' +
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="' + color + '"></rect>' +
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#5a5a5a" stroke-width="1.3"></line></pattern></defs>';
      document.body.appendChild(svg);
    }
    return "url(#" + id + ")";
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }
  window.maisonGetJSON = getJSON;
  /* {ok, body}: an error's JSON body is an answer too (the name matcher's suggestions). */
  window.maisonGetJSONLoose = function (url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    });
  };

  function noDataTooltip(config, feature) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    var type = config.unitTypes && config.unitTypes[feature.properties.unit_type];
    name.textContent = feature.properties.name;
    box.appendChild(name);
    if (type) { box.appendChild(document.createTextNode(" (" + type + ")")); }
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(isPicker(config) ? config.pickText : config.noDataText));
    return box;
  }

  /* Compare page: the map and the form's checkboxes tick the same communes. */
  function bindPicker(state, config) {
    function checkboxOf(code) {
      return Array.prototype.find.call(document.querySelectorAll("input[name=codes]"),
                                       function (box) { return box.value === code; });
    }
    function mark(code, on) {
      var at = config.picked.indexOf(code);
      if (on && at < 0) { config.picked.push(code); }
      if (!on && at >= 0) { config.picked.splice(at, 1); }
      if (state.byCode[code]) { state.layer.resetStyle(state.byCode[code]); }
    }
    state.pick = function (code) {
      var box = checkboxOf(code);
      if (box) { box.checked = !box.checked; mark(code, box.checked); }
    };
    document.querySelectorAll("input[name=codes]").forEach(function (box) {
      box.addEventListener("change", function () { mark(box.value, box.checked); });
    });
  }

  /* Many units: the overview (a grid step of about a pixel at the first zoom) until the map is
     zoomed in; then, per view, the units in and around it on a grid as fine as the new zoom needs. */
  function followZoom(map, config, state, overview, unitLayer, show) {
    var fitZoom = map.getZoom();
    var fitGrid = overview.grid;
    var asked = 0;
    var covered = null;
    function update() {
      var steps = map.getZoom() - fitZoom;
      if (steps < 1) {
        asked += 1;
        covered = null;
        show(overview);
        return;
      }
      var grid = fitGrid / Math.pow(2, steps);
      if (covered && covered.grid <= grid && covered.box.contains(map.getBounds())) { return; }
      var box = map.getBounds().pad(0.25);
      var ticket = ++asked;
      var bbox = [box.getWest(), box.getSouth(), box.getEast(), box.getNorth()]
        .map(function (n) { return n.toFixed(4); }).join(",");
      getJSON(config.overview + "&bbox=" + bbox + "&grid=" + Math.max(grid, 1e-5).toPrecision(3))
        .then(function (topology) {
          if (ticket !== asked) { return; }  // the view changed again meanwhile
          covered = { box: box, grid: grid };
          var data = topojson.feature(topology, topology.objects.units);
          show(unitLayer(data));
          state.detail = data.features.length;
          document.dispatchEvent(new CustomEvent("maison:detail", { detail: { drawn: state.detail } }));
        });
    }
    map.on("moveend", update);
  }

  /* Resolves once the frame now being prepared has been painted (the next one has begun; at once in a
     hidden page, which has no frames) and the whole page is parsed: the map's script may run before
     the end of the page. */
  function afterPaint() {
    return new Promise(function (resolve) {
      if (document.hidden) { resolve(); return; }
      requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(resolve, 0); }); });
    }).then(function () {
      if (document.readyState !== "loading") { return null; }
      return new Promise(function (resolve) { document.addEventListener("DOMContentLoaded", resolve, { once: true }); });
    });
  }

  window.maisonChoropleth = function (map, config) {
    var state = { map: map, layer: null, byCode: {}, drawn: 0, ready: false };
    map.options.zoomSnap = config.zoomSnap;  // a first view in SVG is fitted unsnapped: so was the map
    config.noDataFill = hatch(map, config.noData);
    config.dashedSet = {};
    (config.dashed || []).forEach(function (code) { config.dashedSet[code] = true; });
    window.maisonMap = state;
    window.maisonMaps = (window.maisonMaps || []).concat([state]);
    map.options.maisonHome = config.bounds ? L.latLngBounds(config.bounds) : map.getBounds();
    window.maisonFurniture(map, config);
    if (config.banner) {
      var banner = L.control({ position: "topright" });
      banner.onAdd = function () {
        var div = L.DomUtil.create("div", "map-banner illustrative");
        div.textContent = config.banner;
        return div;
      };
      banner.addTo(map);
    }
    state.highlight = function (code, on) {
      var layer = state.byCode[code];
      if (!layer) { return; }
      if (on) {
        layer.setStyle({ weight: 3.5, color: "#111111" });
        if (layer.bringToFront) { layer.bringToFront(); }
      } else {
        state.layer.resetStyle(layer);
      }
    };

    /* A click opens the profile; on a touch screen (no hover) the first tap shows the value card and
       a second tap on the same commune opens the profile. */
    var tapped = null;
    state.select = function (code, layer, latlng) {
      if (isPicker(config)) { state.pick(code); return; }
      if (!config.profile) { return; }
      var touch = window.matchMedia && window.matchMedia("(hover: none)").matches;
      if (touch && tapped !== code) {
        tapped = code;
        state.showCard(code, latlng);
        return;
      }
      openProfile(config, code);
    };
    function contentOf(code) {
      var box = document.createElement("div");
      if (config.tooltips[code]) { box.innerHTML = config.tooltips[code]; return box; }
      box.appendChild(noDataTooltip(config, state.byCode[code].feature));
      return box;
    }
    function classText(code) {
      var band = config.classOf[code];
      var entry = band === undefined ? null : document.querySelector('.legend-classes li.class[data-color="' + config.palette[band] + '"] .range');
      return entry ? ((config.texts || {}).classWord || "Class") + ": " + entry.textContent.trim() : "";
    }
    /* The value card: the hover text (or the name and "no data"), the class, and a link to the profile
       (a popup: it can be tapped). */
    state.showCard = function (code, latlng) {
      var sub = state.byCode[code];
      if (!sub) { return; }
      tapped = code;
      var card = contentOf(code);
      card.className = "value-card";
      var extra = classText(code);
      state.card = window.maisonCard(state, code, card, extra, config.profile, config.texts, latlng);
      return card;
    };
    /* What a screen reader hears for a commune reached by the keyboard. */
    state.describe = function (code) {
      var words = [window.maisonPlainText(contentOf(code)), classText(code)];
      if (isPicker(config)) {
        var texts = config.texts || {};
        words = [state.byCode[code].feature.properties.name,
                 config.picked.indexOf(code) >= 0 ? texts.picked : texts.notPicked];
      }
      return words.filter(Boolean).join(". ");
    };
    /* Enter: a picker ticks or unticks the commune; a map shows its card, then opens its profile. */
    state.enter = function (code) {
      if (isPicker(config)) { state.pick(code); return state.describe(code); }
      if (state.card && state.card.isOpen() && state.cardCode === code && config.profile) { openProfile(config, code); } else {
        state.showCard(code);
      }
    };

    function unitLayer(data) {
      var byCode = {};
      var layer = L.geoJSON(data, {
        style: function (feature) { return baseStyle(config, feature); },
        onEachFeature: function (feature, sub) { byCode[feature.properties.code] = sub; }
      });
      // one tooltip and one set of handlers for the whole layer: 11,163 units need no 44,000 bindings
      if (!isLocator(config)) {
        layer.bindTooltip(function (sub) {
          var code = sub.feature.properties.code;
          return config.tooltips[code] || noDataTooltip(config, sub.feature);
        }, { sticky: true, className: "unit-tooltip" });
      }
      function codeOf(event) { return event.layer.feature.properties.code; }
      function hover(on) {
        return function (event) {
          var code = codeOf(event);
          state.highlight(code, on);
          if (state.labels) { state.labels.promote(code, on); }
          document.dispatchEvent(new CustomEvent("maison:hover", { detail: { code: code, on: on } }));
        };
      }
      layer.on("mouseover", hover(true));
      layer.on("mouseout", hover(false));
      layer.on("click", function (event) { state.select(codeOf(event), event.layer, event.latlng); });
      return { layer: layer, byCode: byCode, count: data.features.length };
    }

    function show(entry) {
      if (state.shown && state.shown !== entry) { map.removeLayer(state.shown.group || state.shown.layer); }
      state.shown = entry;
      state.layer = entry.layer;
      state.byCode = entry.byCode;
      if (!map.hasLayer(entry.group || entry.layer)) { (entry.group || entry.layer).addTo(map); }
    }

    /* The overview: units with a value as layers of their own; the thousands without one as a single
       canvas layer (quiet-units.js), hovered and clicked through its lookup. (A locator never starts
       from the overview: among many units it shows only the unit's neighbourhood.) */
    function overviewLayer(topology) {
      var valued = [], quiet = [];
      topology.objects.units.geometries.forEach(function (g) {
        (config.classOf[g.properties.code] === undefined ? quiet : valued).push(g);
      });
      var entry = unitLayer(topojson.feature(topology, { type: "GeometryCollection", geometries: valued }));
      entry.group = L.featureGroup([entry.layer, quietLayer(topology, quiet)]);
      entry.count = valued.length + quiet.length;
      entry.grid = topology.transform.scale[0];
      return entry;
    }

    function quietLayer(topology, geometries) {
      var layer = window.maisonQuietUnits(map, topology, geometries, baseStyle(config, { properties: {} }));
      var marked = null;
      var tip = L.tooltip({ sticky: true, className: "unit-tooltip" });
      function unmark() {
        if (marked) { map.removeLayer(marked.outline); marked = null; }
        map.closeTooltip(tip);
      }
      layer.on("mousemove", function (event) {
        var unit = layer.unit;
        if (unit < 0) { unmark(); return; }
        if (!marked || marked.unit !== unit) {
          unmark();
          marked = { unit: unit, outline: L.polygon(layer.latLngsOf(unit), { interactive: false,
            weight: 3.5, color: "#111111", fill: false }).addTo(map) };
        }
        var box = noDataTooltip(config, { properties: layer.propertiesOf(unit) });
        if (layer.alsoHere) {
          var more = document.createElement("small");
          more.textContent = config.moreHere.replace("{n}", layer.alsoHere);
          box.appendChild(document.createElement("br"));
          box.appendChild(more);
        }
        tip.setContent(box).setLatLng(event.latlng);
        if (!map.hasLayer(tip)) { map.openTooltip(tip); }
      });
      layer.on("mouseout", unmark);
      if (config.profile) {
        layer.on("click", function () {
          if (layer.unit >= 0) { openProfile(config, layer.propertiesOf(layer.unit).code); }
        });
      }
      return layer;
    }

    /* Counts: a circle per commune, its area proportional to the value, largest drawn first. */
    function circleLayer(entry) {
      var sizes = config.circles || {};
      var codes = Object.keys(sizes).sort(function (a, b) { return sizes[b] - sizes[a]; });
      if (!codes.length) { return null; }
      var at = {};
      (config.labels || []).forEach(function (label) { at[label.code] = [label.lat, label.lon]; });
      var group = L.featureGroup(codes.filter(function (code) { return entry.byCode[code]; }).map(function (code) {
        var circle = L.circleMarker(at[code] || entry.byCode[code].getBounds().getCenter(), {
          radius: sizes[code], color: "#ffffff", weight: 1, fillColor: config.circleFill, fillOpacity: 0.75,
          dashArray: config.dashedSet[code] ? "3 2" : null, className: "value-circle" });
        circle.code = code;
        if (config.tooltips[code]) { circle.bindTooltip(config.tooltips[code], { sticky: true, className: "unit-tooltip" }); }
        circle.on("click", function (event) { state.select(code, circle, event.latlng); });
        return circle;
      }));
      return group.addTo(map);
    }

    var inline = config.inline || {};
    var fetched = function (url) { return inline[url] ? Promise.resolve(inline[url]) : getJSON(url); };
    var units = fetched(config.overview || config.geojson);
    Promise.all([units, config.outline ? fetched(config.outline) : null])
      .then(function (data) {
        var first = config.overview ? overviewLayer(data[0]) : unitLayer(data[0]);
        show(first);
        state.drawn = first.count;
        if (config.overview) { followZoom(map, config, state, first, unitLayer, show); }
        if (isPicker(config)) { bindPicker(state, config); }
        if (data[1]) {
          L.geoJSON(data[1], { interactive: false,
            style: { color: "#1d2b36", weight: 2.6, fill: false } }).addTo(map);
        }
        state.circles = circleLayer(first);
        var early = map.getContainer().querySelector(".first-view");
        if (early) { early.parentNode.removeChild(early); }
        document.dispatchEvent(new CustomEvent("maison:map-drawn", { detail: { drawn: state.drawn } }));
        return afterPaint();
      })
      .then(function () {
        // what is not the polygons waits for their first paint: labels, search, legend, keyboard
        if ((config.labels || []).length) { state.labels = window.maisonLabels(map, config.labels); }
        if (!isLocator(config) && !isPicker(config)) { window.maisonControls(map, config, state); }
        if (!isLocator(config)) { window.maisonKeyboard(map, config, state); }
      })
      .then(function () {
        state.ready = true;
        document.dispatchEvent(new CustomEvent("maison:map-ready", { detail: { drawn: state.drawn } }));
      })
      .catch(function (error) {
        var note = document.getElementById("map-error");
        if (note) { note.hidden = false; note.textContent += " " + error; }
      });
  };
})();

/* The main map's controls: find a commune, values on labels, a legend class that lights its communes,
   the view kept in the address, and a print that fits the page. */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  window.maisonControls = function (map, config, state) {
    // search and the values toggle on the main map only: small side-by-side maps would be covered by them
    if (config.match && config.keepView) { searchControl(map, config, state).addTo(map); }
    if (config.keepView && state.labels && Object.keys(config.values || {}).length) { valuesControl(config, state).addTo(map); }
    bindLegend(config, state);
    if (config.keepView) { keepView(map); }
    fitOnPrint(map);
  };

  function zoomTo(map, state, code) {
    var layer = state.byCode[code];
    if (!layer) { return; }
    if (state.found) { state.highlight(state.found, false); }
    map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [30, 30] });
    state.found = code;
    state.highlight(code, true);
    if (layer.openTooltip) { layer.openTooltip(layer.getCenter()); }
  }

  function searchControl(map, config, state) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var form = el("form", "leaflet-bar map-search");
      form.setAttribute("role", "search");
      var input = el("input");
      input.type = "search";
      input.placeholder = config.texts.search;
      input.setAttribute("aria-label", config.texts.search);
      var button = el("button", "", config.texts.searchButton);
      button.type = "submit";
      var note = el("div", "map-search-note");
      note.setAttribute("aria-live", "polite");
      form.appendChild(input);
      form.appendChild(button);
      form.appendChild(note);
      function find(text) {
        note.textContent = "";
        window.maisonGetJSONLoose(config.match + "&q=" + encodeURIComponent(text)).then(function (answer) {
          if (answer.ok) { zoomTo(map, state, answer.body.code); return; }
          var options = answer.body.candidates || (answer.body.suggestions || []).map(function (name) { return { name: name }; });
          note.appendChild(el("span", "", config.texts.notFound + " "));
          options.forEach(function (option) {
            var pick = el("button", "map-search-option", option.name);
            pick.type = "button";
            pick.addEventListener("click", function () {
              if (option.code) { note.textContent = ""; zoomTo(map, state, option.code); } else { input.value = option.name; find(option.name); }
            });
            note.appendChild(pick);
          });
        });
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        if (input.value.trim()) { find(input.value.trim()); }
      });
      L.DomEvent.disableClickPropagation(form);
      L.DomEvent.disableScrollPropagation(form);
      return form;
    };
    return control;
  }

  function valuesControl(config, state) {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var label = el("label", "leaflet-bar label-toggle");
      var box = el("input");
      box.type = "checkbox";
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + config.texts.valuesOnLabels));
      box.addEventListener("change", function () {
        state.labels.setText(function (l) {
          var value = config.values[l.code];
          return box.checked && value ? (l.label || l.name) + "\n" + value : (l.label || l.name);
        });
      });
      L.DomEvent.disableClickPropagation(label);
      return label;
    };
    return control;
  }

  /* Clicking a legend class lights its communes and fades the others; again, or another class, resets. */
  function bindLegend(config, state) {
    var entries = document.querySelectorAll("#legend li.class[data-color], .legend-key li.class[data-color]");
    var lit = null;
    function paint(color) {
      Object.keys(state.byCode).forEach(function (code) {
        var layer = state.byCode[code];
        state.layer.resetStyle(layer);
        if (color === null) { return; }
        var band = config.classOf[code];
        if (band !== undefined && config.palette[band] === color) {
          layer.setStyle({ weight: 3, color: "#111111" });
          if (layer.bringToFront) { layer.bringToFront(); }
        } else {
          layer.setStyle({ fillOpacity: 0.15, opacity: 0.4 });
        }
      });
    }
    entries.forEach(function (entry) {
      function toggle() {
        var color = entry.getAttribute("data-color");
        lit = lit === color ? null : color;
        entries.forEach(function (other) {
          other.querySelector("button").setAttribute("aria-pressed", String(lit === other.getAttribute("data-color")));
        });
        paint(lit);
      }
      entry.querySelector("button").addEventListener("click", toggle);  // a real button: Enter and Space too
    });
  }

  /* #map=zoom/lat/lon: a link shows what the sender saw. */
  function keepView(map) {
    var found = /^#map=([\d.]+)\/(-?[\d.]+)\/(-?[\d.]+)$/.exec(window.location.hash);
    if (found) { map.setView([+found[2], +found[3]], +found[1], { animate: false }); }
    function key() {
      var c = map.getCenter();
      return "#map=" + map.getZoom() + "/" + c.lat.toFixed(5) + "/" + c.lng.toFixed(5);
    }
    var written = found ? window.location.hash : key();  // the page's own first view needs no hash
    map.on("moveend", function () {
      if (key() === written) { return; }
      written = key();
      history.replaceState(null, "", written);
    });
  }

  function fitOnPrint(map) {
    var before = null;
    function enter() {
      if (before) { return; }
      before = { center: map.getCenter(), zoom: map.getZoom() };
      // the printed size (site.css @media print), set before the page is laid out for paper
      var wrap = map.getContainer().closest(".map-wrap");
      if (wrap) { wrap.style.width = "205mm"; wrap.style.height = "160mm"; }
      map.invalidateSize({ animate: false });
      map.fitBounds(map.options.maisonHome || map.getBounds(), { animate: false, padding: [8, 8] });
    }
    function leave() {
      if (!before) { return; }
      var wrap = map.getContainer().closest(".map-wrap");
      if (wrap) { wrap.style.width = ""; wrap.style.height = ""; }
      map.invalidateSize({ animate: false });
      map.setView(before.center, before.zoom, { animate: false });
      before = null;
    }
    window.addEventListener("beforeprint", enter);
    window.addEventListener("afterprint", leave);
    var media = window.matchMedia && window.matchMedia("print");
    if (media && media.addEventListener) {
      media.addEventListener("change", function (event) { if (event.matches) { enter(); } else { leave(); } });
    }
  }
})();

/* Two eras together: the 8 communes of 2025 filled, the 22 former communes outlined, patches hatched. */
(function () {
  "use strict";
  var getJSON = window.maisonGetJSON;
  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }
  function tooltipOf(feature) {
    return "<strong>" + escapeText(feature.properties.full_name) + "</strong> (2025)";
  }
  /* The 8 communes of 2025 by the keyboard, as on every map: a card with the name, then the profile. */
  function keyboard(map, config, state, layer, byCode) {
    state.byCode = byCode;
    state.highlight = function (code, on) {
      if (on) { byCode[code].setStyle({ weight: 5, color: "#111111" }); } else { layer.resetStyle(byCode[code]); }
    };
    function card(code) {
      var box = document.createElement("div");
      box.className = "value-card";
      box.innerHTML = tooltipOf(byCode[code].feature);
      return box;
    }
    state.describe = function (code) { return window.maisonPlainText(card(code)); };
    state.enter = function (code) {
      if (state.card && state.card.isOpen() && state.cardCode === code && config.profile) {
        window.location.href = config.profile.replace("{code}", encodeURIComponent(code));
        return;
      }
      state.card = window.maisonCard(state, code, card(code), "", config.profile, config.texts);
    };
    window.maisonKeyboard(map, config, state);
  }

  window.maisonEras = function (map, config) {
    var state = { map: map, ready: false, drawn: 0 };
    window.maisonMap = state;
    window.maisonMaps = (window.maisonMaps || []).concat([state]);
    window.maisonFurniture(map, config);
    Promise.all([getJSON(config.new), getJSON(config.old), getJSON(config.patches)]).then(function (data) {
      var byCode = {};
      var fresh = L.geoJSON(data[0], {
        style: function (f) {
          return { color: "#1d2b36", weight: 3, fillColor: config.colors[f.properties.code] || "#ddd", fillOpacity: 0.75 };
        },
        onEachFeature: function (f, layer) {
          byCode[f.properties.code] = layer;
          layer.bindTooltip(tooltipOf(f), { sticky: true });
        }
      }).addTo(map);
      keyboard(map, config, state, fresh, byCode);
      var former = L.geoJSON(data[1], {
        style: { color: "#3e4c59", weight: 1, dashArray: "4 3", fill: false },
        interactive: false
      }).addTo(map);
      var patches = L.geoJSON(data[2], {
        style: { color: "#b30000", weight: 2, fillColor: "#e34a33", fillOpacity: 0.55 },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindTooltip(escapeText(p.label), { sticky: true });
        }
      }).addTo(map);
      // the 8 communes of 2025 first: they are what the map is about; the former names where room is left
      var both = (config.newLabels || []).map(function (l) { return Object.assign({}, l, { priority: 1e9 + l.priority }); })
        .concat((config.labels || []).map(function (l) { return Object.assign({}, l, { cls: "former" }); }));
      state.labels = window.maisonLabels(map, both);
      state.layers = { fresh: fresh, former: former, patches: patches };
      state.drawn = data[0].features.length + data[1].features.length + data[2].features.length;
      state.ready = true;
      document.dispatchEvent(new CustomEvent("maison:map-ready", { detail: { drawn: state.drawn } }));
    }).catch(function (error) {
      var note = document.getElementById("map-error");
      if (note) { note.hidden = false; note.textContent += " " + error; }
    });
  };
})();

/* Split view: every map follows the one being moved. */
window.maisonSync = function () {
  "use strict";
  var states = window.maisonMaps || [];
  var moving = false;
  states.forEach(function (source) {
    source.map.on("move", function () {
      if (moving) { return; }
      moving = true;
      states.forEach(function (other) {
        if (other !== source) { other.map.setView(source.map.getCenter(), source.map.getZoom(), { animate: false }); }
      });
      moving = false;
    });
  });
};

/* The map without a mouse: with the map focused, the arrow keys go from commune to commune, west to
   east (Home, End: the first, the last), every commune, with a value or not; each is outlined and
   announced in a live region (state.describe). Enter does the map's action (state.enter: its value card,
   then its profile; on a picker, tick or untick), Escape closes the card. Any map whose state has
   byCode, highlight, describe and enter can use it. */
(function () {
  "use strict";

  /* The text a screen reader should hear for a tooltip or card: line breaks read as pauses. */
  window.maisonPlainText = function (node) {
    var copy = node.cloneNode(true);
    copy.querySelectorAll("br").forEach(function (br) { br.replaceWith(". "); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  };

  /* A value card in a popup: the content, an extra line (the class), a link to the profile. */
  window.maisonCard = function (state, code, card, extra, profile, texts, latlng) {
    texts = texts || {};
    if (extra) {
      card.appendChild(document.createElement("br"));
      card.appendChild(document.createTextNode(extra));
    }
    if (profile) {
      var link = document.createElement("a");
      link.href = profile.replace("{code}", encodeURIComponent(code));
      link.textContent = texts.openProfile || "Profile";
      card.appendChild(document.createElement("br"));
      card.appendChild(link);
      var hint = document.createElement("small");
      hint.className = "card-hint";
      hint.textContent = texts.again || "";
      card.appendChild(document.createElement("br"));
      card.appendChild(hint);
    }
    state.cardCode = code;
    return L.popup({ className: "unit-card", autoPan: true, maxWidth: 280, closeButton: false })
      .setLatLng(latlng || state.byCode[code].getBounds().getCenter()).setContent(card).openOn(state.map);
  };

  window.maisonKeyboard = function (map, config, state) {
    var box = map.getContainer(), texts = config.texts || {};
    var live = document.createElement("div");
    live.className = "visually-hidden map-live";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    box.parentNode.insertBefore(live, box.nextSibling);
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    // several maps on a page (split): each named by its panel's heading, so each region is told apart
    var panel = box.closest(".split-panel, figure");
    var heading = panel && panel.querySelector("h2, h3, figcaption");
    var keys = Array.isArray(config.picked) ? texts.pickKeys : texts.mapKeys;
    box.setAttribute("aria-label", (heading ? heading.textContent.trim() + ". " : "") + (keys || "Map"));
    if (document.getElementById("values-caption")) { box.setAttribute("aria-describedby", "values-caption"); }
    var at = -1, current = null;

    function order() {
      var centre = {};
      var codes = Object.keys(state.byCode || {});
      codes.forEach(function (code) { centre[code] = state.byCode[code].getBounds().getCenter(); });
      return codes.sort(function (a, b) { return centre[a].lng - centre[b].lng || centre[b].lat - centre[a].lat; });
    }
    function go(index) {
      var codes = order();
      if (!codes.length) { return; }
      at = (index + codes.length) % codes.length;
      if (current) {
        state.highlight(current, false);
        document.dispatchEvent(new CustomEvent("maison:hover", { detail: { code: current, on: false } }));
      }
      current = codes[at];
      state.highlight(current, true);
      if (state.labels) { state.labels.promote(current, true); }
      state.focused = current;
      document.dispatchEvent(new CustomEvent("maison:hover", { detail: { code: current, on: true } }));
      live.textContent = state.describe(current);
    }
    // in the capture phase, before Leaflet's own arrow-key panning
    box.parentNode.addEventListener("keydown", function (event) {
      if (event.target !== box) { return; }
      var moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      if (moves[event.key] !== undefined) {
        go(at < 0 && moves[event.key] < 0 ? -1 : at + moves[event.key]);
      } else if (event.key === "Home" || event.key === "End") {
        go(event.key === "Home" ? 0 : -1);
      } else if (event.key === "Enter" && current) {
        var said = state.enter(current);
        if (said) { live.textContent = said; }
      } else if (event.key === "Escape" && state.card) {
        map.closePopup(state.card);
        state.cardCode = null;
      } else {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
    }, true);
    box.addEventListener("blur", function () {
      if (current) { state.highlight(current, false); }
    });
  };
})();
