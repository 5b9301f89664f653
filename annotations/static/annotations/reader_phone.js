// The reader when the panel is below the text (a phone: app.css stacks them under 900 px). Opening a claim shows its
// panel, "Claim selection" shows the claim form, and "Back to the text" returns to the place in the text the reader
// left: that place is kept in sessionStorage because opening a claim loads the page again. With the panel beside
// the text this script does nothing. Without it the bar still links to the top of the text.
"use strict";

(function () {
  const text = document.getElementById("article-text");
  const panel = document.getElementById("panel");
  const back = document.getElementById("back-to-text");
  if (!text || !panel || !back) return;
  const KEY = "factcheck:reader-spot:" + window.location.pathname;

  const stacked = () => panel.getBoundingClientRect().top >= text.getBoundingClientRect().bottom;
  // Reading the text: the middle of the window is above the panel.
  const inText = () => panel.getBoundingClientRect().top > window.innerHeight / 2;

  function rememberSpot() {
    if (stacked() && inText()) {
      try {
        window.sessionStorage.setItem(KEY, String(Math.round(window.scrollY)));
      } catch (error) {
        // Storage refused (private mode, quota): "Back to the text" goes to the claim's highlight instead.
      }
    }
  }

  function savedSpot() {
    try {
      const value = window.sessionStorage.getItem(KEY);
      return value === null ? null : Number(value);
    } catch (error) {
      return null;
    }
  }

  function selectedMark() {
    const id = text.dataset.selected;
    return id ? text.querySelector('[data-claims~="' + CSS.escape(id) + '"]') : null;
  }

  function backToText() {
    const spot = savedSpot();
    const mark = selectedMark();
    if (spot !== null) window.scrollTo(0, spot);
    else if (mark) mark.scrollIntoView({ block: "center" });
    else text.scrollIntoView({ block: "start" });
  }

  // A place kept from another page (a visit reached from the review queue, say) is not where this reader was.
  let cameFrom = "";
  try {
    cameFrom = document.referrer ? new URL(document.referrer).pathname : "";
  } catch (error) {
    cameFrom = "";
  }
  if (cameFrom !== window.location.pathname) {
    try {
      window.sessionStorage.removeItem(KEY);
    } catch (error) {
      // nothing kept, nothing to forget
    }
  }

  back.addEventListener("click", function (event) {
    if (!stacked()) return;
    event.preventDefault();
    backToText();
  });

  // Leaving the text for the panel: by tapping a highlight or a claim link (a new page load), with j/k, or by
  // claiming the selection (the form opens in the panel, far below).
  window.addEventListener("pagehide", rememberSpot);
  document.addEventListener("click", function (event) {
    if (event.target.closest("#claim-button, #to-panel")) rememberSpot();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "c" && !event.target.closest("input, textarea, select, [contenteditable]")) rememberSpot();
  }, true);

  // reader.js has opened the form (its listeners run first): bring it into view, its heading and quote included.
  function showClaimForm() {
    const form = document.getElementById("claim-form");
    if (form && !form.hidden && stacked()) form.scrollIntoView({ block: "start" });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("#claim-button")) showClaimForm();
    if (event.target.closest("#claim-cancel") && stacked()) backToText();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "c" && !event.target.closest("input, textarea, select, [contenteditable]")) showClaimForm();
  });

  // A claim was opened (a highlight, the claim list, the review queue): its panel is what the reader came for; and
  // a claim form sent back with its errors is where the reader was.
  if (stacked()) {
    const form = document.getElementById("claim-form");
    if (form && !form.hidden) form.scrollIntoView({ block: "start" });
    else if (text.dataset.selected) panel.scrollIntoView({ block: "start" });
  }
})();
