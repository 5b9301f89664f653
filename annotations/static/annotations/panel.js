// The reader's panel, updated in place. Every form in #panel posts as it does without JavaScript, but through
// fetch with `X-Requested-With: fetch`: the server (views/panel.py) answers with the new panel's HTML, the article
// text's HTML when its highlights changed, a message and the id of the element it belongs beside. The panel's
// scroll, its open sections and the focus are kept; a refused form comes back with its errors and what was typed.
// While a capture is pending the evidence statuses are polled every few seconds, and no longer once all are done.
// Anything unexpected (network, a sign-in page, a refusal page) falls back to the form's ordinary submission.
"use strict";

(function () {
  const panel = document.getElementById("panel");
  const text = document.getElementById("article-text");
  if (!panel) return;
  const POLL_MS = 3000;
  const SLOW_POLL_MS = 15000; // a capture retrying with backoff can take minutes: ask less often after a while
  const FAST_POLLS = 40;
  let pollTimer = null;
  let polls = 0;

  function byId(id) {
    return id ? panel.querySelector("#" + CSS.escape(id)) : null;
  }

  function remember(form, submitter) {
    const buttons = Array.from(form.querySelectorAll("button[type=submit], button:not([type])"));
    const active = document.activeElement;
    return {
      formId: form.id,
      button: buttons.indexOf(submitter),
      focusId: active && panel.contains(active) && !form.contains(active) ? active.id : "",
      scroll: panel.scrollTop,
      claim: text ? text.dataset.selected : "",
      open: Array.from(panel.querySelectorAll("details[open][id]")).map(function (d) { return d.id; }),
    };
  }

  function setBusy(form, busy) {
    form.setAttribute("aria-busy", busy ? "true" : "false");
    form.querySelectorAll("button").forEach(function (button) { button.disabled = busy; });
  }

  function nativeSubmit(form) {
    form.dataset.native = "1";
    HTMLFormElement.prototype.submit.call(form); // the prototype's: a field named "submit" cannot shadow it
  }

  async function send(form, submitter) {
    if (form.getAttribute("aria-busy") === "true") return;
    const body = new FormData(form, submitter || null);
    const state = remember(form, submitter);
    setBusy(form, true);
    let data;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {
          "X-Requested-With": "fetch",
          "X-Highlights": text ? text.dataset.highlights || "" : "",
          Accept: "application/json",
        },
      });
      if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) throw new Error("no panel");
      data = await response.json();
      if (typeof data.panel !== "string") throw new Error("no panel");
    } catch (error) {
      setBusy(form, false);
      nativeSubmit(form);
      return;
    }
    apply(data, state);
  }

  function replaceArticle(html) {
    // DOMParser makes an inert document: nothing in it runs. Only the text's children move, so the listeners on
    // #article-text (reader.js) stay and its text, hence every offset, is exactly what the server rendered.
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("article-text");
    if (!fresh || !text) return;
    text.replaceChildren(...Array.from(fresh.childNodes));
    ["claimOrder", "selected", "highlights"].forEach(function (key) { text.dataset[key] = fresh.dataset[key] || ""; });
    document.dispatchEvent(new CustomEvent("factcheck:article-updated"));
  }

  function placeMessage(data, state) {
    if (!data.message) return null;
    const note = document.createElement("p");
    note.className = "panel-message " + (data.level || "success");
    note.id = "panel-message";
    note.setAttribute("role", data.level === "error" ? "alert" : "status");
    note.tabIndex = -1;
    note.textContent = data.message;
    const anchor = byId(data.where) || byId(state.formId) || byId("verdict-heading") || panel.firstElementChild;
    if (!anchor) {
      panel.prepend(note);
    } else if (anchor.tagName === "FORM" || anchor.tagName === "LI") {
      anchor.append(note);
    } else if (anchor.tagName === "SECTION") {
      anchor.prepend(note);
    } else {
      anchor.insertAdjacentElement("afterend", note);
    }
    return note;
  }

  function focusAfter(data, state, note) {
    const form = byId(state.formId);
    let target = null;
    if (data.level === "error" && form) {
      target = form.querySelector(".has-error input, .has-error textarea, .has-error select");
    } else if (data.level !== "error") {
      target = byId(state.focusId);
      if (!target && form && !form.closest("[hidden]")) {
        const buttons = form.querySelectorAll("button[type=submit], button:not([type])");
        target = buttons[state.button] || form.querySelector(".confirm-open") || buttons[0] || null;
      }
    }
    target = target || note;
    if (target) target.focus({ preventScroll: true });
    if (note) note.scrollIntoView({ block: "nearest" });
  }

  function apply(data, state) {
    document.querySelectorAll("#panel dialog[open]").forEach(function (dialog) { dialog.close(); });
    panel.innerHTML = data.panel; // the server's template, escaped as every page is
    if (typeof data.article === "string") replaceArticle(data.article);
    state.open.forEach(function (id) {
      const details = byId(id);
      if (details) details.open = true;
    });
    if (window.factcheckCounters) window.factcheckCounters(panel);
    if (window.factcheckConfirm) window.factcheckConfirm(panel);
    if (typeof data.url === "string") window.history.replaceState(null, "", window.location.pathname + data.url);
    // The same claim: keep where the panel was scrolled to. Another one (a new claim): its top.
    panel.scrollTop = text && text.dataset.selected === state.claim ? state.scroll : 0;
    focusAfter(data, state, placeMessage(data, state));
    document.dispatchEvent(new CustomEvent("factcheck:panel-updated"));
    polls = 0;
    wasPending = false; // this panel is new: only its own pending captures count
    watchCaptures();
  }

  panel.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.dataset.native) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    event.preventDefault();
    send(form, event.submitter);
  });

  // --- Capture status and quote checks, while a worker is still on them --------------------------------------------

  function sameText(element, html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const squash = function (value) { return value.replace(/\s+/g, " ").trim(); };
    return squash(template.content.textContent) === squash(element.textContent);
  }

  async function checkCaptures(card) {
    pollTimer = null;
    if (!card.isConnected) return;
    try {
      const response = await fetch(card.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
      if (!response.ok) return; // gone, or no longer allowed: stop asking
      const data = await response.json();
      if (!card.isConnected) return;
      Object.keys(data.evidence).forEach(function (id) {
        const row = data.evidence[id];
        const status = card.querySelector('[data-evidence-status="' + CSS.escape(id) + '"]');
        if (!status) return;
        if (!sameText(status, row.html)) status.innerHTML = row.html;
        if (row.pending) status.dataset.pending = "1";
        else delete status.dataset.pending;
      });
    } catch (error) {
      // A network hiccup: ask again at the next tick.
    }
    watchCaptures();
  }

  // Whether the user has started filling in a form of the panel (then it is not refreshed under their hands).
  function typing() {
    if (document.querySelector("#panel dialog[open]")) return true;
    return Array.from(panel.querySelectorAll("input, textarea, select")).some(function (field) {
      if (field.type === "hidden") return false;
      if (field.tagName === "SELECT") {
        const options = Array.from(field.options);
        // No option marked selected in the HTML: the first is what the page showed (a "Nobody" choice).
        if (!field.multiple && !options.some(function (option) { return option.defaultSelected; })) {
          return field.selectedIndex > 0;
        }
        return options.some(function (option) { return option.selected !== option.defaultSelected; });
      }
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      return field.value !== field.defaultValue;
    });
  }

  // Once every capture is done, what depends on them (the approve and publish checklists, a quote's word diff) is
  // out of date: the open claim's panel is fetched again, unless the user is typing in it.
  async function refreshPanel() {
    if (typing() || !text || !text.dataset.selected) return;
    const state = { formId: "", button: -1, focusId: document.activeElement ? document.activeElement.id : "",
      scroll: panel.scrollTop, claim: text.dataset.selected,
      open: Array.from(panel.querySelectorAll("details[open][id]")).map(function (d) { return d.id; }) };
    try {
      const response = await fetch("?claim=" + encodeURIComponent(text.dataset.selected), {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "X-Highlights": text.dataset.highlights || "", Accept: "application/json" },
      });
      if (!response.ok) return;
      const data = await response.json();
      if (typeof data.panel === "string" && !typing()) apply(data, state);
    } catch (error) {
      // The statuses are already shown; the checklist is checked again by the server on approve and publish.
    }
  }

  let wasPending = false;

  function watchCaptures() {
    if (pollTimer) window.clearTimeout(pollTimer);
    pollTimer = null;
    const card = panel.querySelector(".claim-panel[data-status-url]");
    const pending = Boolean(card && card.querySelector("[data-evidence-status][data-pending]"));
    if (wasPending && !pending && card) {
      wasPending = false;
      refreshPanel();
      return;
    }
    wasPending = pending;
    if (!pending) return;
    polls += 1;
    pollTimer = window.setTimeout(checkCaptures, polls > FAST_POLLS ? SLOW_POLL_MS : POLL_MS, card);
  }

  watchCaptures();
})();
