// Start GOV.UK Frontend components. Everything works without JavaScript; this only enhances.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
