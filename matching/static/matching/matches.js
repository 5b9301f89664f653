// Has this been checked already? The fact-check corpus's best matches in the reader (templates/matching/*.html):
// - on the open claim's panel (#claim-matches), for its statement (or quote), and again as its statement is edited;
//   each match has a "Same claim" button, a form that posts like every panel form (panel.js swaps the panel in);
// - in the new-claim form (#claim-form-matches), for the selected text when the form opens (reader.js says so
//   with `factcheck:claim-form-opened`), then for the short statement as it is typed.
// The server is asked through GET /api/fact-checks/similar/ (never at page load: the encoder runs on demand); a
// later answer for an older text is dropped. Everything is built with textContent: nothing from the corpus is HTML.
"use strict";

(function () {
  const panel = document.getElementById("panel");
  if (!panel) return;
  const LIMIT = 3;
  const DEBOUNCE_MS = 400;
  const asked = new WeakMap(); // box -> { text, serial }
  let serial = 0;
  let typingTimer = null;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function squash(text) {
    return (text || "").replace(/\s+/g, " ").trim();
  }

  function dateText(iso) {
    if (!iso) return "";
    const date = new Date(iso + "T00:00:00Z");
    return Number.isNaN(date.getTime())
      ? iso
      : date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }

  function linkForm(box, match) {
    const form = element("form", "inline-form match-link");
    form.method = "post";
    form.action = box.dataset.linkUrl;
    const token = box.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      const copy = element("input");
      copy.type = "hidden";
      copy.name = token.name;
      copy.value = token.value;
      form.append(copy);
    }
    const factCheck = element("input");
    factCheck.type = "hidden";
    factCheck.name = "fact_check";
    factCheck.value = String(match.fact_check);
    const button = element("button", "secondary", "Same claim");
    button.type = "submit";
    button.title = "Link this claim to that fact-check as the same claim";
    form.append(factCheck, button);
    return form;
  }

  function matchItem(box, match) {
    const item = element("li", "match");
    item.dataset.factCheck = String(match.fact_check);
    const head = element("div", "match-claim");
    const link = element("a", "", match.claim_reviewed);
    link.href = match.url;
    link.rel = "noopener noreferrer";
    link.dir = "auto";
    head.append(link);
    const facts = element("div", "small match-facts");
    facts.append(element("span", "rating-chip", match.rating || "no rating"));
    const by = [match.publisher || "an unnamed desk", dateText(match.date_published)].filter(Boolean).join(", ");
    facts.append(document.createTextNode(" " + by + " · "));
    facts.append(element("span", "match-score", "score " + match.score.toFixed(2)));
    if (match.claim !== null) facts.append(element("span", "chip", "ours"));
    if (match.score >= Number(box.dataset.sameScore || Infinity)) {
      facts.append(element("span", "chip likely-same", "likely the same claim"));
    }
    item.append(head, facts);
    if (String(match.fact_check) === (box.dataset.linked || "")) {
      item.classList.add("linked");
      item.append(element("span", "small match-linked", "✓ Linked as the same claim"));
    } else if (box.dataset.linkUrl) {
      item.append(linkForm(box, match));
    }
    return item;
  }

  function show(box, results) {
    const list = box.querySelector("[data-matches-list]");
    const status = box.querySelector("[data-matches-status]");
    const shown = results.filter(function (match) {
      return match.score >= Number(box.dataset.minScore || 0) && String(match.claim) !== (box.dataset.claim || "");
    });
    list.replaceChildren(...shown.slice(0, LIMIT).map(function (match) { return matchItem(box, match); }));
    if (status) status.textContent = shown.length ? "" : "Nothing like it in the corpus of fact-checks.";
    const hint = box.querySelector("[data-matches-hint]");
    if (hint) hint.hidden = shown.length === 0;
    box.hidden = false;
  }

  async function ask(box, text) {
    text = squash(text);
    const last = asked.get(box);
    if (!box.isConnected || !text || (last && last.text === text)) return;
    serial += 1;
    const mine = serial;
    asked.set(box, { text: text, serial: mine });
    const status = box.querySelector("[data-matches-status]");
    if (status) status.textContent = "Looking in the corpus of fact-checks…";
    const url = new URL(box.dataset.similarUrl, window.location.href);
    url.searchParams.set("text", text.slice(0, 5000));
    url.searchParams.set("limit", String(LIMIT + 1)); // one more: a published claim's own fact-check is left out
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (asked.get(box).serial !== mine) return; // a newer text was asked for meanwhile
      if (!response.ok) {
        box.hidden = true; // not allowed, or the text was refused: nothing to show
        return;
      }
      const data = await response.json();
      if (asked.get(box).serial === mine && box.isConnected) show(box, data.results || []);
    } catch (error) {
      if (status && asked.get(box).serial === mine) status.textContent = "The corpus could not be reached.";
      asked.delete(box);
    }
  }

  function panelBox() {
    return panel.querySelector("#claim-matches");
  }

  function formBox() {
    return panel.querySelector("#claim-form-matches");
  }

  function askForOpenClaim() {
    const box = panelBox();
    if (box) ask(box, box.dataset.text);
  }

  // A statement being typed: the form's own box, or the open claim's when its edit form is the one typed in.
  panel.addEventListener("input", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) || field.name !== "claim_reviewed") {
      return;
    }
    const form = field.form;
    const box = form && form.id === "claim-form" ? formBox() : form && form.id === "claim-edit-form" ? panelBox() : null;
    if (!box) return;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () {
      const fallback = form.id === "claim-form"
        ? (document.getElementById("claim-preview") || {}).textContent
        : box.dataset.text;
      ask(box, squash(field.value) || fallback);
    }, DEBOUNCE_MS);
  });

  // The new-claim form's box: its statement once one is typed, else the selected text.
  function askForNewClaim(selected) {
    const box = formBox();
    const form = document.getElementById("claim-form");
    if (!box || !form || form.hidden) return;
    const statement = form.elements.claim_reviewed ? squash(form.elements.claim_reviewed.value) : "";
    const preview = document.getElementById("claim-preview");
    ask(box, statement || selected || (preview ? preview.textContent : ""));
  }

  document.addEventListener("factcheck:claim-form-opened", function (event) {
    askForNewClaim(event.detail && event.detail.text);
  });
  // A panel swapped in (panel.js): the open claim's, or the form again with what the server said about it.
  document.addEventListener("factcheck:panel-updated", function () {
    askForOpenClaim();
    askForNewClaim("");
  });
  askForOpenClaim();
  askForNewClaim("");
})();
