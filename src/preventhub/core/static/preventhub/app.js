// Progressive enhancement only: every page works without this file.
if (document.body.classList.contains("govuk-frontend-supported")) {
  window.GOVUKFrontend.initAll();
  window.MOJFrontend.initAll();
}

// A page about work done in the background (a report's file being made) checks again on its
// own: every few seconds it asks for itself, brings each [data-ph-live] part of the region up to
// date in place (the status line sits in a role="status" region, so the change is announced),
// and loads the page again once the region says the work has ended. Without this file the page
// has a "Check progress again" link instead; nothing refreshes the page on a timer.
document.querySelectorAll("[data-ph-check-again]").forEach(function (region) {
  var seconds = parseInt(region.getAttribute("data-ph-check-again"), 10) || 3;
  var timer = window.setInterval(function () {
    window.fetch(window.location.href, { credentials: "same-origin" })
      .then(function (answer) {
        return answer.ok ? answer.text() : Promise.reject(answer.status);
      })
      .then(function (html) {
        var page = new window.DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(region.id);
        if (!fresh || !fresh.hasAttribute("data-ph-check-again")) {
          window.clearInterval(timer);
          window.location.reload();
          return;
        }
        region.querySelectorAll("[data-ph-live]").forEach(function (part) {
          var now = fresh.querySelector('[data-ph-live="' + part.getAttribute("data-ph-live") + '"]');
          if (!now || now.outerHTML === part.outerHTML) {
            return;
          }
          if (part.tagName === "PROGRESS") {
            part.value = now.value;
          }
          part.textContent = now.textContent;
        });
        document.title = page.title;
      })
      .catch(function () {
        window.clearInterval(timer); // the link still works
      });
  }, seconds * 1000);
});
