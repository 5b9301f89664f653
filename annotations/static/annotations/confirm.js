// Approve and publish ask first. Each form.confirm-form holds the checklist the server computed (.confirm-box);
// here it moves into a modal <dialog> that the form's button (or the reader's `a` key) opens. Enter confirms,
// Esc or Cancel closes it and gives focus back. Without JavaScript the box stays in the page with a checkbox.
"use strict";

(function () {
  function setUp(form) {
    const box = form.querySelector(".confirm-box");
    const opener = form.querySelector(".confirm-open");
    if (!box || !opener || form.dataset.confirmReady) return;
    form.dataset.confirmReady = "1";
    const check = box.querySelector("input[name=confirm]");
    const reason = box.querySelector("input[name=override]");

    const dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    const title = document.createElement("h2");
    title.id = (form.id || "confirm") + "-title";
    title.textContent = form.dataset.confirmTitle || "Are you sure?";
    dialog.setAttribute("aria-labelledby", title.id);
    const actions = document.createElement("div");
    actions.className = "dialog-actions";
    const ok = document.createElement("button");
    ok.type = "submit";
    ok.className = "confirm-ok";
    ok.textContent = form.dataset.confirmLabel || "Confirm";
    ok.disabled = Boolean(box.dataset.refused); // a refusal (no short statement, ...) has no override
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary confirm-cancel";
    cancel.textContent = "Cancel";
    actions.append(ok, cancel);
    // Opening the dialog and confirming in it is the deliberate act that the checkbox stands for without it.
    check.closest("label").hidden = true;
    dialog.append(title, box, actions);
    form.append(dialog); // still inside the form, so its fields are posted with it
    opener.type = "button";

    let sending = false;
    function open() {
      if (dialog.open) return;
      check.checked = true;
      dialog.showModal();
      (reason || (ok.disabled ? cancel : ok)).focus();
    }
    opener.addEventListener("click", open);
    cancel.addEventListener("click", function () { dialog.close(); });
    form.addEventListener("submit", function () { sending = true; });
    dialog.addEventListener("close", function () {
      if (sending) return;
      check.checked = false;
      opener.focus();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target.tagName === "BUTTON" || event.target.tagName === "TEXTAREA") return;
      event.preventDefault();
      if (!ok.disabled) form.requestSubmit(ok); // the browser asks for the reason first when it is required
    });
  }

  // Also for forms put in the page later (the reader's panel, replaced in place by panel.js).
  window.factcheckConfirm = function (root) {
    root.querySelectorAll("form.confirm-form").forEach(setUp);
  };
  window.factcheckConfirm(document);
})();
