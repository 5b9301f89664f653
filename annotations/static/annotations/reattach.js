// Re-attach a claim to the text selected in #reattach-text: fills the row's form with the selection's offsets.
// Offsets are counted in UTF-16 units within the element's text (the server converts them to code points), and the
// quote is cut from that same text, so that what is posted is exactly what the server will find at those offsets.
(function () {
  "use strict";
  var container = document.getElementById("reattach-text");
  var status = document.getElementById("reattach-status");
  if (!container) return;

  function offsetOf(node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function selectedSpan() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    return end > start ? { start: start, end: end } : null;
  }

  document.querySelectorAll("form.reattach-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var span = selectedSpan();
      if (!span) {
        event.preventDefault();
        status.textContent = "Select the claim's new text in the newest text below first.";
        container.scrollIntoView({ block: "nearest" });
        return;
      }
      form.elements.start.value = span.start;
      form.elements.end.value = span.end;
      form.elements.exact.value = container.textContent.slice(span.start, span.end);
    });
  });
})();
