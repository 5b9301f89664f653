// The reader: claim the selected text (selectors from selection.js), warn when it overlaps existing claims or repeats
// one elsewhere (repeats.js), choose between claims where highlights overlap, move between claims, keyboard
// shortcuts. The panel may be replaced in place (panel.js), so its elements are looked up when needed, never kept.
"use strict";

(function () {
  const container = document.getElementById("article-text");
  if (!container) return;
  const claimButton = document.getElementById("claim-button");
  const help = document.getElementById("shortcut-help");
  const LABEL = 90;

  const claimForm = () => document.getElementById("claim-form");
  const order = () => (container.dataset.claimOrder || "").split(" ").filter(Boolean);
  const selectedClaim = () => container.dataset.selected || "";
  const selectionInText = () => window.factcheckSelection.rangeIn(container);

  function truncate(value) {
    const squashed = value.replace(/\s+/g, " ").trim();
    return squashed.length > LABEL ? squashed.slice(0, LABEL - 1) + "…" : squashed;
  }

  // Where each highlighted claim is, in the same UTF-16 offsets as the selectors, and its text: read from the
  // highlights themselves (a claim's pieces are consecutive, so their text joined is the claim's).
  function highlightedClaims() {
    const claims = new Map();
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let position = 0;
    let node;
    while ((node = walker.nextNode())) {
      const mark = node.parentElement && node.parentElement.closest("[data-claims]");
      if (mark && container.contains(mark)) {
        mark.dataset.claims.split(" ").forEach(function (id) {
          const claim = claims.get(id);
          if (claim) {
            claim.end = position + node.data.length;
            claim.text += node.data;
          } else {
            claims.set(id, { id: id, start: position, end: position + node.data.length, text: node.data });
          }
        });
      }
      position += node.data.length;
    }
    return claims;
  }

  function claimLink(claim) {
    const link = document.createElement("a");
    link.href = "?claim=" + encodeURIComponent(claim.id) + "#panel";
    link.textContent = truncate(claim.text);
    return link;
  }

  // Before a claim is made: the claims its text overlaps, linked, and the ids posted so the server knows they
  // were shown (it warns again about any claim made meanwhile).
  function showOverlaps(form, position) {
    const box = form.querySelector("#claim-overlap");
    const list = form.querySelector("#claim-overlap-list");
    if (!box || !list) return [];
    const found = Array.from(highlightedClaims().values()).filter(function (claim) {
      return claim.start < position.end && position.start < claim.end;
    });
    list.replaceChildren();
    found.forEach(function (claim) {
      const item = document.createElement("li");
      item.append(claimLink(claim));
      if (claim.start === position.start && claim.end === position.end) {
        const same = document.createElement("span");
        same.className = "muted";
        same.textContent = " (the same text)";
        item.append(same);
      }
      const seen = document.createElement("input");
      seen.type = "hidden";
      seen.name = "overlaps";
      seen.value = claim.id;
      item.append(seen);
      list.append(item);
    });
    const head = box.querySelector("strong");
    if (head) {
      head.textContent = found.length === 1
        ? "This text overlaps an existing claim:"
        : "This text overlaps " + found.length + " existing claims:";
    }
    box.hidden = found.length === 0;
    return found;
  }

  // Elsewhere in the article: highlighted claims whose text says nearly the same as the selection (repeats.js).
  // The server compares the short statement too, when the form is posted.
  function showRepeats(form, selectors, overlapping) {
    const box = form.querySelector("#claim-repeat");
    const list = form.querySelector("#claim-repeat-list");
    if (!box || !list || !window.factcheckRepeats) return [];
    const skip = new Set(overlapping.map(function (claim) { return claim.id; }));
    const found = Array.from(highlightedClaims().values()).filter(function (claim) {
      return !skip.has(claim.id) && window.factcheckRepeats.nearlySame(claim.text, selectors[1].exact);
    });
    list.replaceChildren();
    found.forEach(function (claim) {
      const item = document.createElement("li");
      const seen = document.createElement("input");
      seen.type = "hidden";
      seen.name = "repeats";
      seen.value = claim.id;
      item.append(claimLink(claim), seen);
      list.append(item);
    });
    const head = box.querySelector("strong");
    if (head) {
      head.textContent = found.length > 1
        ? "This repeats claims already made in this article:"
        : "This repeats a claim already made in this article:";
    }
    box.hidden = found.length === 0;
    return found;
  }

  // The selected text (a user's drag, or a suggestion's sentence that suggestions.js selected) into the claim form.
  function claimSelection() {
    const range = selectionInText();
    const form = claimForm();
    if (!range || !form) return false;
    const selectors = window.factcheckSelection.selectors(container, range);
    form.elements.selectors.value = JSON.stringify(selectors);
    document.getElementById("claim-preview").textContent = selectors[1].exact;
    const overlapping = showOverlaps(form, selectors[0]) || [];
    const repeated = showRepeats(form, selectors, overlapping);
    const submit = form.querySelector("#claim-submit");
    if (submit) submit.textContent = overlapping.length || repeated.length ? "Create claim anyway" : "Create claim";
    form.hidden = false;
    form.elements.claimant.focus();
    // The corpus's matches for the selection (matching's matches.js).
    document.dispatchEvent(new CustomEvent("factcheck:claim-form-opened", { detail: { text: selectors[1].exact } }));
    return true;
  }

  function goToClaim(id) {
    if (id) window.location.search = "?claim=" + encodeURIComponent(id);
  }

  function step(delta) {
    const ids = order();
    if (ids.length === 0) return;
    const index = ids.indexOf(selectedClaim());
    const next = index === -1 ? (delta > 0 ? 0 : ids.length - 1) : (index + delta + ids.length) % ids.length;
    goToClaim(ids[next]);
  }

  function toggleHelp(show) {
    if (help) help.hidden = show === undefined ? !help.hidden : !show;
  }

  // --- Where claims overlap: a small menu to choose one ---------------------------------------------------------

  let chooser = null;

  function closeChooser(focusBack) {
    if (!chooser) return;
    const { menu, mark } = chooser;
    chooser = null;
    menu.remove();
    mark.setAttribute("aria-expanded", "false");
    if (focusBack) mark.focus();
  }

  function openChooser(mark) {
    closeChooser(false);
    const claims = highlightedClaims();
    const menu = document.createElement("div");
    menu.className = "claim-chooser";
    menu.id = "claim-chooser";
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", "Claims on this text");
    const title = document.createElement("p");
    title.className = "claim-chooser-title";
    title.textContent = "Claims on this text";
    menu.append(title);
    mark.dataset.claims.split(" ").forEach(function (id) {
      const claim = claims.get(id);
      if (!claim) return;
      const item = claimLink(claim);
      item.setAttribute("role", "menuitem");
      item.tabIndex = -1;
      if (id === selectedClaim()) item.setAttribute("aria-current", "true");
      menu.append(item);
    });
    document.body.append(menu);
    // Below the highlight, kept inside the window (CSSOM properties: allowed by the strict style-src).
    const rect = mark.getBoundingClientRect();
    const width = menu.offsetWidth;
    const left = Math.max(8, Math.min(rect.left, document.documentElement.clientWidth - width - 8));
    menu.style.left = window.scrollX + left + "px";
    menu.style.top = window.scrollY + rect.bottom + 4 + "px";
    mark.setAttribute("aria-expanded", "true");
    chooser = { menu: menu, mark: mark };
    const items = menu.querySelectorAll("[role=menuitem]");
    if (items.length) items[0].focus();

    menu.addEventListener("keydown", function (event) {
      const list = Array.from(menu.querySelectorAll("[role=menuitem]"));
      const index = list.indexOf(document.activeElement);
      let next = null;
      if (event.key === "ArrowDown") next = (index + 1) % list.length;
      else if (event.key === "ArrowUp") next = (index - 1 + list.length) % list.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = list.length - 1;
      else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        closeChooser(true);
        return;
      } else if (event.key === "Tab") {
        closeChooser(false);
        return;
      } else if (event.key === " ") {
        event.preventDefault();
        if (index >= 0) list[index].click();
        return;
      }
      if (next !== null) {
        event.preventDefault();
        list[next].focus();
      }
    });
  }

  // Overlapping pieces can be reached with Tab and opened with Enter or Space, like the menu button they are.
  function markOverlaps() {
    container.querySelectorAll(".hl.overlap[data-claims]").forEach(function (mark) {
      mark.tabIndex = 0;
      mark.setAttribute("role", "button");
      mark.setAttribute("aria-haspopup", "menu");
      mark.setAttribute("aria-expanded", "false");
      mark.title = "Several claims overlap here: choose one";
    });
  }

  document.addEventListener("selectionchange", function () {
    if (claimButton) claimButton.disabled = selectionInText() === null;
  });
  if (claimButton) claimButton.addEventListener("click", claimSelection);
  document.addEventListener("click", function (event) {
    if (event.target.closest("#claim-cancel")) {
      const form = claimForm();
      if (form) form.hidden = true;
    }
    if (chooser && !chooser.menu.contains(event.target) && !chooser.mark.contains(event.target)) closeChooser(false);
  });
  const helpButton = document.getElementById("help-button");
  if (helpButton) helpButton.addEventListener("click", function () { toggleHelp(); });
  const helpClose = document.getElementById("help-close");
  if (helpClose) helpClose.addEventListener("click", function () { toggleHelp(false); });

  container.addEventListener("click", function (event) {
    if (selectionInText()) return; // finishing a selection is not a click on a claim
    const mark = event.target.closest("[data-claims]");
    if (!mark) return;
    const ids = mark.dataset.claims.split(" ");
    if (ids.length > 1) openChooser(mark);
    else goToClaim(ids[0]);
  });
  container.addEventListener("keydown", function (event) {
    const mark = event.target.closest && event.target.closest(".hl.overlap[data-claims]");
    if (!mark || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    event.stopPropagation();
    openChooser(mark);
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
        closeChooser(false);
        step(1);
        break;
      case "k":
        closeChooser(false);
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
      case "Escape": {
        toggleHelp(false);
        closeChooser(false);
        const form = claimForm();
        if (form) form.hidden = form.querySelector(".errorlist") === null ? true : form.hidden;
        break;
      }
      default:
        return;
    }
  });

  window.factcheckReader = { claimSelection: claimSelection };

  document.addEventListener("factcheck:article-updated", function () {
    closeChooser(false);
    markOverlaps();
  });
  markOverlaps();

  const selected = selectedClaim();
  if (selected) {
    const mark = container.querySelector('[data-claims~="' + CSS.escape(selected) + '"]');
    if (mark) mark.scrollIntoView({ block: "center" });
  }
})();
