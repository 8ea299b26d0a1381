/*
 * The signed-in shell's keyboard-first parts (markup: templates/accounts/partials/
 * _creator_shell.html, _header_tools.html, _tour.html). Enhancements only: every link and form
 * in them works without this file.
 *
 * - Command palette (Ctrl/Cmd+K, "/", or the header's Search button): pages, actions, the
 *   creator's kits, assets, collections, coach sessions and Quick Create templates from
 *   GET /palette/ (the creator's own only), ranked by a fuzzy match as one types; words also go
 *   to GET /palette/?q= for older work. Arrow keys move, Enter opens, Esc closes.
 * - Shortcuts (keys from data-shortcuts, rebindable or off in the profile): N, Q, L, B, C, E,
 *   "/" and "G then a key"; "?" opens the shortcut sheet. None fires while focus is in a field
 *   (input, textarea, select, contenteditable), with a modifier held, or with a dialog open.
 * - Onboarding tour: focus goes to it when it first shows or is resumed, and to the next step
 *   after Next or Back; Esc inside it skips it (resumable from the help menu).
 * - Milestones: the celebration is marked seen as soon as it shows, and announced politely.
 * - Undo toasts (after deleting a kit and the like): moved into the live region #toasts, kept
 *   until dismissed or until the undo window closes (data-undo-seconds).
 */
