// The review app's page script: keyboard grading, saving through the JSON API.
// Student text is never written as markup here: only numbers and our own labels, by textContent.
(function () {
  "use strict";
  var csrf = (document.querySelector('meta[name="csrf"]') || {}).content || "";
  var labels = document.getElementById("labels").dataset;
  var page = document.getElementById("page");
  var entries = Array.prototype.slice.call(document.querySelectorAll("article.entry"));
  var current = -1;
  var half = false;

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) { throw new Error(data && data.error ? data.error : String(r.status)); }
        return data;
      });
    });
  }

  function select(k) {
    if (!entries.length) { return; }
    k = Math.max(0, Math.min(entries.length - 1, k));
    if (current >= 0) { entries[current].classList.remove("current"); }
    current = k;
    var e = entries[k];
    e.classList.add("current");
    e.focus({preventScroll: true});
    e.scrollIntoView({block: "start", behavior: "auto"});
  }

  function firstWaiting() {
    for (var i = 0; i < entries.length; i++) {
      if (entries[i].dataset.state !== "reviewed") { return i; }
    }
    return 0;
  }

  function status(entry, text, error) {
    var box = entry.querySelector(".saved");
    box.textContent = text;
    box.classList.toggle("error", !!error);
  }

  function itemDraft(entry) {
    var items = {}, any = false;
    entry.querySelectorAll("li.item .ibtn.chosen").forEach(function (b) {
      items[b.closest("li.item").dataset.item] = parseFloat(b.dataset.itemPoints);
      any = true;
    });
    return any ? items : null;
  }

  function save(entry, points, extra) {
    var body = {
      student: entry.dataset.student, question: entry.dataset.question, points: points,
      comment: entry.querySelector("textarea.comment").value, group: entry.dataset.group === "true"
    };
    if (extra) { for (var k in extra) { body[k] = extra[k]; } }
    status(entry, labels.saving, false);
    return post("/api/reviews", body).then(function (data) {
      entry.dataset.state = data.state;
      entry.querySelector(".qpts").textContent = String(data.question_points);
      var badge = entry.querySelector(".entry-head .state");
      if (badge) { badge.textContent = labels.reviewed; badge.className = "state state-reviewed"; }
      entry.querySelectorAll(".members .state").forEach(function (b) {
        b.textContent = labels.reviewed; b.className = "state state-reviewed";
      });
      (data.students || []).forEach(function (s) {
        document.querySelectorAll('[data-total-for]').forEach(function (el) {
          if (el.dataset.totalFor === s.student) { el.textContent = String(s.points); }
        });
      });
      entry.querySelectorAll(".pbtn").forEach(function (b) {
        b.classList.toggle("chosen", parseFloat(b.dataset.points) === data.question_points);
      });
      status(entry, labels.saved + " " + String(data.question_points), false);
      return data;
    }).catch(function (err) {
      status(entry, labels.error + " " + err.message, true);
      throw err;
    });
  }

  function decide(entry, points) {
    return save(entry, points).then(function () {
      var k = entries.indexOf(entry);
      if (k + 1 < entries.length) { select(k + 1); }
    }, function () { /* the message is on the card */ });
  }

  entries.forEach(function (entry, k) {
    entry.addEventListener("click", function () { if (current !== k) { select(k); } });
    entry.querySelectorAll(".pbtn").forEach(function (b) {
      b.addEventListener("click", function () { decide(entry, parseFloat(b.dataset.points)); });
    });
    entry.querySelector(".accept").addEventListener("click", function () {
      decide(entry, parseFloat(entry.dataset.proposal));
    });
    entry.querySelectorAll(".ibtn").forEach(function (b) {
      b.addEventListener("click", function () {
        var row = b.closest("li.item");
        var was = b.classList.contains("chosen");
        row.querySelectorAll(".ibtn").forEach(function (x) { x.classList.remove("chosen"); });
        if (!was) { b.classList.add("chosen"); }
      });
    });
    entry.querySelector(".save-items").addEventListener("click", function () {
      var items = itemDraft(entry);
      if (items) { save(entry, null, {items: items}).catch(function () {}); }
    });
    entry.querySelectorAll(".split").forEach(function (b) {
      b.addEventListener("click", function (ev) {
        ev.stopPropagation();
        post("/api/split", {student: b.dataset.split, question: entry.dataset.question})
          .then(function () { location.reload(); }, function (err) { status(entry, labels.error + " " + err.message, true); });
      });
    });
  });

  var all = document.getElementById("accept-all");
  if (all) {
    all.addEventListener("click", function () {
      post("/api/accept", {question: all.dataset.question}).then(function () { location.reload(); });
    });
  }

  document.addEventListener("keydown", function (ev) {
    var target = ev.target;
    if (target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT")) {
      if (ev.key === "Escape") { target.blur(); if (current >= 0) { entries[current].focus(); } }
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && current >= 0) {
        ev.preventDefault();
        decide(entries[current], parseFloat(entries[current].dataset.proposal));
      }
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var entry = current >= 0 ? entries[current] : null;
    if (ev.key === "j" || ev.key === "ArrowDown") { ev.preventDefault(); select(current + 1); return; }
    if (ev.key === "k" || ev.key === "ArrowUp") { ev.preventDefault(); select(current - 1); return; }
    if (ev.key === "]" && page && page.dataset.next) { location.href = page.dataset.next; return; }
    if (ev.key === "[" && page && page.dataset.previous) { location.href = page.dataset.previous; return; }
    if (!entry) { return; }
    if (ev.key === ".") { half = true; return; }
    if (/^[0-9]$/.test(ev.key)) {
      ev.preventDefault();
      var points = parseInt(ev.key, 10) + (half ? 0.5 : 0);
      half = false;
      decide(entry, points);
      return;
    }
    half = false;
    if (ev.key === "a" || ev.key === "Enter") { ev.preventDefault(); decide(entry, parseFloat(entry.dataset.proposal)); return; }
    if (ev.key === "c") { ev.preventDefault(); entry.querySelector("textarea.comment").focus(); }
  });

  if (entries.length) { select(firstWaiting()); }
})();
