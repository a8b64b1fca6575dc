// Paste or upload an article, code it with POST /code, and show its events with the evidence highlighted.
"use strict";

const form = document.getElementById("paste");
const result = document.getElementById("result");

form.elements.file.addEventListener("change", async () => {
  const file = form.elements.file.files[0];
  if (file) form.elements.text.value = await file.text();
});

function eventCard(e, i, text, articleId) {
  const prefix = "e" + i;
  return el("div", { class: "event-card" },
    el("h3", {}, el("span", { class: typeClass(e.event_type) }, "● "), e.sub_event_type + " — " + (place(e) || "place unknown")),
    fieldsTable(e, prefix),
    e.claims.length ? claimsTable(e, prefix) : el("p", { class: "muted" }, "No figures claimed."),
    e.disputes.length ? disputesList(e) : null,
    el("details", { open: true }, el("summary", {}, "evidence in the text"), highlightedText(text, spansOf(e, articleId), prefix)));
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = { text: form.elements.text.value };
  for (const k of ["title", "outlet", "published"]) if (form.elements[k].value.trim()) body[k] = form.elements[k].value.trim();
  result.replaceChildren(el("p", { class: "muted" }, "Coding…"));
  try {
    const coded = await getJSON("/code", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const text = body.text.replace(/\r\n?/g, "\n").normalize("NFC");
    const head = el("h2", {}, coded.events.length + " event(s)" + (coded.article.title ? " in “" + coded.article.title + "”" : ""));
    const cards = coded.events.map((e, i) => eventCard(e, i, text, coded.article.article_id));
    result.replaceChildren(head, ...(coded.reason ? [el("p", { class: "muted" }, coded.reason)] : []), ...cards);
    result.dataset.events = String(coded.events.length);
  } catch (err) {
    showError(result, err);
  }
});
