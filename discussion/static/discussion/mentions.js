// @mention autocomplete for the discussion's comment boxes (textarea[data-mentions]): typing @ and the start of a
// name lists matching desk members from GET /api/desk-members/?q=; arrows move, Enter or Tab picks, Escape closes.
// Delegated from the document, so boxes of a panel that panel.js swapped in work without being set up again.
(function () {
  "use strict";
  const list = document.createElement("ul");
  list.className = "mention-list";
  list.id = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Desk members");
  list.hidden = true;
  let box = null;
  let active = -1;
  let members = [];
  let asked = 0;

  function wordAtCaret(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = /(^|[^\w@])@([\w.+-]{0,150})$/.exec(before);
    return match ? { start: before.length - match[2].length - 1, query: match[2] } : null;
  }

  function close() {
    list.hidden = true;
    active = -1;
    if (box) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
  }

  function highlight(index) {
    active = index;
    Array.from(list.children).forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (box && index >= 0) box.setAttribute("aria-activedescendant", "mention-option-" + index);
  }

  function show(textarea, rows) {
    members = rows;
    list.replaceChildren();
    if (!rows.length) { close(); return; }
    rows.forEach(function (member, i) {
      const item = document.createElement("li");
      item.id = "mention-option-" + i;
      item.setAttribute("role", "option");
      item.dataset.username = member.username;
      item.textContent = "@" + member.username;
      if (member.name && member.name !== member.username) {
        const name = document.createElement("span");
        name.className = "name";
        name.textContent = member.name;
        item.append(name);
      }
      item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
      list.append(item);
    });
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-expanded", "true");
    list.hidden = false;
    highlight(0);
  }

  function pick(index) {
    const member = members[index];
    const word = box && wordAtCaret(box);
    if (!member || !word) { close(); return; }
    const value = box.value;
    const caret = box.selectionStart;
    const inserted = "@" + member.username + " ";
    box.value = value.slice(0, word.start) + inserted + value.slice(caret);
    const at = word.start + inserted.length;
    box.setSelectionRange(at, at);
    close();
    box.focus();
  }

  async function lookUp(textarea) {
    const word = wordAtCaret(textarea);
    if (!word) { close(); return; }
    const ticket = ++asked;
    try {
      const response = await fetch("/api/desk-members/?q=" + encodeURIComponent(word.query), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (!response.ok || ticket !== asked) return;
      const data = await response.json();
      if (ticket === asked && document.activeElement === textarea) show(textarea, data.results || []);
    } catch (error) {
      close(); // no suggestions: typing the name in full still mentions
    }
  }

  document.addEventListener("input", function (event) {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.hasAttribute("data-mentions")) return;
    box = textarea;
    lookUp(textarea);
  });

  document.addEventListener("keydown", function (event) {
    if (list.hidden || event.target !== box) return;
    const count = list.children.length;
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % count); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + count) % count); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); pick(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === box) window.setTimeout(close, 100);
  });
})();
