/*
 * API keys: the Copy button on the page that shows a new key copies it (or selects it where
 * the clipboard is refused, so Ctrl+C does).
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-key]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy-key"));
    var status = document.querySelector("[data-copy-status]");
    if (!input) return;
    function selected() {
      input.focus();
      input.select();
      if (status) status.textContent = "Key selected: press Ctrl+C (or ⌘C) to copy it.";
    }
    if (!navigator.clipboard) return selected();
    navigator.clipboard.writeText(input.value).then(function () {
      if (status) status.textContent = "Key copied.";
    }, selected);
  });
})();
