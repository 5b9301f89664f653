// A character counter ("12 / 75") under every field with data-maxlength, red past the limit. The fields have no
// maxlength attribute, which would cut a long paste without a word; the server refuses an over-long value instead.
"use strict";

// window.factcheckCounters(root) adds them to fields put in the page later (the reader's panel, panel.js).
window.factcheckCounters = function (root) {
  root.querySelectorAll("[data-maxlength]").forEach(function (field) {
    const limit = Number(field.dataset.maxlength);
    if (!limit || field.dataset.counted) return;
    field.dataset.counted = "1";
    const counter = document.createElement("span");
    counter.className = "char-count";
    counter.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", counter);
    function update() {
      // Count code points, as the server does (an emoji is one character, not two UTF-16 units).
      const length = Array.from(field.value).length;
      counter.textContent = length + " / " + limit;
      counter.classList.toggle("over", length > limit);
      field.classList.toggle("over-limit", length > limit);
    }
    field.addEventListener("input", update);
    update();
  });
};
window.factcheckCounters(document);
