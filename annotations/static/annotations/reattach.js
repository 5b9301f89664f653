// Re-attach a claim to the text selected in #reattach-text: the row's form posts the selection's W3C selectors
// (selection.js), checked by the server exactly like a new claim's. With fetch the page is not reloaded: the server
// (views/anchoring.py, `X-Requested-With: fetch`) sends the rows and the newest text again with the message.
"use strict";

(function () {
  const body = document.getElementById("anchoring-body");
  if (!body) return;

  function say(message, level, where) {
    const status = document.getElementById("reattach-status");
    const note = document.createElement("p");
    note.className = "panel-message " + level;
    note.id = "reattach-message";
    note.setAttribute("role", level === "error" ? "alert" : "status");
    note.tabIndex = -1;
    note.textContent = message;
    const row = where ? document.getElementById(where) : null;
    if (row && row.lastElementChild) row.lastElementChild.append(note);
    else if (status && level === "error") status.replaceChildren(note);
    else body.prepend(note);
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest" });
  }

  async function send(form) {
    const buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    let data;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      });
      if (!(response.headers.get("Content-Type") || "").startsWith("application/json")) throw new Error("no rows");
      data = await response.json();
    } catch (error) {
      form.dataset.native = "1";
      HTMLFormElement.prototype.submit.call(form); // as without JavaScript
      return;
    }
    body.innerHTML = data.body; // the server's template, escaped as every page is
    say(data.message, data.level, data.where);
  }

  body.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.classList || !form.classList.contains("reattach-form") || form.dataset.native) return;
    const container = document.getElementById("reattach-text");
    const status = document.getElementById("reattach-status");
    const range = container ? window.factcheckSelection.rangeIn(container) : null;
    event.preventDefault();
    if (!range) {
      status.textContent = "Select the claim's new text in the newest text below first.";
      container.scrollIntoView({ block: "nearest" });
      return;
    }
    form.elements.selectors.value = JSON.stringify(window.factcheckSelection.selectors(container, range));
    send(form);
  });
})();
