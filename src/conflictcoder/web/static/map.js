// The dashboard's front page: filters kept in the URL drive the map, the timeline and the event list.
"use strict";

const FILTERS = ["date_from", "date_to", "country", "admin1", "event_type", "sub_event_type", "actor",
  "claimant", "disputed"];
const form = document.getElementById("filters");

function filtersFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const out = new URLSearchParams();
  for (const k of FILTERS) if (params.get(k)) out.set(k, params.get(k));
  return out;
}

function fillForm(params) {
  for (const k of FILTERS) {
    const input = form.elements[k];
    if (input.type === "checkbox") input.checked = params.get(k) === "true";
    else input.value = params.get(k) || "";
  }
  fillSubTypes();
  form.elements.sub_event_type.value = params.get("sub_event_type") || "";
}

function formParams() {
  const out = new URLSearchParams();
  for (const k of FILTERS) {
    const input = form.elements[k];
    if (input.type === "checkbox") {
      if (input.checked) out.set(k, "true");
    } else if (input.value.trim()) out.set(k, input.value.trim());
  }
  return out;
}

function fillSubTypes() {
  const select = form.elements.sub_event_type;
  const type = form.elements.event_type.value;
  const subs = type ? SUB_EVENT_TYPES[type] : Object.values(SUB_EVENT_TYPES).flat();
  select.replaceChildren(el("option", { value: "" }, "any"), ...subs.map((s) => el("option", { value: s }, s)));
}

for (const t of EVENT_TYPES) form.elements.event_type.appendChild(el("option", { value: t }, t));
document.getElementById("legend").replaceChildren(...EVENT_TYPES.map((t) => el("span", { class: typeClass(t) }, t)));
form.elements.event_type.addEventListener("change", fillSubTypes);

// The map: no tiles; the basemap is the package's own Natural Earth outlines.
const map = L.map("map", { attributionControl: false, worldCopyJump: true, minZoom: 2, maxZoom: 12 })
  .setView([25, 45], 3);
const countryStyle = { color: "#7b8794", weight: 0.8, fillColor: "#fbfaf6", fillOpacity: 1 };
const admin1Style = { color: "#a7b1bc", weight: 0.5, dashArray: "2 3", fill: false, interactive: false };
let admin1Layer = null;
getJSON("/static/basemap/countries.json").then((geo) => {
  L.geoJSON(geo, { style: countryStyle, interactive: false }).addTo(map).bringToBack();
});
getJSON("/static/basemap/admin1.json").then((geo) => {
  admin1Layer = L.geoJSON(geo, { style: admin1Style });
  showAdmin1();
});
function showAdmin1() {
  if (!admin1Layer) return;
  if (map.getZoom() >= 4) admin1Layer.addTo(map);
  else admin1Layer.remove();
}
map.on("zoomend", showAdmin1);
const clusters = L.markerClusterGroup({ disableClusteringAtZoom: 9, maxClusterRadius: 40 }).addTo(map);

function markerFor(feature) {
  const p = feature.properties;
  const [lon, lat] = feature.geometry.coordinates;
  const fat = p.fatalities_best || 0;
  const size = Math.round(Math.min(40, 12 + 5 * Math.sqrt(fat)));
  const icon = L.divIcon({ className: "ev-marker " + typeClass(p.event_type), iconSize: [size, size] });
  const marker = L.marker([lat, lon], { icon, title: p.sub_event_type + " — " + p.location, keyboard: true });
  const popup = el("div", {},
    el("div", { class: "popup-title" }, p.sub_event_type),
    el("div", {}, p.event_date + " · " + [p.location, p.admin1, p.country].filter((x) => x).join(", ")),
    el("div", {}, "fatalities: " + (p.fatalities_best === null ? "none reported" : p.fatalities_best)),
    el("a", { href: "/event/" + encodeURIComponent(p.event_id) }, "open event"));
  marker.bindPopup(popup);
  return marker;
}

