// The agent's chat panels in the workspace (templates/workspace/_chat.html). Each panel
// [data-chat=CONTACT] talks to /ws/chat/agent/CONTACT with the widget's protocol
// (INTERFACES.md): the whole chat is replayed on connecting, the agent's messages carry
// ids and are resent after a dropped connection until acknowledged. The live part that
// holds the panels is re-rendered by htmx; a re-rendered panel gets a new connection and
// takes over the messages still waiting for their acknowledgement.
(function () {
  "use strict";
  var chats = {};

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function wire(panel) {
    if (panel.dataset.wired) return;
    panel.dataset.wired = "1";
    var contact = panel.dataset.chat;
    var old = chats[contact];
    var chat = { panel: panel, socket: null, pending: old ? old.pending : [], seen: {}, retry: 0, closed: false };
    if (old) { old.closed = true; if (old.socket) old.socket.close(); }
    chats[contact] = chat;
    var log = panel.querySelector(".chat-log");
    var note = panel.querySelector(".chat-note");
    var form = panel.querySelector(".chat-send");
    var typingTimer = null;
    var typingSent = false;

    function line(frame) {
      var item = log.querySelector('[data-id="' + CSS.escape(frame.id) + '"]') || document.createElement("li");
      item.dataset.id = frame.id;
      item.textContent = "";
      var who = frame.author === "customer" ? (frame.name || panel.dataset.customer)
        : frame.author === "assistant" ? panel.dataset.assistant : frame.name;
      var name = document.createElement("b");
      name.textContent = who + ": ";
      item.appendChild(name);
      if (frame.file) {
        var link = document.createElement("a");
        link.textContent = frame.file.name + " (" + frame.file.type + ", " + frame.file.size + " B)";
        if (frame.file.url) { link.href = frame.file.url; link.setAttribute("download", ""); }
        item.appendChild(link);
      } else {
        item.appendChild(document.createTextNode(frame.text));
      }
      item.className = "chat-" + frame.author + (frame.seq ? "" : " chat-pending");
      if (!item.parentNode) log.appendChild(item);
      log.scrollTop = log.scrollHeight;
    }

    function send(frame) {
      if (chat.socket && chat.socket.readyState === WebSocket.OPEN) chat.socket.send(JSON.stringify(frame));
    }

    function connect() {
      if (chat.closed || !document.contains(panel)) return;
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + "/ws/chat/agent/" + contact);
      chat.socket = socket;
      socket.onopen = function () {
        chat.retry = 0;
        note.textContent = "";
        chat.pending.forEach(function (pending) { socket.send(JSON.stringify(pending)); });
      };
      socket.onmessage = function (event) {
        var frame = JSON.parse(event.data);
        if (frame.type === "message" && !chat.seen[frame.seq]) {
          chat.seen[frame.seq] = 1;
          line(frame);
          if (frame.author === "customer") panel.classList.remove("chat-typing");
        } else if (frame.type === "ack") {
          chat.pending = chat.pending.filter(function (p) { return p.id !== frame.id; });
        } else if (frame.type === "typing") {
          note.textContent = frame.on ? panel.dataset.typing : "";
        } else if (frame.type === "status" && frame.status === "ended") {
          note.textContent = panel.dataset.ended;
        } else if (frame.type === "error") {
          if (frame.id) {
            chat.pending = chat.pending.filter(function (p) { return p.id !== frame.id; });
          }
          note.textContent = frame.message;
        }
      };
      socket.onclose = function (event) {
        if (chat.closed || event.code === 4403 || event.code === 4404) return;
        note.textContent = panel.dataset.offline;
        chat.retry = Math.min(chat.retry + 1, 6);
        window.setTimeout(connect, 250 * Math.pow(2, chat.retry - 1));
      };
    }

    if (form) {
      var input = form.querySelector("input[name=text]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var text = input.value;
        if (!text.trim()) return;
        input.value = "";
        var frame = { type: "message", id: newId(), text: text };
        chat.pending.push(frame);
        line({ id: frame.id, author: "agent", name: "", text: text });
        send(frame);
        if (typingSent) { typingSent = false; send({ type: "typing", on: false }); }
      });
      input.addEventListener("input", function () {
        if (!typingSent) { typingSent = true; send({ type: "typing", on: true }); }
        window.clearTimeout(typingTimer);
        typingTimer = window.setTimeout(function () {
          typingSent = false;
          send({ type: "typing", on: false });
        }, 3000);
      });
    }
    connect();
  }

  function scan() {
    Object.keys(chats).forEach(function (contact) {
      var chat = chats[contact];
      if (!document.contains(chat.panel) && !document.querySelector('[data-chat="' + contact + '"]')) {
        chat.closed = true;
        if (chat.socket) chat.socket.close();
        delete chats[contact];
      }
    });
    document.querySelectorAll("[data-chat]").forEach(wire);
  }

  document.addEventListener("DOMContentLoaded", function () {
    scan();
    document.body.addEventListener("htmx:afterSwap", scan);
  });
})();
