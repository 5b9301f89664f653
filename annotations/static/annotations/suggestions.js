// Suggested claims in the reader: "Suggest claims" (or s) asks /api/revisions/{id}/suggestions/ for the sentences
// most worth a check that nobody has claimed or dismissed yet, underlines them lightly in the text and lists them
// above it. "Claim this" selects the sentence and opens the claim form as a selection does (reader.js); "Dismiss"
// records the desk's no and the underline goes. The API counts code points, the DOM UTF-16 units: offsets are
// converted over the text itself. The underlines are spans around text pieces only, so the text (hence every
// offset reader.js and selection.js compute) is unchanged; panel.js replacing the text redraws them.
"use strict";

(function () {
  const container = document.getElementById("article-text");
  const toggle = document.getElementById("suggest-toggle");
  const box = document.getElementById("suggestions");
  if (!container || !toggle || !box) return;
  const list = document.getElementById("suggestions-list");
  const status = document.getElementById("suggestions-status");
  const LIMIT = 10;
  const LABEL = 110;
  const KEY = "factcheck:suggestions:" + window.location.pathname;
  let shown = new Map(); // key -> suggestion, with UTF-16 offsets (start16, end16)
  let ticket = 0;

  const on = () => toggle.getAttribute("aria-pressed") === "true";

  function remember(value) {
    try {
      if (value) window.sessionStorage.setItem(KEY, "1");
      else window.sessionStorage.removeItem(KEY);
    } catch (error) {
      // storage refused (private mode): the toggle just starts off next time
    }
  }

  function remembered() {
    try {
      return window.sessionStorage.getItem(KEY) === "1";
    } catch (error) {
      return false;
    }
  }

  // Code-point offsets -> UTF-16 offsets into `text` (for...of walks code points, as Python indexes a str).
  function toUtf16(text, points) {
    const wanted = Array.from(new Set(points)).sort(function (a, b) { return a - b; });
    const out = new Map();
    let point = 0;
    let unit = 0;
    let i = 0;
    for (const char of text) {
      while (i < wanted.length && wanted[i] === point) out.set(wanted[i++], unit);
      point += 1;
      unit += char.length;
    }
    while (i < wanted.length) out.set(wanted[i++], unit);
    return out;
  }

  // Text nodes and offsets within them covering [start, end) (UTF-16 offsets over the container's text).
  function pieces(start, end) {
    const found = [];
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let position = 0;
    let node;
    while ((node = walker.nextNode()) && position < end) {
      const length = node.data.length;
      const from = Math.max(start, position);
      const to = Math.min(end, position + length);
      if (from < to) found.push({ node: node, from: from - position, to: to - position });
      position += length;
    }
    return found;
  }

  function underline(item) {
    pieces(item.start16, item.end16).forEach(function (piece) {
      let middle = piece.node;
      if (piece.from > 0) middle = middle.splitText(piece.from);
      if (piece.to - piece.from < middle.data.length) middle.splitText(piece.to - piece.from);
      const mark = document.createElement("span");
      mark.className = "suggested";
      mark.dataset.suggestion = item.key;
      middle.parentNode.insertBefore(mark, middle);
      mark.append(middle);
    });
  }

  function removeUnderlines(key) {
    const selector = key ? '.suggested[data-suggestion="' + CSS.escape(key) + '"]' : ".suggested";
    container.querySelectorAll(selector).forEach(function (mark) { mark.replaceWith(...mark.childNodes); });
    container.normalize();
  }

  function truncate(value) {
    const squashed = value.replace(/\s+/g, " ").trim();
    return squashed.length > LABEL ? squashed.slice(0, LABEL - 1) + "…" : squashed;
  }

  function button(label, action, describedBy) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "secondary";
    element.dataset.action = action;
    element.textContent = label;
    element.setAttribute("aria-describedby", describedBy);
    return element;
  }

  function listItem(item, index) {
    const entry = document.createElement("li");
    entry.dataset.suggestion = item.key;
    const text = document.createElement("span");
    text.className = "suggestion-text";
    text.id = "suggestion-" + index;
    text.textContent = truncate(item.text);
    text.lang = container.lang;
    text.dir = container.dir;
    const actions = document.createElement("span");
    actions.className = "suggestion-actions";
    const score = document.createElement("span");
    score.className = "muted small";
    score.textContent = "score " + item.score.toFixed(2);
    actions.append(button("Claim this", "claim", text.id), button("Dismiss", "dismiss", text.id), score);
    entry.append(text, actions);
    return entry;
  }

  function say(message) {
    status.textContent = message;
  }

  function countLine() {
    if (shown.size === 0) say("No undecided sentences left to suggest.");
    else say(shown.size + " sentence" + (shown.size === 1 ? "" : "s") + " most worth a check, best first:");
  }

  function draw(results) {
    removeUnderlines();
    list.replaceChildren();
    shown = new Map();
    const text = container.textContent;
    const offsets = toUtf16(text, results.flatMap(function (r) { return [r.start, r.end]; }));
    results.forEach(function (result, index) {
      const item = Object.assign({}, result, {
        key: result.start + "-" + result.end,
        start16: offsets.get(result.start),
        end16: offsets.get(result.end),
      });
      if (text.slice(item.start16, item.end16) !== item.text) return; // not this text (cannot happen): skip it
      shown.set(item.key, item);
      underline(item);
      list.append(listItem(item, index));
    });
    countLine();
  }

  async function load() {
    const mine = ++ticket;
    say("Looking for the sentences most worth a check…");
    let data;
    try {
      const query = "?limit=" + LIMIT + "&claimed=false&dismissed=false";
      const response = await fetch(toggle.dataset.url + query, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(String(response.status));
      data = await response.json();
    } catch (error) {
      if (mine === ticket) say("Could not load suggestions; try again.");
      return;
    }
    if (mine !== ticket || !on()) return; // switched off, or asked again, meanwhile
    draw(data.results);
  }

  function show(value) {
    toggle.setAttribute("aria-pressed", value ? "true" : "false");
    box.hidden = !value;
    remember(value);
    if (value) {
      load();
    } else {
      ticket += 1;
      removeUnderlines();
      list.replaceChildren();
      shown = new Map();
    }
  }

  function rangeOf(item) {
    const found = pieces(item.start16, item.end16);
    const range = document.createRange();
    range.setStart(found[0].node, found[0].from);
    const last = found[found.length - 1];
    range.setEnd(last.node, last.to);
    return range;
  }

  function claim(item) {
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(rangeOf(item));
    document.dispatchEvent(new Event("selectionchange"));
    if (window.factcheckReader && window.factcheckReader.claimSelection()) {
      const form = document.getElementById("claim-form");
      if (form) form.scrollIntoView({ block: "nearest" });
    }
  }

  async function dismiss(item, entry) {
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    const buttons = entry.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    entry.setAttribute("aria-busy", "true");
    let problem = "";
    try {
      const response = await fetch(toggle.dataset.url + "dismissals/", {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
        body: JSON.stringify({ start: item.start, end: item.end }),
      });
      if (!response.ok) {
        const body = await response.json().catch(function () { return {}; });
        problem = body.detail || Object.values(body).flat().join(" ") || "error " + response.status;
      }
    } catch (error) {
      problem = "the server could not be reached";
    }
    entry.removeAttribute("aria-busy");
    if (problem) {
      buttons.forEach(function (b) { b.disabled = false; });
      say("Not dismissed: " + problem);
      return;
    }
    // The list may have been drawn again meanwhile (panel.js replaced the text): act on the entry shown now.
    const current = list.querySelector('li[data-suggestion="' + CSS.escape(item.key) + '"]');
    const next = current ? current.nextElementSibling || current.previousElementSibling : null;
    removeUnderlines(item.key);
    if (current) current.remove();
    shown.delete(item.key);
    countLine();
    say("Dismissed; it will not be suggested again. " + status.textContent);
    const focus = next ? next.querySelector("button[data-action=dismiss]") : toggle;
    focus.focus();
  }

  function mark(key) {
    container.querySelectorAll(".suggested.current").forEach(function (m) { m.classList.remove("current"); });
    list.querySelectorAll("li.current").forEach(function (li) { li.classList.remove("current"); });
    if (!key) return;
    container.querySelectorAll('.suggested[data-suggestion="' + CSS.escape(key) + '"]').forEach(function (m) {
      m.classList.add("current");
    });
    const entry = list.querySelector('li[data-suggestion="' + CSS.escape(key) + '"]');
    if (entry) entry.classList.add("current");
  }

  toggle.addEventListener("click", function () { show(!on()); });

  list.addEventListener("click", function (event) {
    const target = event.target.closest("button[data-action]");
    if (!target) return;
    const entry = target.closest("li");
    const item = shown.get(entry.dataset.suggestion);
    if (!item) return;
    if (target.dataset.action === "claim") claim(item);
    else dismiss(item, entry);
  });
  list.addEventListener("focusin", function (event) {
    const entry = event.target.closest("li");
    mark(entry ? entry.dataset.suggestion : "");
  });

  // A click on an underlined sentence (not a claim's highlight, not the end of a drag) goes to its entry.
  container.addEventListener("click", function (event) {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const underlined = event.target.closest(".suggested");
    if (!underlined || event.target.closest("[data-claims]")) return;
    const entry = list.querySelector('li[data-suggestion="' + CSS.escape(underlined.dataset.suggestion) + '"]');
    if (!entry) return;
    entry.scrollIntoView({ block: "nearest" });
    entry.querySelector("button[data-action=claim]").focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "s" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    show(!on());
  });

  // panel.js put in new text (a claim was made, say): its underlines are gone and the undecided sentences changed.
  document.addEventListener("factcheck:article-updated", function () {
    if (on()) load();
  });

  if (remembered()) show(true);
})();
