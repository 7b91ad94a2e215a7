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
