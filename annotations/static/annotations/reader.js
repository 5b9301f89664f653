// The reader: claim the selected text (selectors from selection.js), move between claims, keyboard shortcuts.
"use strict";

(function () {
  const container = document.getElementById("article-text");
  if (!container) return;
  const form = document.getElementById("claim-form");
  const claimButton = document.getElementById("claim-button");
  const help = document.getElementById("shortcut-help");
  const order = (container.dataset.claimOrder || "").split(" ").filter(Boolean);
  const selected = container.dataset.selected;

  const selectionInText = () => window.factcheckSelection.rangeIn(container);

  function claimSelection() {
    const range = selectionInText();
    if (!range || !form) return false;
    const selectors = window.factcheckSelection.selectors(container, range);
    form.elements.selectors.value = JSON.stringify(selectors);
    document.getElementById("claim-preview").textContent = selectors[1].exact;
    form.hidden = false;
    form.elements.claimant.focus();
    return true;
  }

  function goToClaim(id) {
    if (id) window.location.search = "?claim=" + encodeURIComponent(id);
  }

  function step(delta) {
    if (order.length === 0) return;
    const index = order.indexOf(selected);
    const next = index === -1 ? (delta > 0 ? 0 : order.length - 1) : (index + delta + order.length) % order.length;
    goToClaim(order[next]);
  }

  function toggleHelp(show) {
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  document.addEventListener("selectionchange", function () {
    if (claimButton) claimButton.disabled = selectionInText() === null;
  });
  if (claimButton) claimButton.addEventListener("click", claimSelection);
  const cancel = document.getElementById("claim-cancel");
  if (cancel) cancel.addEventListener("click", function () { form.hidden = true; });
  const helpButton = document.getElementById("help-button");
  if (helpButton) helpButton.addEventListener("click", function () { toggleHelp(); });
  const helpClose = document.getElementById("help-close");
  if (helpClose) helpClose.addEventListener("click", function () { toggleHelp(false); });

  container.addEventListener("click", function (event) {
    if (selectionInText()) return; // finishing a selection is not a click on a claim
    const mark = event.target.closest("[data-claims]");
    if (mark) goToClaim(mark.dataset.claims.split(" ")[0]);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return; // a confirmation is open: its own keys only
    const target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) {
      if (event.key === "Escape") target.blur();
      return;
    }
    switch (event.key) {
      case "c":
        if (claimSelection()) event.preventDefault();
        break;
      case "j":
        step(1);
        break;
      case "k":
        step(-1);
        break;
      case "a": {
        // Opens the approve confirmation (confirm.js); never approves at once.
        const opener = document.querySelector("#approve-form .confirm-open");
        if (opener) {
          event.preventDefault();
          opener.click();
        }
        break;
      }
      case "?":
        toggleHelp();
        break;
      case "Escape":
        toggleHelp(false);
        if (form) form.hidden = form.querySelector(".errorlist") === null ? true : form.hidden;
        break;
      default:
        return;
    }
  });

  if (selected) {
    const mark = container.querySelector('[data-claims~="' + CSS.escape(selected) + '"]');
    if (mark) mark.scrollIntoView({ block: "center" });
  }
})();
