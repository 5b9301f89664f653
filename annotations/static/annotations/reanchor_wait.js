// The reader lists claims not yet re-anchored on a new revision as "Re-attaching…" (a worker locates them on a
// large article). Ask the server how many are left, and show the page again once none is: at once, unless the
// user is making a claim (open form or a selection), who is then offered a link instead of losing their work.
(function () {
  "use strict";
  const marker = document.getElementById("reanchor-pending");
  if (!marker || !window.fetch) return;
  const url = marker.dataset.statusUrl;
  let delay = 1000;
  const started = Date.now();

  function busy() {
    const form = document.getElementById("claim-form");
    const selection = window.getSelection && window.getSelection();
    return (form && !form.hidden) || (selection && !selection.isCollapsed);
  }

  function done() {
    if (!busy()) {
      window.location.reload();
      return;
    }
    const note = document.getElementById("reanchor-note");
    if (note) {
      note.textContent = "The claims are re-attached. ";
      const link = document.createElement("a");
      link.href = window.location.pathname;
      link.textContent = "Show them";
      note.appendChild(link);
    }
  }

  function later() {
    // Less and less often, and not for ever: the periodic sweep re-sends lost work within a few minutes.
    if (Date.now() - started > 10 * 60 * 1000) return;
    delay = Math.min(delay * 1.5, 10000);
    window.setTimeout(check, delay);
  }

  function check() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((status) => (status && status.pending === 0 ? done() : later()))
      .catch(later);
  }

  window.setTimeout(check, delay);
})();
