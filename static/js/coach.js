/*
 * The Prompt Coach chat page (templates/coach/session.html). Plain JavaScript, loaded only there.
 *
 * - Opens the session's websocket (`data-socket-path`) and reconnects with exponential backoff
 *   and jitter when it drops. Every (re)connect starts with a "history" event, from which the
 *   messages, the brief and the quick replies are drawn afresh; a reply still streaming then
 *   carries on from the tokens it already has.
 * - Streams a reply as it is written ("reply_start", then "token" events each carrying `count`
 *   tokens ending at token number `seq`, then "done"); tokens missed while reconnecting leave
 *   a "…" until "done" brings the whole text.
 * - Keeps the brief panel live ("brief", "done"): labelled fields (the layout by the name the
 *   server gives it), colours as swatches with where they come from, the Ready state, and
 *   "Generate from this brief" enabled only when the brief is ready.
 * - Composer: Enter sends, Shift+Enter adds a line, a character counter against the limit.
 *   The text stays in the box until the server has saved it, so a refused message (busy, rate
 *   limited, invalid) can be sent again; refusals show in the inline alert, and a failed reply
 *   keeps its partial text with the reason and a "Send again" button.
 * - Every text from the creator or the model is set with textContent, never as markup; the
 *   markup comes from the page's <template>s.
 */
