// The reader: turn a text selection into W3C selectors, move between claims, and keyboard shortcuts.
// Offsets are counted in UTF-16 code units over the text container, exactly as the DOM counts them;
// the server converts them to code points and checks the quote against the stored text.
"use strict";

(function () {
  const container = document.getElementById("article-text");
  if (!container) return;
  const CONTEXT = 32;
  const form = document.getElementById("claim-form");
  const claimButton = document.getElementById("claim-button");
  const help = document.getElementById("shortcut-help");
  const order = (container.dataset.claimOrder || "").split(" ").filter(Boolean);
  const selected = container.dataset.selected;

  function selectionInText() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    return range;
  }

  // TextPositionSelector of a range: the length of the text before it, and after it.
  function offsetsOf(range) {
    const before = document.createRange();
    before.selectNodeContents(container);
    before.setEnd(range.startContainer, range.startOffset);
    const start = before.toString().length;
    return { start: start, end: start + range.toString().length };
  }

  // Context must not begin or end in half of a surrogate pair (an emoji cut in two).
  function trimSurrogates(text, atStart) {
    if (atStart && /^[\uDC00-\uDFFF]/.test(text)) return text.slice(1);
    if (!atStart && /[\uD800-\uDBFF]$/.test(text)) return text.slice(0, -1);
    return text;
  }

  function claimSelection() {
    const range = selectionInText();
    if (!range || !form) return false;
    const text = container.textContent;
    const { start, end } = offsetsOf(range);
    const exact = text.slice(start, end);
    form.elements.selectors.value = JSON.stringify([
      { type: "TextPositionSelector", start: start, end: end },
      {
        type: "TextQuoteSelector",
        exact: exact,
        prefix: trimSurrogates(text.slice(Math.max(0, start - CONTEXT), start), true),
        suffix: trimSurrogates(text.slice(end, end + CONTEXT), false),
      },
    ]);
    document.getElementById("claim-preview").textContent = exact;
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
        const approve = document.getElementById("approve-form");
        if (approve) approve.requestSubmit();
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
