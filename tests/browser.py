"""Shared pieces of the browser tests: Debian's Chromium through Playwright, and the demo newsroom."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Selects the first occurrence of `phrase` in the article text the way a user's drag would: a DOM Range.
SELECT_PHRASE = """(phrase) => {
  const root = document.getElementById("article-text");
  const start = root.textContent.indexOf(phrase);
  if (start < 0) throw new Error("phrase not in the text: " + phrase);
  const end = start + phrase.length;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let pos = 0, node, startNode, startOffset, endNode, endOffset;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (!startNode && start < pos + len) { startNode = node; startOffset = start - pos; }
    if (!endNode && end <= pos + len) { endNode = node; endOffset = end - pos; }
    pos += len;
  }
  const range = document.createRange();
  range.setStart(startNode, startOffset);
  range.setEnd(endNode, endOffset);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event("selectionchange"));
}"""

# Records Content-Security-Policy violations (Chromium also logs them to the console).
CSP_WATCH = """window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));"""


def require_chromium():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


def login(page, live_server, username: str, password: str):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.form button[type=submit]")
    page.wait_for_selector(".who .user", state="attached")  # on a phone it is inside the folded menu


def open_menu(page):
    """On a phone the staff menu is folded behind its button (nav.js): open it. A wide window: nothing to do."""
    toggle = page.locator("#menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
        page.wait_for_selector("#site-menu .nav", state="visible")


def logout(page):
    open_menu(page)
    page.click(".who form button")
    page.wait_for_selector("text=Log in")
