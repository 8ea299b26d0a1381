/*
 * The notification bell. An enhancement: without it the bell's panel links to /notifications/.
 *
 * - Opening the bell (a <details data-bell>) sends "bell:open" to its panel, which htmx answers
 *   by loading the latest notifications (hx-trigger="bell:open": no eval under the CSP).
 * - Each live notification app.js receives over the websocket ("aura:notification" with a
 *   `notification` id) adds one to the unread count, and reloads the panel if it is open.
 * - A panel swapped in by htmx (opening, "Mark all read") carries data-unread: the count follows.
 */
(function () {
  "use strict";

  function bell() {
    return document.querySelector("details[data-bell]");
  }

  function setCount(count) {
    var element = bell();
    if (!element) return;
    count = Math.max(0, count | 0);
    element.setAttribute("data-unread", String(count));
    var badge = element.querySelector("[data-bell-count]");
    if (badge) {
      badge.textContent = count > 99 ? "99+" : String(count);
      badge.hidden = count === 0;
    }
    var summary = element.querySelector("[data-bell-summary]");
    if (summary) {
      summary.setAttribute("aria-label", count ? "Notifications, " + count + " unread" : "Notifications");
    }
  }

  function currentCount() {
    var element = bell();
    return element ? parseInt(element.getAttribute("data-unread") || "0", 10) || 0 : 0;
  }

  function refreshPanel() {
    var element = bell();
    var panel = element && element.querySelector("#notification-panel");
    if (panel) panel.dispatchEvent(new CustomEvent("bell:open"));
  }

  function init() {
    var element = bell();
    if (!element) return;
    element.addEventListener("toggle", function () {
      if (element.open) refreshPanel();
    });
  }

  document.addEventListener("aura:notification", function (event) {
    var data = event.detail || {};
    if (typeof data.notification !== "number") return;
    setCount(currentCount() + 1);
    var element = bell();
    if (element && element.open) refreshPanel();
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (!target || !target.querySelector) return;
    var panel = target.matches("[data-notification-panel]")
      ? target
      : target.querySelector("[data-notification-panel]");
    if (panel) setCount(parseInt(panel.getAttribute("data-unread") || "0", 10));
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
