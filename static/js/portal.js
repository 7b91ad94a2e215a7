// Only the Bootstrap Italia behaviours every page needs: the mobile menu and visible
// keyboard focus. Pages that need more load their own module (see accordion.js).
import "../plugins/navbar-collapsible.js";
import TrackFocus from "../plugins/track-focus.js";

new TrackFocus();

// After a failed submission, start keyboard and screen-reader users from the list of errors.
document.getElementById("error-summary")?.focus();
