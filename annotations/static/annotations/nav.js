// The site menu on a phone: folded behind the Menu button, which opens and closes it (aria-expanded); Escape and a
// tap outside close it. Only app.css's phone media query folds it (.menu-folds), so a wide window shows the links
// as before. Without this script the button stays hidden and the links wrap onto several lines.
"use strict";

(function () {
  const toggle = document.getElementById("menu-toggle");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  const bar = toggle.closest(".topbar");
  if (!bar) return;

  const isOpen = () => toggle.getAttribute("aria-expanded") === "true";

  function setOpen(open, focusToggle) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    bar.classList.toggle("menu-open", open);
    if (!open && focusToggle) toggle.focus();
  }

  // The counts (in review, sent back, notices) are inside the folded menu: the button says that some are waiting.
  if (menu.querySelector(".nav .count")) {
    const waiting = document.createElement("span");
    waiting.className = "menu-waiting";
    waiting.textContent = " (new items)";
    toggle.append(waiting);
  }
  bar.classList.add("menu-folds");
  toggle.hidden = false;

  toggle.addEventListener("click", function () {
    setOpen(!isOpen(), false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen()) return;
    if (bar.contains(document.activeElement)) setOpen(false, true);
  });
  document.addEventListener("click", function (event) {
    if (isOpen() && !bar.contains(event.target)) setOpen(false, false);
  });
})();
