/*
 * Library pages. Enhancements only: every action is a form or a link that works without it.
 *
 * - Undo toasts stay until dismissed or until the undo window closes (data-undo-seconds);
 *   a toast rendered in the page (after a delete that reloaded it) moves into the live
 *   region #toasts so it is announced and sits with the others.
 * - Bulk selection: "Select all shown" and a count of the selected tiles.
 * - "Load more": keyboard focus moves to the first new tile instead of being lost.
 * - Share link: the Copy button copies it (or selects it where the clipboard is refused).
 */
(function () {
  "use strict";

  function expireLater(toast) {
    if (toast.hasAttribute("data-undo-armed")) return;
    toast.setAttribute("data-undo-armed", "");
    var seconds = Number(toast.getAttribute("data-undo-seconds")) || 0;
    window.setTimeout(function () {
      toast.remove();
    }, seconds * 1000);
  }

  function adoptUndoToasts() {
    var region = document.getElementById("toasts");
    document.querySelectorAll("[data-undo-holder]").forEach(function (holder) {
      var toast = holder.querySelector("[data-undo-toast]");
      if (region && toast) region.appendChild(toast);
      holder.remove();
    });
    document.querySelectorAll("[data-undo-toast]").forEach(expireLater);
  }

  function picks() {
    return Array.prototype.slice.call(document.querySelectorAll("#bulk-form [data-pick]"));
  }

  function syncSelection() {
    var all = picks();
    var chosen = all.filter(function (box) {
      return box.checked;
    }).length;
    var count = document.querySelector("[data-selected-count]");
    if (count) count.textContent = chosen ? chosen + " selected" : "";
    var selectAll = document.querySelector("[data-select-all]");
    if (selectAll) {
      selectAll.checked = all.length > 0 && chosen === all.length;
      selectAll.indeterminate = chosen > 0 && chosen < all.length;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target.matches) return;
    if (target.matches("[data-select-all]")) {
      picks().forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.matches("[data-select-all], [data-pick]")) syncSelection();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = button.closest(".field") && button.closest(".field").querySelector("[data-copy-status]");
    if (!input) return;
    function selected() {
      input.focus();
      input.select();
      if (status) status.textContent = "Link selected: press Ctrl+C (or ⌘C) to copy it.";
    }
    if (!navigator.clipboard) return selected();
    navigator.clipboard.writeText(input.value).then(function () {
      if (status) status.textContent = "Link copied.";
    }, selected);
  });

  // "Load more" had keyboard focus: hand it to the first tile it brought, not to the page.
  var focusFrom = -1;
  function tiles() {
    return document.querySelectorAll("#library-grid > li[id^='asset-card-']");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var loading = elt && elt.matches && elt.matches("[data-load-more]") && document.activeElement === elt;
    focusFrom = loading ? tiles().length : -1;
  });

  document.addEventListener("htmx:afterSettle", function () {
    adoptUndoToasts();
    syncSelection();
    if (focusFrom < 0) return;
    var tile = tiles()[focusFrom];
    focusFrom = -1;
    var link = tile && tile.querySelector("h3 a");
    if (link) link.focus();
  });

  function init() {
    adoptUndoToasts();
    var wrap = document.querySelector("[data-select-all-wrap]");
    if (wrap) wrap.classList.remove("hidden");
    syncSelection();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