function drawTimeline(stats) {
  const box = document.getElementById("timeline");
  const days = [...new Set(stats.per_day.map((d) => d.date))].sort();
  if (!days.length) {
    box.replaceChildren(el("p", { class: "muted" }, "No dated events."));
    return;
  }
  const ns = "http://www.w3.org/2000/svg";
  const first = new Date(days[0] + "T00:00:00Z"), last = new Date(days[days.length - 1] + "T00:00:00Z");
  const span = Math.max(1, Math.round((last - first) / 86400000) + 1);
  const totals = {};
  for (const d of stats.per_day) totals[d.date] = (totals[d.date] || 0) + d.count;
  const max = Math.max(...Object.values(totals));
  const W = 600, H = 160, pad = 18, bw = (W - 2 * pad) / span;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "events per day by type");
  const stacked = {};
  const order = [...stats.per_day].sort((a, b) => EVENT_TYPES.indexOf(a.event_type) - EVENT_TYPES.indexOf(b.event_type));
  for (const d of order) {
    const x = pad + Math.round((new Date(d.date + "T00:00:00Z") - first) / 86400000) * bw;
    const h = (d.count / max) * (H - 2 * pad);
    const y = H - pad - (stacked[d.date] || 0) - h;
    stacked[d.date] = (stacked[d.date] || 0) + h;
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", x.toFixed(1));
    rect.setAttribute("y", y.toFixed(1));
    rect.setAttribute("width", Math.max(1, bw - 1).toFixed(1));
    rect.setAttribute("height", h.toFixed(1));
    rect.setAttribute("class", typeClass(d.event_type));
    const title = document.createElementNS(ns, "title");
    title.textContent = `${d.date}: ${d.count} × ${d.event_type}`;
    rect.appendChild(title);
    svg.appendChild(rect);
  }
  for (const [x, anchor, label] of [[pad, "start", days[0]], [W - pad, "end", days[days.length - 1]]]) {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", x);
    t.setAttribute("y", H - 4);
    t.setAttribute("text-anchor", anchor);
    t.setAttribute("font-size", "11");
    t.textContent = label;
    svg.appendChild(t);
  }
  box.replaceChildren(svg);
}

function drawList(features) {
  const body = document.querySelector("#events tbody");
  body.replaceChildren(...features.map((f) => {
    const p = f.properties;
    return el("tr", {},
      el("td", {}, p.event_date),
      el("td", {}, el("span", { class: typeClass(p.event_type) }, "● "), el("a", { href: "/event/" + encodeURIComponent(p.event_id) }, p.sub_event_type)),
      el("td", {}, [p.location, p.admin1, p.country].filter((x) => x).join(", ")),
      el("td", { class: "num" }, p.fatalities_best === null ? "" : p.fatalities_best),
      el("td", {}, p.source));
  }));
}

async function load() {
  const params = filtersFromUrl();
  const summary = document.getElementById("summary");
  summary.textContent = "Loading…";
  try {
    const [geo, stats] = await Promise.all([
      getJSON("/events.geojson?" + params), getJSON("/stats?" + params)]);
    clusters.clearLayers();
    const located = geo.features.filter((f) => f.geometry);
    clusters.addLayers(located.map(markerFor));
    if (located.length) map.fitBounds(clusters.getBounds(), { maxZoom: 8, padding: [30, 30] });
    drawTimeline(stats);
    drawList(geo.features);
    summary.textContent = `${stats.total} events (${located.length} on the map)`;
    document.body.dataset.loaded = "true";
  } catch (err) {
    showError(summary, err);
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const params = formParams();
  history.pushState(null, "", params.toString() ? "?" + params : "/");
  load();
});
document.getElementById("reset").addEventListener("click", () => {
  history.pushState(null, "", "/");
  fillForm(new URLSearchParams());
  load();
});
window.addEventListener("popstate", () => { fillForm(filtersFromUrl()); load(); });
fillForm(filtersFromUrl());
load();