(function () {
  "use strict";

  var GO_TIMEOUT_MS = 1500;
  var SEARCH_DELAY_MS = 150;
  var MAX_ROWS = 60;

  var shell = null;
  var config = { enabled: false, keys: {}, urls: {}, go: {} };
  var goPending = false;
  var goTimer = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function isTyping(target) {
    if (!target || !target.closest) return false;
    if (target.isContentEditable) return true;
    return Boolean(target.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])"));
  }

  function openDialog() {
    return document.querySelector("dialog[open]");
  }

  function announce(text) {
    var region = document.getElementById("shell-announcer");
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  function postTo(url, fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = url;
    form.hidden = true;
    var values = Object.assign({ csrfmiddlewaretoken: csrfToken(), next: window.location.pathname + window.location.search }, fields || {});
    Object.keys(values).forEach(function (name) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = values[name];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  // Fuzzy match ---------------------------------------------------------------------------
  // A query matches a text when its letters appear in order; runs of letters, letters at the
  // start of words and a plain substring score higher. Returns 0 when it does not match.
  function fuzzyScore(query, text) {
    if (!query) return 1;
    text = text.toLowerCase();
    var at = text.indexOf(query);
    if (at !== -1) return 100 + (at === 0 ? 50 : 0) + (at > 0 && /\W/.test(text[at - 1]) ? 25 : 0) - text.length / 100;
    var score = 0;
    var position = 0;
    var previous = -2;
    for (var i = 0; i < query.length; i += 1) {
      var found = text.indexOf(query[i], position);
      if (found === -1) return 0;
      score += 1;
      if (found === previous + 1) score += 3;
      if (found === 0 || /\W/.test(text[found - 1])) score += 2;
      previous = found;
      position = found + 1;
    }
    return score - text.length / 100;
  }

  function rank(items, query) {
    query = query.trim().toLowerCase();
    if (!query) return items.slice(0, MAX_ROWS);
    var words = query.split(/\s+/);
    return items
      .map(function (item) {
        var total = 0;
        for (var i = 0; i < words.length; i += 1) {
          var inTitle = fuzzyScore(words[i], item.title) * 2;
          var inRest = fuzzyScore(words[i], item.kind + " " + (item.hint || "") + " " + (item.words || ""));
          var best = Math.max(inTitle, inRest);
          if (!best) return null;
          total += best;
        }
        return { item: item, score: total + (item.fromSearch ? 5 : 0) };
      })
      .filter(Boolean)
      .sort(function (a, b) {
        return b.score - a.score;
      })
      .slice(0, MAX_ROWS)
      .map(function (ranked) {
        return ranked.item;
      });
  }

  // Command palette ------------------------------------------------------------------------
  var palette = {
    dialog: null,
    input: null,
    list: null,
    items: null, // what GET /palette/ gave, once per page
    found: [], // what the last ?q= search gave
    shown: [],
    active: 0,
    opener: null,
    searchTimer: null,
    searchFor: "",
  };

  function loadItems() {
    if (palette.items) return Promise.resolve(palette.items);
    return fetch(shell.getAttribute("data-palette-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { items: [] };
      })
      .then(function (data) {
        palette.items = data.items || [];
        return palette.items;
      })
      .catch(function () {
        return [];
      });
  }

  function merged() {
    var seen = {};
    var all = [];
    (palette.items || []).concat(palette.found).forEach(function (item) {
      var key = item.kind + "|" + item.title + "|" + (item.url || item.action || "");
      if (seen[key]) return;
      seen[key] = true;
      all.push(item);
    });
    return all;
  }

  function render() {
    var template = document.getElementById("palette-row");
    var query = palette.input.value;
    palette.shown = rank(merged(), query);
    if (palette.active >= palette.shown.length) palette.active = 0;
    palette.list.replaceChildren();
    palette.shown.forEach(function (item, index) {
      var row = template.content.firstElementChild.cloneNode(true);
      row.id = "palette-option-" + index;
      row.setAttribute("data-index", String(index));
      row.querySelector("[data-row-kind]").textContent = item.kind;
      row.querySelector("[data-row-title]").textContent = item.title;
      row.querySelector("[data-row-hint]").textContent = item.hint || "";
      palette.list.appendChild(row);
    });
    var empty = palette.dialog.querySelector("[data-palette-empty]");
    empty.classList.toggle("hidden", palette.shown.length > 0 || palette.items === null);
    palette.list.classList.toggle("hidden", palette.shown.length === 0);
    select(palette.active);
    var status = document.getElementById("palette-status");
    if (status && query) status.textContent = palette.shown.length ? palette.shown.length + " results" : "No results";
  }

  function select(index) {
    var rows = palette.list.children;
    if (!rows.length) {
      palette.input.setAttribute("aria-activedescendant", "");
      return;
    }
    palette.active = (index + rows.length) % rows.length;
    Array.prototype.forEach.call(rows, function (row, i) {
      row.setAttribute("aria-selected", i === palette.active ? "true" : "false");
    });
    var current = rows[palette.active];
    palette.input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }

  function searchServer() {
    var query = palette.input.value.trim();
    window.clearTimeout(palette.searchTimer);
    if (!query) {
      palette.found = [];
      return;
    }
    palette.searchTimer = window.setTimeout(function () {
      palette.searchFor = query;
      var url = shell.getAttribute("data-palette-url") + "?" + new URLSearchParams({ q: query }).toString();
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (data) {
          if (palette.searchFor !== query || palette.input.value.trim() !== query) return;
          palette.found = (data.items || []).map(function (item) {
            return Object.assign({ fromSearch: true }, item);
          });
          render();
        })
        .catch(function () {});
    }, SEARCH_DELAY_MS);
  }

  function openPalette(opener) {
    if (!palette.dialog || palette.dialog.open) return;
    var other = openDialog();
    if (other) other.close();
    palette.opener = opener || document.activeElement;
    palette.input.value = "";
    palette.found = [];
    palette.active = 0;
    palette.dialog.showModal();
    palette.input.focus();
    render();
    loadItems().then(render);
  }

  function closePalette() {
    if (palette.dialog && palette.dialog.open) palette.dialog.close();
  }

  function activate(item) {
    if (!item) return;
    closePalette();
    if (item.action === "theme") {
      var toggle = document.querySelector("[data-theme-toggle] button[type='submit']");
      if (toggle) toggle.click();
      return;
    }
    if (item.action === "shortcuts") {
      openSheet();
      return;
    }
    if (item.method === "post") {
      postTo(item.url, item.fields);
      return;
    }
    if (item.url) window.location.assign(item.url);
  }

  function setUpPalette() {
    palette.dialog = document.getElementById("palette");
    if (!palette.dialog) return;
    palette.input = document.getElementById("palette-input");
    palette.list = document.getElementById("palette-results");

    palette.input.addEventListener("input", function () {
      palette.active = 0;
      render();
      searchServer();
    });
    palette.input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select(palette.active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        select(palette.active - 1);
      } else if (event.key === "Home" && event.ctrlKey) {
        event.preventDefault();
        select(0);
      } else if (event.key === "End" && event.ctrlKey) {
        event.preventDefault();
        select(-1);
      } else if (event.key === "Enter") {
        event.preventDefault();
        activate(palette.shown[palette.active]);
      }
    });
    palette.list.addEventListener("click", function (event) {
      var row = event.target.closest("[data-index]");
      if (row) activate(palette.shown[Number(row.getAttribute("data-index"))]);
    });
    palette.list.addEventListener("mousemove", function (event) {
      var row = event.target.closest("[data-index]");
      if (row && Number(row.getAttribute("data-index")) !== palette.active) select(Number(row.getAttribute("data-index")));
    });
    // A click on the backdrop (outside the panel) closes it.
    palette.dialog.addEventListener("click", function (event) {
      if (event.target === palette.dialog) closePalette();
    });
    palette.dialog.addEventListener("close", function () {
      restoreFocus(palette.opener);
    });
  }

  function restoreFocus(element) {
    if (element && element.focus && document.contains(element) && element !== document.body) {
      element.focus();
    }
  }

  // Shortcut sheet -------------------------------------------------------------------------
  var sheetOpener = null;

  function openSheet(opener) {
    var sheet = document.getElementById("shortcut-sheet");
    if (!sheet || sheet.open) return;
    var other = openDialog();
    if (other) other.close();
    sheetOpener = opener || document.activeElement;
    sheet.showModal();
  }

  function setUpSheet() {
    var sheet = document.getElementById("shortcut-sheet");
    if (!sheet) return;
    sheet.addEventListener("click", function (event) {
      if (event.target === sheet || event.target.closest("[data-dialog-close]")) sheet.close();
    });
    sheet.addEventListener("close", function () {
      restoreFocus(sheetOpener);
    });
  }

  // Shortcuts --------------------------------------------------------------------------------
  function actionFor(key) {
    var keys = config.keys || {};
    for (var action in keys) {
      if (Object.prototype.hasOwnProperty.call(keys, action) && keys[action] === key) return action;
    }
    return null;
  }

  function refineHere() {
    var field = document.querySelector("form[action*='/refine/'] input[name='instruction']");
    if (!field) return false;
    field.scrollIntoView({ block: "center" });
    field.focus();
    return true;
  }

  function closeMenus() {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
    });
  }

  function onKeydown(event) {
    if (event.defaultPrevented || event.isComposing) return;
    var key = event.key;
    var typing = isTyping(event.target);

    // Ctrl+K / Cmd+K: the palette, from anywhere but a field (where it stays the field's).
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && key.toLowerCase() === "k") {
      if (palette.dialog && palette.dialog.open) {
        event.preventDefault();
        closePalette();
        return;
      }
      if (typing) return;
      event.preventDefault();
      closeMenus();
      openPalette();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey || openDialog()) return;

    if (key === "?") {
      event.preventDefault();
      closeMenus();
      openSheet();
      return;
    }
    if (!config.enabled) return;

    var lower = key.length === 1 ? key.toLowerCase() : "";
    if (goPending) {
      goPending = false;
      window.clearTimeout(goTimer);
      if (config.go[lower]) {
        event.preventDefault();
        window.location.assign(config.go[lower]);
      }
      return;
    }
    if (lower === "g") {
      goPending = true;
      goTimer = window.setTimeout(function () {
        goPending = false;
      }, GO_TIMEOUT_MS);
      return;
    }
    if (key === "/") {
      event.preventDefault();
      closeMenus();
      openPalette();
      return;
    }
    var action = lower && actionFor(lower);
    if (!action) return;
    if (action === "refine") {
      if (refineHere()) event.preventDefault();
      return;
    }
    if (config.urls[action]) {
      event.preventDefault();
      window.location.assign(config.urls[action]);
    }
  }

  // Onboarding tour ------------------------------------------------------------------------
  var TOUR_FOCUS_KEY = "aura-tour-focus";

  function focusTour() {
    var title = document.getElementById("tour-title");
    if (title) title.focus();
  }

  function setUpTour() {
    var tour = document.querySelector("[data-tour]");
    var wanted = false;
    try {
      wanted = window.sessionStorage.getItem(TOUR_FOCUS_KEY) === "1";
      window.sessionStorage.removeItem(TOUR_FOCUS_KEY);
      // The very first time the tour shows (just after signing up), it takes focus once.
      if (tour && !window.localStorage.getItem("aura-tour-seen")) {
        wanted = true;
        window.localStorage.setItem("aura-tour-seen", "1");
      }
    } catch (error) {
      wanted = false;
    }
    if (tour && wanted) focusTour();

    document.addEventListener("submit", function (event) {
      if (event.target.querySelector && event.target.querySelector("[data-tour-resume]")) {
        try {
          window.sessionStorage.setItem(TOUR_FOCUS_KEY, "1");
        } catch (error) {
          /* storage refused: the tour still shows, without moving focus */
        }
      }
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || openDialog()) return;
      var inside = event.target.closest && event.target.closest("[data-tour]");
      if (!inside) return;
      var skip = inside.querySelector("[data-tour-skip]");
      if (skip) {
        event.preventDefault();
        skip.click();
      }
    });

    // After Next/Back/Skip (htmx swaps #tour-holder): focus the new step, or the page.
    document.addEventListener("htmx:afterSettle", function (event) {
      if (!event.detail || !event.detail.target || event.detail.target.id !== "tour-holder") return;
      if (document.getElementById("tour-title")) {
        focusTour();
      } else {
        var main = document.getElementById("main");
        if (main) main.focus();
        announce("Tour closed. Resume it any time from the help menu.");
      }
    });
  }

  // Milestones -------------------------------------------------------------------------------
  function setUpCelebration() {
    var celebration = document.querySelector("[data-celebration]");
    if (!celebration) return;
    var form = celebration.querySelector("[data-celebration-form]");
    var title = celebration.querySelector("h2");
    if (title) announce(title.textContent.trim());
    // Shown once: it is marked seen as soon as it is on screen.
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: new FormData(form),
    }).catch(function () {});
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var main = document.getElementById("main");
      celebration.parentElement.remove();
      if (main) main.focus();
    });
  }

  // Undo toasts -----------------------------------------------------------------------------
  function setUpUndo() {
    var region = document.getElementById("toasts");
    document.querySelectorAll("#creator-shell [data-undo-holder]").forEach(function (holder) {
      var toast = holder.querySelector("[data-undo-toast]");
      if (!toast) return;
      if (region) {
        toast.classList.remove("max-w-sm");
        region.appendChild(toast);
        holder.remove();
      }
      var seconds = Number(toast.getAttribute("data-undo-seconds")) || 0;
      window.setTimeout(function () {
        toast.remove();
      }, seconds * 1000);
    });
  }

  function init() {
    shell = document.getElementById("creator-shell");
    if (!shell) return;
    try {
      config = Object.assign(config, JSON.parse(shell.getAttribute("data-shortcuts") || "{}"));
    } catch (error) {
      config.enabled = false;
    }
    setUpPalette();
    setUpSheet();
    setUpTour();
    setUpCelebration();
    setUpUndo();
    document.addEventListener("keydown", onKeydown);
    document.addEventListener("click", function (event) {
      var opener = event.target.closest && event.target.closest("[data-palette-open], [data-shortcut-sheet-open]");
      if (!opener) return;
      // From the help menu: focus comes back to the menu's button, the item is hidden.
      var menu = opener.closest("details[data-menu]");
      if (menu) opener = menu.querySelector("summary") || opener;
      closeMenus();
      if (opener.hasAttribute("data-palette-open")) openPalette(opener);
      else openSheet(opener);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
