// Collapsible panels (FAQ accordions).
import "../plugins/collapse.js";
