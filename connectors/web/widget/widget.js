/* Hyte navigator chat widget: one <script> tag, no dependencies.
 *
 *   <script>window.HyteChatConfig = { endpoint: "/api/chat", socketUrl: "auto", lang: "fi", open: true };</script>
 *   <script src="/widget/widget.js" defer></script>
 *
 * It talks to Rasa over socket.io (socketUrl; "auto" asks the catalog service) and falls back to the
 * REST relay (endpoint) whenever the socket is not connected.
 * Only a random conversation id is kept in sessionStorage; messages and personal data are never
 * stored in the browser.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? script.src.replace(/widget\.js(\?.*)?$/, "") : "/widget/";
  var config = Object.assign({ endpoint: "/api/chat", lang: "fi", open: false, privacyUrl: "/tietosuoja",
    token: null, onEvent: null, socketUrl: null, configUrl: "/api/widget-config" }, window.HyteChatConfig || {});
  var started = false;

  function emit(name, data) {  // host integrations (the portal embed) hear of conversation events
    if (typeof config.onEvent === "function") { try { config.onEvent(name, data || {}); } catch (e) { /* host error */ } }
  }

  function authHeaders() {
    var headers = { "Content-Type": "application/json" };
    var token = typeof config.token === "function" ? config.token() : config.token;
    if (token) { headers.Authorization = "Bearer " + token; }
    return headers;
  }
  var SESSION_KEY = "hyte-chat-session";
  var t = {};

  // The conversation id is issued by the server (socket session_confirm or the relay's
  // X-Conversation-Id header); the page only keeps it for this tab.
  function sessionId() {
    try { return window.sessionStorage.getItem(SESSION_KEY); } catch (e) { return memoryId; }
  }
  var memoryId = null;
  function setSessionId(id) {
    memoryId = id;
    try { window.sessionStorage.setItem(SESSION_KEY, id); } catch (e) { /* storage disabled */ }
  }
  function forgetSessionId() {
    memoryId = null;
    try { window.sessionStorage.removeItem(SESSION_KEY); } catch (e) { /* storage disabled */ }
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "className") { node.className = attrs[k]; } else { node.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function clock() {
    var d = new Date();
    return d.getHours() + "." + String(d.getMinutes()).padStart(2, "0");
  }

  function build() {
    var root = el("div", { className: "hyte-chat", lang: config.lang });
    var toggle = el("button", { className: "hyte-toggle", type: "button", "aria-expanded": "false" }, t.open);
    var panel = el("section", { className: "hyte-panel", "aria-label": t.title });
    panel.hidden = true;
    var header = el("div", { className: "hyte-header" });
    header.appendChild(el("h2", {}, t.title));
    var close = el("button", { type: "button" }, t.close);
    header.appendChild(close);
    var notice = el("p", { className: "hyte-notice" }, t.notice + " ");
    notice.appendChild(el("a", { href: config.privacyUrl }, t.privacy));
    var log = el("div", { className: "hyte-log", role: "log", "aria-live": "polite", "aria-label": t.title, tabindex: "0" });
    var form = el("form", { className: "hyte-form" });
    var label = el("label", { className: "hyte-sr", "for": "hyte-input" }, t.input_label);
    var input = el("input", { id: "hyte-input", type: "text", autocomplete: "off", maxlength: "1000", placeholder: t.placeholder });
    var send = el("button", { type: "submit" }, t.send);
    form.appendChild(label); form.appendChild(input); form.appendChild(send);
    panel.appendChild(header); panel.appendChild(notice); panel.appendChild(log); panel.appendChild(form);
    root.appendChild(panel); root.appendChild(toggle);
    document.body.appendChild(root);

    function setOpen(open) {
      panel.hidden = !open; toggle.hidden = open;
      toggle.setAttribute("aria-expanded", String(open));
      if (open) { input.focus(); } else { toggle.focus(); }
    }
    toggle.addEventListener("click", function () { setOpen(true); });
    close.addEventListener("click", function () { setOpen(false); });

    function scroll() { log.scrollTop = log.scrollHeight; }

    function addText(who, text) {
      var msg = el("div", { className: "hyte-msg " + who });
      msg.appendChild(el("span", { className: "hyte-sr" }, (who === "user" ? t.you : t.bot) + ": "));
      msg.appendChild(document.createTextNode(text));
      msg.appendChild(el("span", { className: "hyte-time" }, clock()));
      log.appendChild(msg); scroll();
    }

    function addButtons(buttons) {
      var box = el("div", { className: "hyte-buttons" });
      buttons.forEach(function (b) {
        var btn = el("button", { type: "button" }, b.title);
        btn.addEventListener("click", function () { sendMessage(b.payload, b.title); });
        box.appendChild(btn);
      });
      log.appendChild(box); scroll();
    }

    function addCards(payload) {
      (payload.items || []).forEach(function (item) {
        var card = el("article", { className: "hyte-card" });
        card.appendChild(el("h3", {}, item.number + ". " + item.name));
        if (item.provider) { card.appendChild(el("p", {}, item.provider)); }
        if (item.summary) { card.appendChild(el("p", {}, item.summary)); }
        card.appendChild(el("p", {}, item.address || t.online));
        if (item.opening_hours) { card.appendChild(el("p", {}, item.opening_hours)); }
        if (item.phone) { card.appendChild(el("p", {}, "puh. " + item.phone)); }
        if (item.web_page) {
          var p = el("p", {}); p.appendChild(el("a", { href: item.web_page, target: "_blank", rel: "noopener" }, t.web));
          card.appendChild(p);
        }
        var tags = el("div", { className: "hyte-tags" });
        if (item.charge_type === "free") { tags.appendChild(el("span", { className: "hyte-tag" }, t.free)); }
        if (item.charge_type === "chargeable") { tags.appendChild(el("span", { className: "hyte-tag" }, t.chargeable)); }
        if (item.scope === "county") { tags.appendChild(el("span", { className: "hyte-tag" }, t.county)); }
        if (item.scope === "nationwide") { tags.appendChild(el("span", { className: "hyte-tag" }, t.nationwide)); }
        if (item.demo) { tags.appendChild(el("span", { className: "hyte-tag demo" }, t.demo)); }
        card.appendChild(tags);
        log.appendChild(card);
      });
      scroll();
    }

    // Rasa's socket.io channel sends each message on its own: buttons as quick_replies, custom
    // payloads bare. They are gathered for a moment and drawn as one answer, like the REST reply.
    var pending = [];
    var flushTimer = null;
    var answerTimer = null;
    var socket = null;

    function normalise(m) {
      if (m.type && m.text === undefined) { return { custom: m }; }
      var out = { text: m.text };
      if (m.quick_replies) { out.buttons = m.quick_replies.map(function (q) { return { title: q.title, payload: q.payload }; }); }
      if (m.buttons) { out.buttons = m.buttons; }
      if (m.custom || m.json_message) { out.custom = m.custom || m.json_message; }
      return out;
    }

    function answered(messages) {
      typing.remove();
      render(messages);
      messages.forEach(function (m) {
        var custom = m.custom || m.json_message;
        if (custom && custom.type === "referral_sent") { emit("referral_sent", { reference: custom.reference }); }
      });
    }

    function receive(message) {
      clearTimeout(answerTimer);
      pending.push(normalise(message));
      clearTimeout(flushTimer);
      flushTimer = setTimeout(function () { var batch = pending; pending = []; answered(batch); }, 350);
    }

    function useSocket() {
      if (!config.socketUrl || !window.io) { return; }
      socket = window.io(config.socketUrl, { transports: ["websocket"], reconnectionAttempts: 5 });
      socket.on("connect", function () { socket.emit("session_request", { session_id: sessionId() }); });
      socket.on("session_confirm", function (id) {
        if (typeof id === "string" && id) { setSessionId(id); }
        root.setAttribute("data-transport", "socket");
      });
      socket.on("bot_uttered", receive);
      socket.on("disconnect", function () { root.setAttribute("data-transport", "rest"); });
      socket.on("connect_error", function () { root.setAttribute("data-transport", "rest"); });
    }

    function render(messages) {
      messages.forEach(function (m) {
        var custom = m.custom || m.json_message;
        if (custom && custom.type === "service_cards") { addCards(custom); }
        else if (m.text && !(m.text.match(/^\d+\. /) && messages.some(function (x) { return (x.custom || {}).type === "service_cards"; }))) {
          addText("bot", m.text);
        }
        if (m.buttons && m.buttons.length) { addButtons(m.buttons); }
      });
    }

    var typing = el("p", { className: "hyte-typing" }, t.typing);
    function sendMessage(message, shown) {
      if (!message || !message.trim()) { return; }
      addText("user", shown || message);
      log.appendChild(typing); scroll();
      if (!started) { started = true; emit("conversation_started"); }
      if (socket && socket.connected && root.getAttribute("data-transport") === "socket") {
        socket.emit("user_uttered", { message: message, session_id: sessionId() });
        answerTimer = setTimeout(function () { typing.remove(); addText("bot", t.error); input.focus(); }, 30000);
        input.focus();
        return;
      }
      relay(message, true);
    }

    function relay(message, retry) {
      var body = { message: message, metadata: { channel: "web", lang: config.lang } };
      if (sessionId()) { body.sender = sessionId(); }
      fetch(config.endpoint, {
        method: "POST", headers: authHeaders(), body: JSON.stringify(body)
      }).then(function (r) {
        var issued = r.headers.get("X-Conversation-Id");
        if (issued) { setSessionId(issued); }
        if (r.status === 403 && retry && !config.token) {  // an id the server no longer accepts
          forgetSessionId();
          return relay(message, false);
        }
        if (!r.ok) {  // a refused message or portal token says why, in Finnish
          return r.json().catch(function () { return {}; }).then(function (data) {
            var error = new Error("HTTP " + r.status); error.shown = data.error || data.detail || null; throw error;
          });
        }
        return r.json().then(function (messages) { answered(messages); });
      }).catch(function (error) {
        typing.remove(); addText("bot", (error && error.shown) || t.error);
      }).finally(function () { input.focus(); });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var value = input.value; input.value = "";
      sendMessage(value);
    });

    addText("bot", t.welcome);
    root.setAttribute("data-transport", "rest");
    var socketUrl = config.socketUrl === "auto"
      ? fetch(config.configUrl).then(function (r) { return r.json(); }).then(function (c) { return c.socket_url; })
      : Promise.resolve(config.socketUrl);
    socketUrl.then(function (url) {
      if (!url) { return; }
      config.socketUrl = url;
      var lib = el("script", { src: base + "vendor/socket.io.min.js" });
      lib.addEventListener("load", useSocket);
      document.head.appendChild(lib);
    }).catch(function () { /* REST it is */ });
    if (config.open) { setOpen(true); }
  }

  fetch(base + config.lang + ".json").then(function (r) { return r.json(); }).then(function (texts) {
    t = texts; build();
  }).catch(function () {
    fetch(base + "fi.json").then(function (r) { return r.json(); }).then(function (texts) { t = texts; build(); });
  });
})();
