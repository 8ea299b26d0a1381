/*
 * AuraStream app shell behaviour. Everything here is an enhancement: every page works
 * without it (menus are <details>, the theme switch is a plain form).
 *
 * - Toasts: dismiss buttons, auto-dismiss for non-errors, and `auraToast(kind, message)`.
 * - Live notifications: signed-in pages (body[data-notifications-url]) open a websocket and
 *   turn each JSON message {"kind": "...", "message": "...", "link"?: "/path/"} into a toast
 *   (with an "Open" link when one is given); reconnects with
 *   exponential backoff.
 * - Menus: close an open <details data-menu> on outside click or Escape.
 * - Theme: when the theme form is posted through htmx (204), flip the page's class in place.
 * - Generate page: show the chosen asset type's facts, offer only its layouts (and no layout
 *   field for a type with one layout of its own), keep variants at 1 for packs, and give each
 *   page view its own idempotency key (a double click reuses it; Back does not).
 * - Brand kit editor: keep each colour's hex code beside its swatch, draw the extra swatches as
 *   they are typed, and let the contrast table's "Use #RRGGBB" buttons set a colour (which
 *   refreshes the preview and the table through their htmx triggers).
 * - Live regions: an element swapped in by htmx with data-announce / data-announce-to has its
 *   text read out by the named, persistent live region, only when the text changed; a live
 *   region marked data-swap-if-changed ignores swaps that bring the same words.
 */
