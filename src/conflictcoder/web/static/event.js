// One event: its fields, the claims table with disputes marked, each source's text with the evidence
// highlighted (each span linked from its field or claim), and the revision history.
"use strict";

function historyTable(history) {
  const table = el("table", { class: "history" });
  table.appendChild(el("thead", {}, el("tr", {}, ...["rev", "when", "action", "reason", "changed"].map((h) => el("th", {}, h)))));
  const body = el("tbody");
  for (const h of history) {
    const changed = Object.keys((h.changes && h.changes.fields) || {}).join(", ");
    body.appendChild(el("tr", {}, el("td", {}, h.revision), el("td", {}, h.created_at.slice(0, 19).replace("T", " ")),
      el("td", {}, h.action), el("td", {}, h.reason), el("td", {}, changed)));
  }
  table.appendChild(body);
  return table;
}

function sourceItem(event, source, prefixFor) {
  const head = el("div", {}, el("strong", {}, source.outlet || "unknown outlet"), " · ",
    source.published || "no date", " · ", el("span", { class: "title" }, source.title || "(no title)"));
  const href = source.url ? safeHref(source.url) : null;
  if (source.url) head.appendChild(el("div", { class: "muted" }, href ? el("a", { href, rel: "noopener noreferrer" }, source.url) : source.url));
  return el("li", { "data-article": source.article_id }, head,
    highlightedText(source.text, spansOf(event, source.article_id), prefixFor(source.article_id)));
}

async function main() {
  const box = document.getElementById("event");
  const id = decodeURIComponent(window.location.pathname.split("/").pop());
  let detail;
  try {
    detail = await getJSON("/events/" + encodeURIComponent(id));
  } catch (err) {
    showError(box, err);
    return;
  }
  const e = detail.event;
  document.title = "conflictcoder — " + e.sub_event_type + ", " + (e.location || "");
  // evidence anchors are per article; links in the tables point into the first article holding them
  const first = {};
  for (const [field, list] of Object.entries(e.evidence || {})) if (list.length) first["field-" + field] = list[0].article_id;
  e.claims.forEach((c, i) => { first["claim-" + i] = c.evidence.article_id; });
  const prefixFor = (articleId) => "a" + detail.sources.findIndex((s) => s.article_id === articleId);
  const fields = fieldsTable(e, "X");
  const claims = claimsTable(e, "X");
  for (const a of [...fields.querySelectorAll("a"), ...claims.querySelectorAll("a")]) {
    const key = a.getAttribute("href").slice(3);  // "#X-" + key
    a.setAttribute("href", "#" + prefixFor(first[key]) + "-" + key);
  }
  box.replaceChildren(
    el("h2", { class: typeClass(e.event_type) }, e.sub_event_type + " — " + (place(e) || "place unknown") + ", " + (e.event_date || "date unknown")),
    el("p", { class: "muted" }, `event ${e.event_id} · revision ${detail.revision} · ${detail.articles.length} source(s)`),
    el("section", {}, fields),
    el("section", { id: "claims" }, el("h2", {}, "Claims"), claims,
      e.disputes.length ? el("div", {}, el("h2", {}, "Disputes"), disputesList(e)) : el("p", { class: "muted" }, "No disputed figures.")),
    el("section", { id: "sources" }, el("h2", {}, "Sources"),
      el("ol", { class: "sources" }, ...detail.sources.filter((s) => detail.articles.includes(s.article_id)).map((s) => sourceItem(e, s, prefixFor)))),
    el("section", { id: "history" }, el("h2", {}, "Revision history"), historyTable(detail.history)),
  );
  document.body.dataset.loaded = "true";
  if (window.location.hash) document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
}

main();
