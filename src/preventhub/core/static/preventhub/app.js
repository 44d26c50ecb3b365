// Progressive enhancement only: every page works without this file.
if (document.body.classList.contains("govuk-frontend-supported")) {
  window.GOVUKFrontend.initAll();
  window.MOJFrontend.initAll();
}
