// Frontline web chat widget. Put one tag on any page:
//   <script src="https://frontline-host/static/chat-widget.js" data-queue="CHAT-TAX" defer></script>
// Optional attributes: data-lang="en" (texts in English; Russian by default), data-title.
// It speaks the protocol of /ws/chat (INTERFACES.md): every message carries an id made
// here; the server acknowledges each id once the message is stored; after a dropped
// connection the widget resumes the chat with the last message number it saw, receives
// what it missed and resends what was never acknowledged (the server stores it once).
// Everything shown is put in as text (textContent), never as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src, window.location.href);
  var socketUrl = (base.protocol === "https:" ? "wss://" : "ws://") + base.host + "/ws/chat";
  var queue = script.dataset.queue || "";
  var lang = (script.dataset.lang || document.documentElement.lang || "ru").slice(0, 2);
  var STORE = "frontline-chat:" + base.host + ":" + queue;
  var TEXTS = {
    ru: {
      open: "Чат с поддержкой", title: "Поддержка", name: "Ваше имя", product: "Продукт",
      question: "Ваш вопрос", start: "Начать чат", send: "Отправить", attach: "Прикрепить файл",
      typing: "Оператор печатает…", position: "Вы в очереди: %s", wait: "Ожидание около %s мин",
      joined: "Оператор %s на связи", ended: "Чат завершён", end: "Завершить чат",
      transcript: "Прислать переписку на e-mail", email: "E-mail", sendTranscript: "Прислать",
      transcriptQueued: "Переписка будет отправлена на ваш адрес", reconnecting: "Нет связи, переподключаемся…",
      you: "Вы", assistant: "Помощник", message: "Сообщение", tooLarge: "Файл больше %s байт",
      unknownChat: "Этот чат больше не найден; начните новый", close: "Свернуть",
    },
    en: {
      open: "Chat with support", title: "Support", name: "Your name", product: "Product",
      question: "Your question", start: "Start the chat", send: "Send", attach: "Attach a file",
      typing: "The agent is typing…", position: "Your place in line: %s", wait: "About %s min to wait",
      joined: "%s is here to help", ended: "The chat has ended", end: "End the chat",
      transcript: "E-mail me the transcript", email: "E-mail", sendTranscript: "Send",
      transcriptQueued: "The transcript is on its way to your address", reconnecting: "Connection lost, reconnecting…",
      you: "You", assistant: "Assistant", message: "Message", tooLarge: "A file is at most %s bytes",
      unknownChat: "This chat is no longer there; start a new one", close: "Minimise",
    },
  };
  var t = TEXTS[lang] || TEXTS.ru;
  function fmt(text, value) { return text.replace("%s", String(value)); }

  // What survives a reload or a dropped connection: the chat, the last number seen,
  // the messages not yet acknowledged (in order) and the ids of those shown.
  var state = load();
  var socket = null;
  var retry = 0;
  var connected = false;
  var maxFileBytes = 5 * 1024 * 1024;
  var typingTimer = null;
  var typingSent = false;

  function load() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(STORE) || "null");
      if (saved && saved.chat) return saved;
    } catch (e) { /* storage blocked: the chat lasts as long as the page */ }
    return { chat: null, lastSeq: 0, pending: [], shown: {} };
  }
  function save() {
    try { window.sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* see load */ }
  }
  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var root = el("div", { "class": "fl-chat", role: "region", "aria-label": script.dataset.title || t.title });
  var style = el("style", {}, [
    ".fl-chat{position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#111}",
    ".fl-chat button{font:inherit;cursor:pointer;border:0;border-radius:6px;padding:6px 12px;background:#1d4ed8;color:#fff}",
    ".fl-chat .fl-panel{width:320px;max-height:520px;display:flex;flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:10px;box-shadow:0 4px 20px rgba(0,0,0,.2);overflow:hidden}",
    ".fl-chat header{display:flex;justify-content:space-between;align-items:center;padding:8px 12px;background:#1d4ed8;color:#fff}",
    ".fl-chat header button{background:transparent;padding:0 4px}",
    ".fl-chat form{display:flex;flex-direction:column;gap:6px;padding:10px}",
    ".fl-chat input,.fl-chat select,.fl-chat textarea{font:inherit;padding:5px;border:1px solid #aab;border-radius:5px}",
    ".fl-chat .fl-log{flex:1;overflow-y:auto;padding:8px 12px;min-height:160px;max-height:300px;list-style:none;margin:0}",
    ".fl-chat .fl-log li{margin:4px 0;white-space:pre-wrap;word-wrap:break-word}",
    ".fl-chat .fl-log li.fl-mine{text-align:right}",
    ".fl-chat .fl-log li.fl-pending{opacity:.6}",
    ".fl-chat .fl-note{padding:4px 12px;color:#555;font-size:12px;min-height:16px}",
    ".fl-chat .fl-error{color:#b91c1c}",
    ".fl-chat .fl-row{display:flex;gap:6px;padding:8px 12px;border-top:1px solid #eee}",
    ".fl-chat .fl-row input[type=text]{flex:1}",
  ].join(""));
  root.appendChild(style);
  var launcher = el("button", { type: "button", "class": "fl-open" }, t.open);
  var panel = el("div", { "class": "fl-panel", hidden: "" });
  var head = el("header");
  head.appendChild(el("strong", {}, script.dataset.title || t.title));
  var hide = el("button", { type: "button", "aria-label": t.close }, "×");
  head.appendChild(hide);
  panel.appendChild(head);

  var form = el("form", { "class": "fl-prechat" });
  var nameInput = el("input", { name: "name", required: "", maxlength: "200", "aria-label": t.name, placeholder: t.name });
  var productSelect = el("select", { name: "product", "aria-label": t.product });
  var questionInput = el("textarea", { name: "question", required: "", rows: "3", maxlength: "4000", "aria-label": t.question, placeholder: t.question });
  form.appendChild(nameInput);
  form.appendChild(productSelect);
  form.appendChild(questionInput);
  form.appendChild(el("button", { type: "submit" }, t.start));

  var log = el("ol", { "class": "fl-log", "aria-label": t.title, "aria-live": "polite" });
  var note = el("div", { "class": "fl-note", role: "status" });
  var typingNote = el("div", { "class": "fl-note fl-typing" });
  var row = el("div", { "class": "fl-row" });
  var input = el("input", { type: "text", maxlength: "4000", "aria-label": t.message, placeholder: t.message });
  var send = el("button", { type: "button" }, t.send);
  var fileInput = el("input", { type: "file", "aria-label": t.attach, hidden: "" });
  var attach = el("button", { type: "button", title: t.attach, "aria-label": t.attach }, "📎");
  row.appendChild(input);
  row.appendChild(attach);
  row.appendChild(send);
  row.appendChild(fileInput);
  var tools = el("div", { "class": "fl-row" });
  var endButton = el("button", { type: "button" }, t.end);
  var transcriptForm = el("form", { "class": "fl-transcript" });
  var emailInput = el("input", { type: "email", name: "email", "aria-label": t.email, placeholder: t.email });
  transcriptForm.appendChild(el("span", {}, t.transcript));
  transcriptForm.appendChild(emailInput);
  transcriptForm.appendChild(el("button", { type: "submit" }, t.sendTranscript));
  tools.appendChild(endButton);
  var chatPart = el("div", { "class": "fl-conversation", hidden: "" });
  chatPart.appendChild(log);
  chatPart.appendChild(typingNote);
  chatPart.appendChild(row);
  chatPart.appendChild(tools);
  chatPart.appendChild(transcriptForm);
  panel.appendChild(form);
  panel.appendChild(chatPart);
  panel.appendChild(note);
  root.appendChild(launcher);
  root.appendChild(panel);

  function showChat() {
    form.hidden = true;
    chatPart.hidden = false;
  }
  function say(text, error) {
    note.textContent = text;
    note.classList.toggle("fl-error", !!error);
  }

  function line(id, who, text, mine) {
    var existing = log.querySelector('[data-id="' + CSS.escape(id) + '"]');
    var item = existing || el("li", { "data-id": id });
    item.className = mine ? "fl-mine" : "";
    item.textContent = "";
    item.appendChild(el("b", {}, who + ": "));
    item.appendChild(document.createTextNode(text));
    if (!existing) log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }
  function describe(frame) {
    if (frame.file) return "[" + frame.file.name + ", " + frame.file.size + " B]";
    return frame.text;
  }
  function whoOf(frame) {
    if (frame.author === "customer") return t.you;
    if (frame.author === "assistant") return t.assistant;
    return frame.name || t.title;
  }

  function transmit(frame) {
    if (connected && socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }
  function queueMessage(frame) {
    state.pending.push(frame);
    save();
    var item = line(frame.id, t.you, frame.type === "file" ? "[" + frame.name + "]" : frame.text, true);
    item.classList.add("fl-pending");
    transmit(frame);
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        maxFileBytes = frame.max_file_bytes;
        productSelect.textContent = "";
        frame.products.forEach(function (product) {
          productSelect.appendChild(el("option", { value: String(product.id) }, product.name));
        });
        productSelect.hidden = !!queue;
        if (state.chat) socket.send(JSON.stringify({ type: "resume", chat: state.chat, last_seq: state.lastSeq }));
        break;
      case "started":
        state.chat = frame.chat;
        save();
        connected = true;
        showChat();
        say("");
        break;
      case "resumed":
        connected = true;
        showChat();
        say("");
        // Whatever was not acknowledged goes again; the server keeps one copy per id.
        state.pending.forEach(function (pending) { socket.send(JSON.stringify(pending)); });
        break;
      case "ack":
        state.pending = state.pending.filter(function (pending) { return pending.id !== frame.id; });
        save();
        var mine = log.querySelector('[data-id="' + CSS.escape(String(frame.id)) + '"]');
        if (mine) mine.classList.remove("fl-pending");
        break;
      case "message":
        if (frame.seq <= state.lastSeq && state.shown[frame.seq]) break;
        state.lastSeq = Math.max(state.lastSeq, frame.seq);
        state.shown[frame.seq] = 1;
        save();
        line(frame.id, whoOf(frame), describe(frame), frame.author === "customer");
        if (frame.author !== "customer") typingNote.textContent = "";
        break;
      case "status":
        if (frame.status === "waiting") {
          var text = fmt(t.position, frame.position);
          if (frame.wait_seconds !== null) text += " · " + fmt(t.wait, Math.max(1, Math.round(frame.wait_seconds / 60)));
          say(text);
        } else if (frame.status === "active") {
          say(fmt(t.joined, frame.agent));
        } else {
          say(t.ended);
          row.hidden = true;
          endButton.hidden = true;
          typingNote.textContent = "";
        }
        break;
      case "typing":
        typingNote.textContent = frame.on ? t.typing : "";
        break;
      case "transcript":
        say(t.transcriptQueued);
        break;
      case "error":
        if (frame.id) {
          // Refused for good (too long, a forbidden file): resending would not help.
          state.pending = state.pending.filter(function (pending) { return pending.id !== frame.id; });
          save();
          var refused = log.querySelector('[data-id="' + CSS.escape(String(frame.id)) + '"]');
          if (refused) refused.remove();
        }
        if (frame.field === "chat") {
          state = { chat: null, lastSeq: 0, pending: [], shown: {} };
          save();
          form.hidden = false;
          chatPart.hidden = true;
          say(t.unknownChat, true);
          return;
        }
        say(frame.message, true);
        break;
    }
  }

  function connect() {
    connected = false;
    socket = new WebSocket(socketUrl);
    socket.onopen = function () { retry = 0; };
    socket.onmessage = function (event) { onFrame(JSON.parse(event.data)); };
    socket.onclose = function (event) {
      connected = false;
      if (event.code === 4404) return;
      if (state.chat) say(t.reconnecting, true);
      retry = Math.min(retry + 1, 6);
      window.setTimeout(connect, 250 * Math.pow(2, retry - 1));
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var id = newId();
    var question = questionInput.value;
    socket.send(JSON.stringify({
      type: "start", id: id, name: nameInput.value, queue: queue,
      product_id: queue ? null : Number(productSelect.value) || null, question: question,
    }));
    state.shown = {};
    line(id, t.you, question, true);
  });
  function sendText() {
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    stopTyping();
    queueMessage({ type: "message", id: newId(), text: text });
  }
  send.addEventListener("click", sendText);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); sendText(); return; }
    if (!typingSent) { typingSent = true; transmit({ type: "typing", on: true }); }
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(stopTyping, 3000);
  });
  function stopTyping() {
    window.clearTimeout(typingTimer);
    if (typingSent) { typingSent = false; transmit({ type: "typing", on: false }); }
  }
  attach.addEventListener("click", function () { fileInput.click(); });
  fileInput.addEventListener("change", function () {
    var file = fileInput.files && fileInput.files[0];
    fileInput.value = "";
    if (!file) return;
    if (file.size > maxFileBytes) { say(fmt(t.tooLarge, maxFileBytes), true); return; }
    var reader = new FileReader();
    reader.onload = function () {
      var data = String(reader.result).split(",", 2)[1] || "";
      queueMessage({ type: "file", id: newId(), name: file.name, data: data });
    };
    reader.readAsDataURL(file);
  });
  endButton.addEventListener("click", function () { transmit({ type: "end" }); });
  transcriptForm.addEventListener("submit", function (event) {
    event.preventDefault();
    transmit({ type: "transcript", email: emailInput.value });
  });
  launcher.addEventListener("click", function () { panel.hidden = false; launcher.hidden = true; });
  hide.addEventListener("click", function () { panel.hidden = true; launcher.hidden = false; });

  function mount() {
    document.body.appendChild(root);
    if (state.chat) { panel.hidden = false; launcher.hidden = true; }
    connect();
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