(function () {
  "use strict";

  var HEX = /^#[0-9A-F]{6}$/i;
  var NEAR_BOTTOM_PX = 80;
  var NOT_AUTHENTICATED = 4401;
  var NOT_FOUND = 4404;

  var root = document.querySelector("[data-coach]");
  if (!root) return;

  var list = root.querySelector("[data-messages]");
  var scroller = root.querySelector("[data-scroller]");
  var intro = root.querySelector("[data-intro]");
  var composer = root.querySelector("[data-composer]");
  var textarea = composer.querySelector("textarea");
  var sendButton = composer.querySelector("[data-send]");
  var counter = root.querySelector("[data-counter]");
  var alertBox = root.querySelector("[data-alert]");
  var alertText = root.querySelector("[data-alert-text]");
  var suggestionsBox = root.querySelector("[data-suggestions]");
  var generateButton = root.querySelector("[data-generate]");
  var briefPanel = root.querySelector("[data-brief-panel]");
  var titleElement = document.querySelector("[data-session-title]");
  var connectionDot = document.querySelector("[data-connection-dot]");
  var connectionText = document.querySelector("[data-connection-text]");
  var maxChars = Number(root.getAttribute("data-max-chars")) || 2000;
  var labelsElement = document.getElementById("coach-targets");
  var labels = labelsElement ? JSON.parse(labelsElement.textContent) : { platforms: {}, assets: {} };
  var titleSuffix = document.title.slice(titleElement ? titleElement.textContent.trim().length : 0);

  var socket = null;
  var attempt = 0;
  var retryTimer = null;
  var stopped = false; // the server said reconnecting will not help
  var streaming = null; // {id, seq, gap}: the reply being typed out
  var pending = null; // text sent and not yet saved or refused

  // ---- Small helpers --------------------------------------------------------------------
  function clone(templateId) {
    return document.getElementById(templateId).content.firstElementChild.cloneNode(true);
  }

  function isNearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < NEAR_BOTTOM_PX;
  }

  // Runs `change`, then keeps the view pinned to the newest message if it was there before.
  function keepingScroll(change, force) {
    var stick = force || isNearBottom();
    change();
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }

  function formatCount(n) {
    return n.toLocaleString("en-US");
  }

  function showAlert(message) {
    alertText.textContent = message;
    alertBox.hidden = false;
  }

  function hideAlert() {
    alertBox.hidden = true;
    alertText.textContent = "";
  }

  function setConnection(state, text) {
    connectionDot.setAttribute("data-state", state);
    connectionText.textContent = text;
  }

  function isOpen() {
    return socket !== null && socket.readyState === WebSocket.OPEN;
  }

  function updateComposer() {
    var length = textarea.value.length;
    counter.textContent = formatCount(length) + " / " + formatCount(maxChars);
    counter.toggleAttribute("data-over", length >= maxChars);
    sendButton.disabled = !isOpen() || streaming !== null || pending !== null || !textarea.value.trim();
  }

  function autosize() {
    textarea.style.height = "auto";
    textarea.style.height = Math.min(textarea.scrollHeight + 2, 192) + "px";
  }

  // ---- Messages ---------------------------------------------------------------------------
  function messageElement(id) {
    return list.querySelector('[data-message][data-id="' + Number(id) + '"]');
  }

  function fillSources(element, sources) {
    var box = element.querySelector("[data-sources]");
    box.replaceChildren();
    (sources || []).forEach(function (url) {
      if (typeof url !== "string" || !/^https?:\/\//i.test(url)) return;
      var item = clone("coach-source");
      var link = item.querySelector("a");
      link.href = url;
      link.textContent = url;
      box.appendChild(item);
    });
    box.hidden = box.children.length === 0;
  }

  function fillMessage(element, message) {
    element.setAttribute("data-status", message.status);
    element.querySelector("[data-content]").textContent = message.content || "";
    if (message.role !== "coach") return;
    element.querySelector("[data-typing]").hidden = !(message.status === "streaming" && !message.content);
    var ended = message.status === "failed" || message.status === "interrupted";
    var reason = message.error || (message.status === "interrupted" ? "This reply was cut off." : "");
    element.querySelector("[data-error]").hidden = !(ended && reason);
    element.querySelector("[data-error-text]").textContent = reason;
    fillSources(element, message.sources);
  }

  function renderMessage(message) {
    var element = messageElement(message.id);
    if (!element) {
      element = clone(message.role === "user" ? "coach-message-user" : "coach-message-coach");
      element.setAttribute("data-id", String(message.id));
      list.appendChild(element);
    }
    fillMessage(element, message);
    intro.hidden = true;
    return element;
  }

  // "Send again" on the last reply when it failed: it resends the creator's message before it.
  function refreshRetry() {
    list.querySelectorAll("[data-retry]").forEach(function (button) {
      button.hidden = true;
    });
    var last = list.lastElementChild;
    if (!last || last.getAttribute("data-role") !== "coach") return;
    var status = last.getAttribute("data-status");
    if (status !== "failed" && status !== "interrupted") return;
    var asked = last.previousElementSibling;
    if (asked && asked.getAttribute("data-role") === "user") last.querySelector("[data-retry]").hidden = false;
  }

  function renderSuggestions(message) {
    suggestionsBox.replaceChildren();
    var usable = message && message.role === "coach" && message.status === "complete";
    (usable ? message.suggestions || [] : []).forEach(function (text) {
      if (typeof text !== "string" || !text) return;
      var chip = clone("coach-suggestion");
      chip.textContent = text;
      suggestionsBox.appendChild(chip);
    });
    suggestionsBox.hidden = suggestionsBox.children.length === 0;
  }

  function setStreaming(reply) {
    streaming = reply;
    list.setAttribute("aria-busy", reply ? "true" : "false");
    if (reply) renderSuggestions(null);
    updateComposer();
  }

  // ---- The brief ---------------------------------------------------------------------------
  function fieldText(field, specKey) {
    if (field.text) return field.text; // named by the server (the layout)
    if (field.name === "platform") return labels.platforms[field.value] || field.value;
    if (field.name === "asset_type") return labels.assets[specKey] || field.value;
    return field.value;
  }

  function renderColors(box, colors) {
    box.replaceChildren();
    colors.forEach(function (color) {
      if (!HEX.test(color)) return;
      var item = clone("coach-swatch");
      item.setAttribute("data-color", color);
      item.querySelector(".swatch").style.backgroundColor = color;
      item.querySelector("[data-hex]").textContent = color;
      box.appendChild(item);
    });
    box.hidden = box.children.length === 0;
  }

  function renderBrief(brief) {
    var byName = {};
    brief.fields.forEach(function (field) {
      byName[field.name] = field;
    });
    root.querySelectorAll("[data-brief-field]").forEach(function (row) {
      var field = byName[row.getAttribute("data-brief-field")];
      if (!field) return;
      var empty = Array.isArray(field.value) ? field.value.length === 0 : !field.value;
      if (field.name === "colors") {
        renderColors(row.querySelector("[data-colors]"), empty ? [] : field.value);
      } else {
        var value = row.querySelector("[data-value]");
        value.textContent = empty ? "" : fieldText(field, brief.spec_key);
        value.hidden = empty;
      }
      row.querySelector("[data-unset]").hidden = !empty;
    });
    root.querySelectorAll("[data-colour-rule]").forEach(function (element) {
      element.textContent = brief.colour_rule || "";
    });
    root.querySelectorAll("[data-ready]").forEach(function (element) {
      element.hidden = !brief.ready;
    });
    root.querySelectorAll("[data-not-ready]").forEach(function (element) {
      element.hidden = brief.ready;
    });
    // A viewer's button stays off: generating in the team needs the editor role.
    generateButton.disabled = !brief.ready || generateButton.hasAttribute("data-read-only");
  }

  // ---- Events from the server -------------------------------------------------------------
  function lastMessage(messages) {
    return messages.length ? messages[messages.length - 1] : null;
  }

  function showTitle(title) {
    if (titleElement && title) {
      titleElement.textContent = title;
      document.title = title + titleSuffix;
    }
  }

  function onHistory(data) {
    // The saved text of a streaming reply lags behind the tokens (it is saved every few
    // seconds): when this page already showed more of the same reply, it keeps that.
    var shown = null;
    if (streaming && data.streaming && streaming.id === data.streaming.id && !streaming.gap) {
      var element = messageElement(streaming.id);
      if (element && streaming.seq > data.streaming.tokens) {
        shown = { seq: streaming.seq, text: element.querySelector("[data-content]").textContent };
      }
    }
    keepingScroll(function () {
      list.replaceChildren();
      data.messages.forEach(renderMessage);
      intro.hidden = data.messages.length > 0;
      var kept = shown && messageElement(data.streaming.id);
      if (kept) {
        kept.querySelector("[data-content]").textContent = shown.text;
        kept.querySelector("[data-typing]").hidden = true;
      }
    }, true);
    showTitle(data.session.title);
    if (data.streaming) {
      setStreaming({ id: data.streaming.id, seq: shown ? shown.seq : data.streaming.tokens, gap: false });
    } else {
      setStreaming(null);
    }
    renderBrief(data.brief);
    renderSuggestions(data.streaming ? null : lastMessage(data.messages));
    refreshRetry();
  }

  function onUserMessage(message) {
    keepingScroll(function () {
      renderMessage(message);
    }, true);
    if (pending !== null && textarea.value.trim() === pending) {
      textarea.value = "";
      autosize();
    }
    pending = null;
    updateComposer();
  }

  function onReplyStart(id) {
    keepingScroll(function () {
      renderMessage({ id: id, role: "coach", content: "", status: "streaming", error: "", sources: [] });
    });
    setStreaming({ id: id, seq: 0, gap: false });
    refreshRetry();
  }

  function onToken(data) {
    if (!streaming || streaming.id !== data.id || data.seq <= streaming.seq) return;
    var element = messageElement(data.id);
    if (!element) return;
    var content = element.querySelector("[data-content]");
    keepingScroll(function () {
      // Tokens missed while reconnecting: mark the hole; "done" brings the whole text.
      // An event carries `count` tokens, ending at token number `seq`.
      if (data.seq - (data.count || 1) > streaming.seq && !streaming.gap) {
        streaming.gap = true;
        content.textContent += " … ";
      }
      content.textContent += data.text;
      element.querySelector("[data-typing]").hidden = true;
    });
    streaming.seq = data.seq;
  }

  function onDone(data) {
    keepingScroll(function () {
      renderMessage(data.message);
    });
    setStreaming(null);
    renderBrief(data.brief);
    renderSuggestions(data.message);
    refreshRetry();
  }

  function onError(data) {
    if (data.reply) {
      // The reply stopped: it keeps what streamed, and says why in the message itself.
      keepingScroll(function () {
        renderMessage(data.reply);
      });
      setStreaming(null);
      refreshRetry();
      return;
    }
    // A message that was refused (busy, rate limited, invalid): it stays in the box.
    pending = null;
    updateComposer();
    showAlert(data.message || "The coach could not take that message.");
  }

  function handle(data) {
    if (!data || typeof data.type !== "string") return;
    if (data.type === "history") onHistory(data);
    else if (data.type === "message") {
      onUserMessage(data.message);
      showTitle(data.title);
    }
    else if (data.type === "reply_start") onReplyStart(data.id);
    else if (data.type === "token") onToken(data);
    else if (data.type === "brief") renderBrief(data.brief);
    else if (data.type === "done") onDone(data);
    else if (data.type === "error") onError(data);
  }

  // ---- The socket --------------------------------------------------------------------------
  function reconnectLater() {
    // 1 s, 2 s, 4 s … capped at 30 s, with jitter so open tabs do not come back in lockstep.
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt));
    delay = delay / 2 + Math.random() * (delay / 2);
    attempt += 1;
    setConnection("retrying", "Reconnecting…");
    retryTimer = window.setTimeout(connect, delay);
  }

  function connect() {
    retryTimer = null;
    if (stopped) return;
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var url = scheme + "//" + window.location.host + root.getAttribute("data-socket-path");
    try {
      socket = new WebSocket(url);
    } catch (error) {
      socket = null;
      reconnectLater();
      return;
    }
    socket.addEventListener("open", function () {
      attempt = 0;
      setConnection("open", "Connected");
      updateComposer();
    });
    socket.addEventListener("message", function (event) {
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      handle(data);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      pending = null;
      updateComposer();
      if (event.code === NOT_AUTHENTICATED) {
        stopped = true;
        setConnection("closed", "Signed out");
        showAlert("You are signed out. Sign in again to keep talking to the coach.");
      } else if (event.code === NOT_FOUND) {
        stopped = true;
        setConnection("closed", "Not available");
        showAlert("This session no longer exists. Start a new one from your coach sessions.");
      } else {
        reconnectLater();
      }
    });
  }

  window.addEventListener("online", function () {
    if (socket || stopped || retryTimer === null) return;
    window.clearTimeout(retryTimer);
    attempt = 0;
    connect();
  });

  // ---- The composer -------------------------------------------------------------------------
  function send(text) {
    text = text.trim();
    if (!text) return;
    if (!isOpen()) {
      showAlert("Not connected to the coach yet. It reconnects by itself; try again in a moment.");
      return;
    }
    if (streaming) {
      showAlert("The coach is still answering your last message. Wait for it to finish.");
      return;
    }
    hideAlert();
    pending = text;
    socket.send(JSON.stringify({ type: "message", text: text }));
    updateComposer();
  }

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    send(textarea.value);
  });

  textarea.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    send(textarea.value);
  });

  textarea.addEventListener("input", function () {
    autosize();
    updateComposer();
  });

  suggestionsBox.addEventListener("click", function (event) {
    var chip = event.target.closest("[data-suggestion]");
    if (!chip) return;
    send(chip.textContent);
    textarea.focus();
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-retry]");
    if (!button) return;
    var asked = button.closest("[data-message]").previousElementSibling;
    if (asked) send(asked.querySelector("[data-content]").textContent);
  });

  root.querySelector("[data-alert-dismiss]").addEventListener("click", hideAlert);

  // ---- Start -------------------------------------------------------------------------------
  // Phones: the brief folds into its summary (with the Ready badge) below the chat.
  if (briefPanel && !window.matchMedia("(min-width: 1024px)").matches) briefPanel.open = false;
  scroller.scrollTop = scroller.scrollHeight;
  list.setAttribute("aria-busy", "false");
  updateComposer();
  setConnection("connecting", "Connecting…");
  connect();
})();
