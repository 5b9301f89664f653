// Re-attach a claim to the text selected in #reattach-text: the row's form posts the selection's W3C selectors
// (selection.js), checked by the server exactly like a new claim's.
"use strict";

(function () {
  const container = document.getElementById("reattach-text");
  const status = document.getElementById("reattach-status");
  if (!container) return;

  document.querySelectorAll("form.reattach-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const range = window.factcheckSelection.rangeIn(container);
      if (!range) {
        event.preventDefault();
        status.textContent = "Select the claim's new text in the newest text below first.";
        container.scrollIntoView({ block: "nearest" });
        return;
      }
      form.elements.selectors.value = JSON.stringify(window.factcheckSelection.selectors(container, range));
    });
  });
})();
