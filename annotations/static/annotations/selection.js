// A text selection inside a container, as W3C selectors: TextPositionSelector offsets in UTF-16 code units over the
// container's text (exactly as the DOM counts them; the server converts them to code points) and a TextQuoteSelector
// cut from that same text. Used by the reader and by the re-attach page; sent as JSON because HTML form submission
// rewrites every newline inside a field value as CR LF.
"use strict";

window.factcheckSelection = (function () {
  const CONTEXT = 32;

  function rangeIn(container) {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    return range;
  }

  // Context must not begin or end in half of a surrogate pair (an emoji cut in two).
  function trimSurrogates(text, atStart) {
    if (atStart && /^[\uDC00-\uDFFF]/.test(text)) return text.slice(1);
    if (!atStart && /[\uD800-\uDBFF]$/.test(text)) return text.slice(0, -1);
    return text;
  }

  function selectors(container, range) {
    const before = document.createRange();
    before.selectNodeContents(container);
    before.setEnd(range.startContainer, range.startOffset);
    const text = container.textContent;
    const start = before.toString().length;
    const end = start + range.toString().length;
    return [
      { type: "TextPositionSelector", start: start, end: end },
      {
        type: "TextQuoteSelector",
        exact: text.slice(start, end),
        prefix: trimSurrogates(text.slice(Math.max(0, start - CONTEXT), start), true),
        suffix: trimSurrogates(text.slice(end, end + CONTEXT), false),
      },
    ];
  }

  return { rangeIn: rangeIn, selectors: selectors };
})();