(function () {
  "use strict";

  var TOAST_KINDS = ["success", "info", "warning", "error", "debug"];
  var AUTO_DISMISS_MS = 7000;

  function region() {
    return document.getElementById("toasts");
  }

  function dismiss(toast) {
    if (!toast || toast.hasAttribute("data-leaving")) return;
    toast.setAttribute("data-leaving", "");
    window.setTimeout(function () {
      toast.remove();
    }, 200);
  }

  function scheduleDismiss(toast) {
    // Errors and warnings stay until dismissed; the rest leave on their own, but never
    // while the pointer or keyboard focus is on them.
    var kind = toast.getAttribute("data-kind");
    if (kind === "error" || kind === "warning") return;
    var timer = null;
    function start() {
      timer = window.setTimeout(function () {
        dismiss(toast);
      }, AUTO_DISMISS_MS);
    }
    function stop() {
      window.clearTimeout(timer);
    }
    toast.addEventListener("mouseenter", stop);
    toast.addEventListener("focusin", stop);
    toast.addEventListener("mouseleave", start);
    toast.addEventListener("focusout", start);
    start();
  }

  function iconFor(kind) {
    if (kind === "success") return "\u2713";
    if (kind === "error" || kind === "warning") return "!";
    return "i";
  }

  function showToast(kind, message, link) {
    var container = region();
    var template = document.getElementById("toast-template");
    if (!container || !template || !message) return null;
    kind = TOAST_KINDS.indexOf(kind) === -1 ? "info" : kind;
    var toast = template.content.firstElementChild.cloneNode(true);
    toast.setAttribute("data-kind", kind);
    toast.querySelector("[data-toast-icon]").textContent = iconFor(kind);
    // textContent, never innerHTML: pushed messages are data, not markup.
    toast.querySelector("[data-toast-text]").textContent = String(message);
    // A notification's link (its job, the billing page): a path on this site only.
    if (typeof link === "string" && /^\/(?![\/\\])/.test(link)) {
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.className = "link ml-1";
      anchor.textContent = "Open";
      toast.querySelector("[data-toast-text]").append(" ", anchor);
    }
    container.appendChild(toast);
    // Keep the stack short on small screens.
    while (container.children.length > 4) container.firstElementChild.remove();
    scheduleDismiss(toast);
    return toast;
  }
  window.auraToast = showToast;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-toast-dismiss]");
    if (button) dismiss(button.closest("[data-toast]"));

    // Close open menus when clicking elsewhere.
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) summary.focus();
    });
  });

  // Theme switch through htmx: the server answers 204 and sets the cookie; we flip the class.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail && event.detail.elt;
    if (!form || !form.matches || !form.matches("[data-theme-toggle]")) return;
    if (!event.detail.successful) return;
    var input = form.querySelector('input[name="theme"]');
    var chosen = input.value === "light" ? "light" : "dark";
    var root = document.documentElement;
    root.classList.remove("dark", "light");
    root.classList.add(chosen);
    // Every theme form on the page (header and footer) now offers the other theme.
    document.querySelectorAll('[data-theme-toggle] input[name="theme"]').forEach(function (other) {
      other.value = chosen === "light" ? "dark" : "light";
    });
    var meta = document.querySelector('meta[name="theme-color"]');
    if (meta) meta.setAttribute("content", chosen === "light" ? "#f6f5fb" : "#09080f");
  });

  // Generate page ----------------------------------------------------------------------
  function syncSpecInfo() {
    var select = document.querySelector('.generate-form select[name="spec_key"]');
    if (!select) return;
    document.querySelectorAll("[data-spec-info]").forEach(function (info) {
      info.hidden = info.getAttribute("data-spec-info") !== select.value;
    });
  }

  // The layouts of the chosen type's family: each option names its families (data-families),
  // each type's facts its family (data-family). A layout of another family is cleared.
  function syncLayouts() {
    var select = document.querySelector('.generate-form select[name="spec_key"]');
    var layout = document.querySelector('.generate-form select[name="layout"]');
    if (!select || !layout) return;
    var family = "";
    document.querySelectorAll("[data-spec-info][data-family]").forEach(function (info) {
      if (info.getAttribute("data-spec-info") === select.value) family = info.getAttribute("data-family");
    });
    var offered = 0;
    Array.prototype.forEach.call(layout.options, function (option) {
      var families = option.getAttribute("data-families");
      if (families === null) return; // "Let the words decide"
      var fits = families.split(" ").indexOf(family) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
      if (fits) offered += 1;
    });
    var chosen = layout.options[layout.selectedIndex];
    if (chosen && chosen.disabled) layout.value = "";
    var field = layout.closest("[data-layout-field]");
    if (field && !field.hasAttribute("data-has-errors")) field.hidden = offered === 0;
    syncMotion(select.value, family);
  }

  // Motion settings show for animated types only, with the animations the type's family takes.
  function syncMotion(key, family) {
    var fields = document.querySelector(".generate-form [data-motion-fields]");
    if (!fields) return;
    var info = document.querySelector('[data-spec-info="' + key + '"][data-family]');
    fields.hidden = !(info && info.hasAttribute("data-animated"));
    fields.disabled = fields.hidden; // a still type sends no motion settings
    var animation = fields.querySelector('select[name="animation"]');
    if (!animation) return;
    Array.prototype.forEach.call(animation.options, function (option) {
      var families = option.getAttribute("data-families");
      if (families === null) return; // the type's default
      var fits = families.split(" ").indexOf(family) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
    });
    var chosen = animation.options[animation.selectedIndex];
    if (chosen && chosen.disabled) animation.value = "";
    // Frame rates: only the type's own (alerts and overlays also take 60); none to pick, no field.
    var rates = ((info && info.getAttribute("data-rates")) || "").split(" ");
    var rate = fields.querySelector('select[name="fps"]');
    var rateField = fields.querySelector("[data-fps-field]");
    if (rate) {
      Array.prototype.forEach.call(rate.options, function (option) {
        var fits = option.value === "0" || rates.indexOf(option.value) !== -1;
        option.hidden = !fits;
        option.disabled = !fits;
      });
      if (rate.options[rate.selectedIndex] && rate.options[rate.selectedIndex].disabled) rate.value = "0";
    }
    if (rateField) rateField.hidden = rates.length < 2;
  }

  function freshIdempotencyKeys(force) {
    document.querySelectorAll("input[data-idempotency-key]").forEach(function (input) {
      if (input.value && !force) return;
      input.value =
        window.crypto && window.crypto.randomUUID
          ? window.crypto.randomUUID()
          : Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
    });
  }

  // Capture phase: runs before htmx (listening further down) posts the form for its cost.
  document.addEventListener(
    "change",
    function (event) {
      var target = event.target;
      if (!target.matches || !target.closest(".generate-form")) return;
      if (target.matches('select[name="spec_key"]')) {
        syncSpecInfo();
        syncLayouts();
      }
      if (target.matches('select[name="pack"]') && target.value) {
        var variants = target.form && target.form.elements.namedItem("variants");
        if (variants) variants.value = "1";
      }
    },
    true
  );

  // Compare versions: the slider moves the split between the before and after images.
  document.addEventListener("input", function (event) {
    var range = event.target.matches && event.target.matches("[data-compare-range]") ? event.target : null;
    var stack = range && range.closest("section").querySelector("[data-compare-stack]");
    if (stack) stack.style.setProperty("--split", range.value + "%");
  });

  // Quick Create: "Shuffle" draws the preview again with a new seed (Generate uses it too).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-shuffle-seed]");
    var form = button && button.closest("form");
    var seed = form && form.querySelector('input[name="seed"]');
    if (!seed) return;
    seed.value = String(Math.floor(Math.random() * 2147483647));
    if (window.htmx) window.htmx.trigger(form, "shuffle");
  });

  window.addEventListener("pageshow", function (event) {
    // Back/forward cache: the restored form may show another type, and must not reuse the key
    // of the job it already started.
    syncSpecInfo();
    syncLayouts();
    if (event.persisted) freshIdempotencyKeys(true);
  });

  // A live region re-reads whatever is swapped into it, even the same words (the cost line is
  // fetched again after every pause in typing): skip swaps that would not change its text.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute("data-swap-if-changed")) return;
    // DOMParser: an inert document, so nothing in the response loads or runs.
    var incoming = new DOMParser().parseFromString(event.detail.serverResponse, "text/html").body;
    var squash = function (text) {
      return text.replace(/\s+/g, " ").trim();
    };
    if (squash(incoming.textContent) === squash(target.textContent)) event.detail.shouldSwap = false;
  });

  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-announce][data-announce-to]").forEach(function (source) {
      var region = document.getElementById(source.getAttribute("data-announce-to"));
      var text = source.getAttribute("data-announce");
      if (region && region.textContent !== text) region.textContent = text;
    });
  });

  // Brand kit editor ------------------------------------------------------------------
  var HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

  function syncHex(input) {
    var label = document.querySelector('[data-hex-of="' + input.id + '"]');
    if (label) label.textContent = input.value.toUpperCase();
  }

  function syncExtraSwatches(field) {
    var list = document.querySelector('[data-extra-swatches="' + field.id + '"]');
    if (!list) return;
    list.replaceChildren();
    field.value.split(/[\s,]+/).forEach(function (word) {
      var match = HEX.exec(word);
      if (!match) return;
      var digits = match[1].length === 3 ? match[1].replace(/(.)/g, "$1$1") : match[1];
      var hex = "#" + digits.toUpperCase();
      var item = document.createElement("li");
      item.className = "swatch";
      item.style.backgroundColor = hex;
      item.title = hex;
      var name = document.createElement("span");
      name.className = "sr-only";
      name.textContent = hex;
      item.appendChild(name);
      list.appendChild(item);
    });
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!target.matches || !target.closest("[data-kit-form]")) return;
    if (target.matches('input[type="color"]')) {
      syncHex(target);
      // The contrast table listens for this (an event of its own: htmx trigger filters would
      // need eval, which the Content-Security-Policy refuses).
      target.dispatchEvent(new CustomEvent("kit:colour", { bubbles: true }));
    }
    if (target.matches('[name="extra_colors"]')) syncExtraSwatches(target);
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches('[data-kit-form] input[type="color"]')) {
      target.dispatchEvent(new CustomEvent("kit:colour", { bubbles: true }));
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-set-color]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-set-color"));
    if (!input) return;
    input.value = button.getAttribute("data-color").toLowerCase();
    // The button goes away when the table refreshes: keep focus on the colour it changed.
    input.focus();
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  function syncKitForm() {
    // Also after Back: the browser may restore other values than the page was drawn with.
    document.querySelectorAll('[data-kit-form] input[type="color"]').forEach(syncHex);
    document.querySelectorAll('[data-kit-form] [name="extra_colors"]').forEach(syncExtraSwatches);
  }
  window.addEventListener("pageshow", syncKitForm);

  function connectNotifications(path) {
    if (!("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var url = scheme + "//" + window.location.host + path;
    var attempt = 0;
    var socket = null;

    function reconnectLater() {
      // 1 s, 2 s, 4 s … capped at 30 s, with jitter so tabs do not reconnect in lockstep.
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
      delay = delay / 2 + Math.random() * (delay / 2);
      attempt += 1;
      window.setTimeout(open, delay);
    }

    function open() {
      try {
        socket = new WebSocket(url);
      } catch (error) {
        reconnectLater();
        return;
      }
      socket.addEventListener("open", function () {
        attempt = 0;
      });
      socket.addEventListener("message", function (event) {
        var data;
        try {
          data = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        if (data && typeof data.message === "string" && data.message) {
          showToast(data.kind, data.message, data.link);
        }
        document.dispatchEvent(new CustomEvent("aura:notification", { detail: data }));
      });
      socket.addEventListener("close", function (event) {
        // 4401: the server says we are not signed in any more; retrying will not help.
        if (event.code === 4401 || event.code === 4403) return;
        reconnectLater();
      });
    }

    open();
  }

  function init() {
    var container = region();
    if (container) {
      Array.prototype.forEach.call(container.querySelectorAll("[data-toast]"), scheduleDismiss);
    }
    syncSpecInfo();
    freshIdempotencyKeys(false);
    var path = document.body && document.body.getAttribute("data-notifications-url");
    if (path) connectNotifications(path);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
