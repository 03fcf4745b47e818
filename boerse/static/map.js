/* The map of opportunities: an enhancement of the list, never a replacement.
 *
 * The server renders the map's section `hidden`, with its markers as JSON in
 * `data-markers` (the same words as the list's entries: title, organisation, place, next
 * date) and the tile server in `data-tiles`. Only here, with Leaflet loaded, is the section
 * shown: without JavaScript nothing appears and the list stays complete.
 *
 * Each marker is a link to the offer whose text is the list entry's text, so keyboard and
 * screen reader users reach it by Tab and hear what the list says; sighted users see the
 * text beside the pin on hover and focus (map.css). Offers at the same place (postcodes give
 * one point per area) get pins set apart in a small ring, in pixels, so none hides another
 * at any zoom. No inline style or markup from strings: text goes in as textContent. */
(function () {
  "use strict";

  var PIN = 28; // px, the pin's box (a target of at least 24 × 24 px)

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function markerLink(marker) {
    var link = element("a", "offer-map__marker");
    link.href = marker.url;
    link.appendChild(element("span", "offer-map__pin")).setAttribute("aria-hidden", "true");
    var label = link.appendChild(element("span", "offer-map__label"));
    label.appendChild(element("strong", "", marker.title));
    marker.lines.forEach(function (line) {
      label.appendChild(element("span", "offer-map__line", line[0] + ": " + line[1]));
    });
    return link;
  }

  /* Pixel offsets for the markers sharing one position: a ring around the point. */
  function ringOffsets(count) {
    if (count < 2) return [[0, 0]];
    var radius = 8 + 3 * count;
    var offsets = [];
    for (var i = 0; i < count; i++) {
      var angle = (2 * Math.PI * i) / count - Math.PI / 2;
      offsets.push([Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))]);
    }
    return offsets;
  }

  function show(section) {
    var markers = JSON.parse(section.dataset.markers || "[]");
    if (!markers.length || !window.L) return;
    var canvas = section.querySelector(".offer-map__canvas");
    section.hidden = false;
    var maxZoom = parseInt(section.dataset.maxZoom, 10) || 18;
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var map = L.map(canvas, {
      zoomControl: false,
      attributionControl: false, // the attribution is the section's caption, as text
      scrollWheelZoom: false, // scrolling the page must not get caught in the map
      maxZoom: maxZoom,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
    });
    L.control
      .zoom({ zoomInTitle: section.dataset.zoomIn, zoomOutTitle: section.dataset.zoomOut })
      .addTo(map);
    L.tileLayer(section.dataset.tiles, {
      maxZoom: maxZoom,
      referrerPolicy: "no-referrer",
    }).addTo(map);

    var byPlace = {};
    markers.forEach(function (marker) {
      var key = marker.lat + "," + marker.lon;
      (byPlace[key] = byPlace[key] || []).push(marker);
    });
    // The view first: Leaflet adds a marker's element only once the map has one.
    var bounds = markers.map(function (marker) {
      return [marker.lat, marker.lon];
    });
    map.fitBounds(bounds, { padding: [48, 48], maxZoom: Math.min(15, maxZoom) });
    markers.forEach(function (marker) {
      var group = byPlace[marker.lat + "," + marker.lon];
      var offset = ringOffsets(group.length)[group.indexOf(marker)];
      var icon = L.divIcon({
        html: markerLink(marker),
        className: "offer-map__icon",
        iconSize: [PIN, PIN],
        iconAnchor: [PIN / 2 - offset[0], PIN - offset[1]],
      });
      // keyboard: false, since the link inside is the focusable element (a second tab stop
      // with role=button would announce nothing).
      var pin = L.marker([marker.lat, marker.lon], { icon: icon, keyboard: false }).addTo(map);
      // A pin reached by Tab while outside the shown area is brought into view, so that the
      // keyboard focus is never hidden.
      pin.getElement().addEventListener("focusin", function () {
        if (!map.getBounds().contains(pin.getLatLng())) {
          map.panTo(pin.getLatLng(), { animate: !still });
        }
      });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-offer-map]"), show);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
