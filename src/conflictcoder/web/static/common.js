// Shared helpers of the dashboard's pages. Data from the API (article text, titles, names) is only
// ever put into the page as text (textContent, createTextNode), never parsed as HTML.
"use strict";

const EVENT_TYPES = [
  "Battles",
  "Explosions/Remote violence",
  "Violence against civilians",
  "Protests",
  "Riots",
  "Strategic developments",
];
const SUB_EVENT_TYPES = {
  "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
  "Explosions/Remote violence": ["Chemical weapon", "Air/drone strike", "Suicide bomb",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"],
  "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
  "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
  "Riots": ["Violent demonstration", "Mob violence"],
  "Strategic developments": ["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
    "Headquarters or base established", "Looting/property destruction", "Non-violent transfer of territory",
    "Other"],
};

function typeClass(eventType) {
  const i = EVENT_TYPES.indexOf(eventType);
  return "t" + (i < 0 ? 5 : i);
}

// el("a", {href: "/x", class: "y"}, "text", child...) — attributes set one by one, text as text nodes.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
  }
  return node;
}

// Only http(s) links become links: a stored URL like "javascript:..." stays text.
function safeHref(url) {
  try {
    const u = new URL(url, window.location.origin);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (_e) {
    return null;
  }
}

function fmtRange(r) {
  if (!r) return "";
  const hi = r.high === null ? "+" : r.high !== r.low ? "–" + r.high : "";
  return r.best + (r.low !== r.best || hi ? " (" + r.low + hi + ")" : "");
}

function fmtValue(v) {
  if (!v) return "";
  if (v.high === null) return "≥ " + v.low;
  return v.low === v.high ? String(v.low) : v.low + "–" + v.high;
}

function place(e) {
  return [e.location, e.admin2, e.admin1, e.country].filter((x) => x).join(", ");
}

async function getJSON(url, options) {
  const response = await fetch(url, options);
  const body = await response.json();
  if (!response.ok) {
    const message = body && body.error ? body.error.message : response.statusText;
    throw new Error(message);
  }
  return body;
}

function showError(container, err) {
  container.replaceChildren(el("p", { class: "error", role: "alert" }, "Error: " + err.message));
}

// The evidence spans of an event in one article: {start, end, fields: [names], claims: [indexes]}.
function spansOf(event, articleId) {
  const spans = [];
  for (const [field, list] of Object.entries(event.evidence || {})) {
    for (const ev of list) if (ev.article_id === articleId) spans.push({ start: ev.start, end: ev.end, field });
  }
  (event.claims || []).forEach((c, i) => {
    if (c.evidence.article_id === articleId) {
      spans.push({ start: c.evidence.start, end: c.evidence.end, field: "claim " + (i + 1), claim: i });
    }
  });
  return spans;
}

// The article text with every evidence span wrapped in <mark>; overlapping spans are cut at their
// boundaries, each piece marked with all the fields covering it. `prefix` makes element ids unique.
function highlightedText(text, spans, prefix) {
  const cuts = new Set([0, text.length]);
  for (const s of spans) {
    cuts.add(Math.max(0, Math.min(text.length, s.start)));
    cuts.add(Math.max(0, Math.min(text.length, s.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = el("div", { class: "article-text" });
  const anchored = new Set();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    const piece = text.slice(a, b);
    const covering = spans.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) {
      out.appendChild(document.createTextNode(piece));
      continue;
    }
    const fields = [...new Set(covering.map((s) => s.field))];
    const mark = el("mark", { title: fields.join(", "), "data-fields": fields.join("|") }, piece);
    if (covering.some((s) => s.claim !== undefined)) mark.classList.add("claim");
    for (const s of covering) {
      const key = prefix + "-" + (s.claim !== undefined ? "claim-" + s.claim : "field-" + s.field);
      if (!anchored.has(key)) {
        anchored.add(key);
        if (!mark.id) mark.id = key;
        else mark.appendChild(el("span", { id: key, class: "anchor" }));
      }
    }
    out.appendChild(mark);
  }
  return out;
}

// The claims table: claimant, stance, figure, value, with the figures in dispute marked.
function claimsTable(event, prefix) {
  const disputed = new Set((event.disputes || []).map((d) => d.figure + "|" + (d.item || "")));
  const table = el("table", { class: "claims" });
  table.appendChild(el("thead", {}, el("tr", {}, ...["claimant", "role", "stance", "figure", "about", "value",
    "hedge", "evidence"].map((h) => el("th", {}, h)))));
  const body = el("tbody");
  (event.claims || []).forEach((c, i) => {
    const isDisputed = disputed.has(c.figure + "|" + (c.item || ""));
    const figure = el("td", {}, c.figure.replace(/_/g, " ") + (c.item ? " (" + c.item + ")" : ""));
    if (isDisputed) figure.appendChild(el("span", { class: "badge disputed" }, "disputed"));
    body.appendChild(el("tr", { class: isDisputed ? "disputed" : null, "data-claim": i },
      el("td", {}, c.claimant),
      el("td", {}, c.claimant_role),
      el("td", {}, c.stance),
      figure,
      el("td", {}, c.about),
      el("td", { class: "num" }, fmtValue(c.value)),
      el("td", {}, c.hedge || ""),
      el("td", {}, el("a", { href: "#" + prefix + "-claim-" + i, title: c.text }, "“" + c.evidence.text + "”"))));
  });
  table.appendChild(body);
  return table;
}

function disputesList(event) {
  const list = el("ul", { class: "disputes" });
  for (const d of event.disputes || []) {
    const parts = d.values.map((v) => v.claimant + " " + v.stance + " " + fmtValue(v.value));
    list.appendChild(el("li", {}, el("strong", {}, d.figure.replace(/_/g, " ") + (d.item ? " (" + d.item + ")" : "")),
      ": " + parts.join(" vs ")));
  }
  return list;
}

// A summary of one event's fields; each field with evidence links to its first highlighted span.
function fieldsTable(event, prefix) {
  const rows = [
    ["event_date", "date", (event.event_date || "unknown") + (event.date_reason ? " — " + event.date_reason : "")],
    ["event_type", "type", event.event_type + " / " + event.sub_event_type],
    ["actor1", "actor 1", event.actor1],
    ["actor2", "actor 2", event.actor2],
    ["location", "place", place(event) + (event.geo_precision ? " (precision " + event.geo_precision + ")" : "")],
    ["fatalities", "fatalities", fmtRange(event.fatalities)],
    ["injuries", "injuries", fmtRange(event.injuries)],
    ["notes", "notes", event.notes],
  ];
  const table = el("table", { class: "fields" });
  for (const [field, label, value] of rows) {
    if (!value) continue;
    const cell = el("td", {}, value);
    if (event.evidence && event.evidence[field] && event.evidence[field].length) {
      cell.appendChild(el("a", { href: "#" + prefix + "-field-" + field, class: "evlink" }, "evidence"));
    }
    table.appendChild(el("tr", {}, el("th", {}, label), cell));
  }
  return table;
}
