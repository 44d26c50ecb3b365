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

// A form that changes something is sent once. A second press of its button (a double click, an
// impatient click while the next page loads, Enter pressed twice) would send it again: the
// server would record the referral, the meeting or the payment of a return twice, or answer the
// second with the conflict page while the first had landed. GOV.UK Frontend's
// data-prevent-double-click guards one button for a second; this guards every POST form, however
// it is sent, until the next page replaces this one. After RESEND_AFTER_MS (a form whose answer
// is a download leaves the page in place) or on coming back to the page (the back button shows
// it from the browser's cache), it may be sent again.
(function () {
  var RESEND_AFTER_MS = 10000;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // Stopped by the page itself (a check that failed): it was not sent.
    if (event.defaultPrevented) {
      return;
    }
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute("data-ph-sent")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-ph-sent", "");
    window.setTimeout(function () {
      form.removeAttribute("data-ph-sent");
    }, RESEND_AFTER_MS);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-ph-sent]").forEach(function (form) {
      form.removeAttribute("data-ph-sent");
    });
  });
})();
