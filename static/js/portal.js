// Only the Bootstrap Italia behaviours every page needs: the mobile menu and visible
// keyboard focus. Pages that need more load their own module (see accordion.js).
import "../plugins/navbar-collapsible.js";
import TrackFocus from "../plugins/track-focus.js";

new TrackFocus();

// After a failed submission, start keyboard and screen-reader users from the list of errors.
document.getElementById("error-summary")?.focus();

// Forms that must not be sent twice (a double click on "submit"): the button is disabled
// after the first submission. The server is idempotent anyway.
for (const form of document.querySelectorAll("form[data-single-submit]")) {
  form.addEventListener("submit", () => {
    for (const button of form.querySelectorAll('button[type="submit"]')) {
      button.disabled = true;
    }
  });
}

// The Bootstrap Italia version, where the model's checks read it: the loaded stylesheet's own
// --bootstrap-italia-version (quoted), so it always matches the installed package.
if (!window.BOOTSTRAP_ITALIA_VERSION) {
  const version = getComputedStyle(document.documentElement)
    .getPropertyValue("--bootstrap-italia-version")
    .replace(/["']/g, "")
    .trim();
  if (version) {
    window.BOOTSTRAP_ITALIA_VERSION = version;
  }
}

// The header's user menu is a <details> element (it works without JavaScript); Escape and a
// click elsewhere close it, as a menu is expected to.
for (const menu of document.querySelectorAll("details.user-menu")) {
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) {
      menu.open = false;
    }
  });
}
