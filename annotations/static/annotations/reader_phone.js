// The reader when the panel is below the text (a phone: app.css stacks them under 900 px). Opening a claim shows its
// panel, "Claim selection" brings the claim form into view, and "Back to the text" returns to the last place read in
// the text; that place is also kept in sessionStorage, because opening a claim loads the page again. With the panel
// beside the text this script does nothing. Without it the bar still links to the top of the text.
"use strict";

(function () {
  const text = document.getElementById("article-text");
  const panel = document.getElementById("panel");
  const back = document.getElementById("back-to-text");
  if (!text || !panel || !back) return;
  const KEY = "factcheck:reader-spot:" + window.location.pathname;
  const typing = (target) => target.closest && target.closest("input, textarea, select, [contenteditable]");

  const stacked = () => panel.getBoundingClientRect().top >= text.getBoundingClientRect().bottom;

  const storage = {
    get() {
      try {
        const value = window.sessionStorage.getItem(KEY);
        return value === null ? null : Number(value);
      } catch (error) {
        return null; // storage refused (private mode): the claim's highlight is the way back
      }
    },
    set(value) {
      try {
        if (value === null) window.sessionStorage.removeItem(KEY);
        else window.sessionStorage.setItem(KEY, String(value));
      } catch (error) {
        // as above
      }
    },
  };

  // A place kept by another visit (this one came from the review queue, say) is not where this reader was.
  let cameFrom = "";
  try {
    cameFrom = document.referrer ? new URL(document.referrer).pathname : "";
  } catch (error) {
    cameFrom = "";
  }
  if (cameFrom !== window.location.pathname) storage.set(null);
  let spot = storage.get();

  // Scrolling, the place counts while only the text is in view (not the panel below it). Leaving the text by a
  // tap on it or on the toolbar, the place counts as long as some of the text is in view.
  function noteSpot(leaving) {
    if (!stacked()) return;
    const onlyText = panel.getBoundingClientRect().top >= window.innerHeight;
    if (onlyText || (leaving && text.getBoundingClientRect().bottom > 0)) spot = Math.round(window.scrollY);
  }

  function keepSpot() {
    noteSpot(true);
    storage.set(spot);
  }

  function selectedMark() {
    const id = text.dataset.selected;
    return id ? text.querySelector('[data-claims~="' + CSS.escape(id) + '"]') : null;
  }

  function backToText() {
    const mark = selectedMark();
    if (spot !== null) window.scrollTo(0, spot);
    else if (mark) mark.scrollIntoView({ block: "center" });
    else text.scrollIntoView({ block: "start" });
  }

  let scrolling = false;
  window.addEventListener(
    "scroll",
    function () {
      if (scrolling) return;
      scrolling = true;
      window.requestAnimationFrame(function () {
        scrolling = false;
        noteSpot(false);
      });
    },
    { passive: true }
  );

  back.addEventListener("click", function (event) {
    if (!stacked()) return;
    event.preventDefault();
    backToText();
  });

  // Leaving the text for the panel: a highlight or the menu of overlapping claims (a new page load), j/k, "Claims ↓",
  // or claiming the selection. The capture phase runs before reader.js moves anything.
  window.addEventListener("pagehide", function () {
    storage.set(spot);
  });
  document.addEventListener(
    "click",
    function (event) {
      if (event.target.closest("#claim-button, #to-panel, #article-text [data-claims], .claim-chooser a")) keepSpot();
    },
    true
  );
  document.addEventListener(
    "keydown",
    function (event) {
      if (["c", "j", "k"].includes(event.key) && !typing(event.target)) keepSpot();
    },
    true
  );

  // reader.js has opened the form (its listeners ran first): bring it into view, its heading and quote included.
  function showClaimForm() {
    const form = document.getElementById("claim-form");
    if (form && !form.hidden && stacked()) form.scrollIntoView({ block: "start" });
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("#claim-button")) showClaimForm();
    if (event.target.closest("#claim-cancel") && stacked()) backToText();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "c" && !typing(event.target)) showClaimForm();
  });

  // A claim was opened (a highlight, the claim list, the review queue): its panel is what the reader came for; and
  // a claim form sent back with its errors is where the reader was.
  if (stacked()) {
    const form = document.getElementById("claim-form");
    if (form && !form.hidden) form.scrollIntoView({ block: "start" });
    else if (text.dataset.selected) panel.scrollIntoView({ block: "start" });
  }
})();
