// The label review page: loads the queue from the server, shows one item
// at a time and records decisions through the server's API. Every action
// has a key and a button. The page builds its content with DOM calls only
// (textContent, never HTML strings), so no value from the data can become
// markup.
(function () {
  "use strict";

  var tokenMeta = document.querySelector('meta[name="assay-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";

  function $(id) {
    return document.getElementById(id);
  }
  var main = $("main");
  var title = $("item-title");
  var reason = $("reason");
  var picker = $("picker");
  var relabelButton = $("relabel");
  var actionButtons = [$("accept"), relabelButton, $("skip")];

  var state = {
    items: [],
    pos: 0,
    busy: false,
    progress: { total: 0, decided: 0, skipped: 0 }
  };

  function cur() {
    return state.items[state.pos];
  }

  // el makes an element with a class and text.
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function say(msg) {
    $("status").textContent = msg;
  }

  function showError(msg) {
    var e = $("error");
    e.textContent = msg;
    e.hidden = !msg;
  }

  function quote(s) {
    return "\u201c" + s + "\u201d";
  }

  function formatNumber(x, digits) {
    if (typeof x !== "number" || !isFinite(x)) {
      return String(x);
    }
    return x.toLocaleString("en-US", { maximumFractionDigits: digits });
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function formatTime(s) {
    var t = new Date(s);
    if (isNaN(t.getTime())) {
      return s;
    }
    return t.getFullYear() + "-" + pad(t.getMonth() + 1) + "-" + pad(t.getDate()) + " " +
      pad(t.getHours()) + ":" + pad(t.getMinutes());
  }

  // describe says what a decision did, briefly.
  function describe(d) {
    switch (d.action) {
      case "accept":
        return "Accepted " + quote(d.label);
      case "relabel":
        return "Relabelled to " + quote(d.label);
      case "skip":
        return "Skipped";
    }
    return d.action;
  }

  function shortState(d) {
    if (!d) {
      return "";
    }
    switch (d.action) {
      case "accept":
        return "accepted";
      case "relabel":
        return "\u2192 " + d.label;
      case "skip":
        return "skipped";
    }
    return d.action;
  }

  function rowList(rows) {
    rows = rows || [];
    var shown = rows.slice(0, 20).join(", ");
    if (rows.length > 20) {
      shown += ", \u2026 (" + rows.length + " rows)";
    }
    return (rows.length === 1 ? "Row " : "Rows ") + shown;
  }

  // api calls the server with the page's token and returns the decoded
  // JSON, or throws an Error saying what went wrong.
  function api(method, path, body) {
    var opts = {
      method: method,
      headers: { "X-Assay-Token": token },
      cache: "no-store",
      credentials: "same-origin"
    };
    if (body !== undefined) {
      opts.headers["Content-Type"] = "application/json";
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () {
        return null;
      }).then(function (data) {
        if (r.ok) {
          return data;
        }
        if (r.status === 403) {
          throw new Error("The review server refused the request: " +
            (data && data.error ? data.error : r.statusText) +
            ". If it was restarted, reload the page.");
        }
        throw new Error(data && data.error ? data.error : "The server answered " + r.status + " " + r.statusText + ".");
      });
    }, function () {
      throw new Error("Could not reach the review server. Is assay still running?");
    });
  }

  function setBusy(busy) {
    state.busy = busy;
    main.setAttribute("data-state", busy ? "saving" : "ready");
    main.setAttribute("aria-busy", busy ? "true" : "false");
  }

  // Progress and the queue list.

  function renderProgress() {
    var p = state.progress;
    var text = p.decided + " of " + p.total + " decided";
    if (p.skipped > 0) {
      text += " (" + p.skipped + " skipped)";
    }
    $("progress-text").textContent = text;
    var bar = $("progress");
    bar.max = Math.max(p.total, 1);
    bar.value = p.decided;
  }

  function queueEntry(i) {
    var it = state.items[i];
    var b = el("button");
    b.type = "button";
    b.setAttribute("data-pos", String(i));
    b.appendChild(el("span", "q-id", it.id));
    var labels = (it.given || "(empty)") + " \u2192 " + (it.suggested || "?");
    b.appendChild(el("span", "q-labels", labels));
    var d = it.decision;
    var st = el("span", "q-state" + (d ? " " + d.action : ""), d ? shortState(d) : "open");
    b.appendChild(st);
    b.setAttribute("aria-label", it.id + ", given " + it.given +
      (it.suggested ? ", suggested " + it.suggested : "") + ", " + (d ? describe(d) : "undecided"));
    if (i === state.pos) {
      b.setAttribute("aria-current", "true");
    }
    var li = el("li");
    li.appendChild(b);
    return li;
  }

  function renderQueue() {
    var list = $("queue");
    clear(list);
    for (var i = 0; i < state.items.length; i++) {
      list.appendChild(queueEntry(i));
    }
  }

  function updateQueueEntry(i) {
    var list = $("queue");
    var old = list.children[i];
    if (!old) {
      return;
    }
    var hadFocus = old.contains(document.activeElement);
    var li = queueEntry(i);
    list.replaceChild(li, old);
    if (hadFocus) {
      li.firstChild.focus();
    }
  }

  // scrollList scrolls the queue list, and only it, to show b.
  function scrollList(b) {
    var list = $("queue");
    var lr = list.getBoundingClientRect();
    var br = b.getBoundingClientRect();
    if (br.top < lr.top) {
      list.scrollTop -= lr.top - br.top;
    } else if (br.bottom > lr.bottom) {
      list.scrollTop += br.bottom - lr.bottom;
    }
  }

  function markCurrent() {
    var buttons = $("queue").querySelectorAll("button[data-pos]");
    for (var i = 0; i < buttons.length; i++) {
      if (i === state.pos) {
        buttons[i].setAttribute("aria-current", "true");
        scrollList(buttons[i]);
      } else {
        buttons[i].removeAttribute("aria-current");
      }
    }
  }

  // The current item.

  function table(caption, head, numeric, rows, classes) {
    var wrap = el("div", "table-wrap");
    var t = el("table");
    if (caption) {
      t.appendChild(el("caption", "", caption));
    }
    var thead = el("thead");
    var tr = el("tr");
    head.forEach(function (h, j) {
      var th = el("th", numeric[j] ? "num" : "", h);
      th.scope = "col";
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    t.appendChild(thead);
    var tbody = el("tbody");
    rows.forEach(function (r, i) {
      var tr = el("tr");
      r.forEach(function (v, j) {
        var cls = [];
        if (numeric[j]) {
          cls.push("num");
        }
        if (classes && classes[i] && classes[i][j]) {
          cls.push(classes[i][j]);
        }
        tr.appendChild(el("td", cls.join(" "), v));
      });
      tbody.appendChild(tr);
    });
    t.appendChild(tbody);
    wrap.appendChild(t);
    return wrap;
  }

  function labelClass(it, label) {
    if (label === it.suggested && it.suggested) {
      return "is-suggested";
    }
    if (label === it.given) {
      return "is-given";
    }
    return "";
  }

  function renderDetails(it) {
    var box = $("details");
    clear(box);
    var ev = it.evidence || {};
    var fields = it.fields || [];
    if (fields.length > 0) {
      box.appendChild(el("h3", "", "Values"));
      var wrap = el("div", "table-wrap");
      var t = el("table", "fields");
      var tbody = el("tbody");
      fields.forEach(function (f) {
        var tr = el("tr");
        var th = el("th", "", f.name);
        th.scope = "row";
        tr.appendChild(th);
        tr.appendChild(el("td", "", f.value));
        tbody.appendChild(tr);
      });
      t.appendChild(tbody);
      wrap.appendChild(t);
      box.appendChild(wrap);
    }
    if (ev.conflicts && ev.conflicts.rows && ev.conflicts.rows.length > 0) {
      var cols = ev.conflicts.columns || [];
      box.appendChild(el("h3", "", "Conflicting rows"));
      var head = ["Row"].concat(cols, ["Label"]);
      var numeric = head.map(function (_, j) {
        return j === 0;
      });
      var rows = [];
      var classes = [];
      ev.conflicts.rows.forEach(function (r) {
        var row = [String(r.row)];
        for (var j = 0; j < cols.length; j++) {
          row.push(r.values && j < r.values.length ? r.values[j] : "");
        }
        row.push(r.label);
        rows.push(row);
        var c = [];
        c[row.length - 1] = labelClass(it, r.label);
        classes.push(c);
      });
      box.appendChild(table("Rows with the same features and their labels", head, numeric, rows, classes));
    }
    var probs = ev.probs ? Object.keys(ev.probs) : [];
    if (probs.length > 0) {
      probs.sort(function (a, b) {
        return ev.probs[b] - ev.probs[a] || (a < b ? -1 : a > b ? 1 : 0);
      });
      box.appendChild(el("h3", "", "Class probabilities"));
      var list = el("ul", "probs");
      list.setAttribute("aria-label", "Class probabilities");
      probs.forEach(function (c) {
        var p = ev.probs[c];
        var li = el("li");
        var name = el("span", "prob-class " + labelClass(it, c), c);
        var bar = el("span", "prob-bar");
        bar.setAttribute("aria-hidden", "true");
        var fill = el("span", "prob-fill");
        fill.style.width = Math.max(0, Math.min(1, p)) * 100 + "%";
        bar.appendChild(fill);
        li.appendChild(name);
        li.appendChild(bar);
        li.appendChild(el("span", "prob-value", formatNumber(p, 3)));
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    if (ev.neighbours && ev.neighbours.rows && ev.neighbours.rows.length > 0) {
      var ncols = ev.neighbours.columns || [];
      box.appendChild(el("h3", "", "Nearest neighbours"));
      var nhead = ["Row", "Distance", "Label"].concat(ncols);
      var nnum = nhead.map(function (_, j) {
        return j < 2;
      });
      var nrows = [];
      var nclasses = [];
      ev.neighbours.rows.forEach(function (r) {
        var row = [String(r.row), formatNumber(r.distance, 4), r.label];
        for (var j = 0; j < ncols.length; j++) {
          row.push(r.values && j < r.values.length ? r.values[j] : "");
        }
        nrows.push(row);
        nclasses.push([undefined, undefined, labelClass(it, r.label)]);
      });
      box.appendChild(table("Nearest rows, nearest first", nhead, nnum, nrows, nclasses));
    }
    if (ev.note) {
      box.appendChild(el("h3", "", "Note"));
      box.appendChild(el("p", "note", ev.note));
    }
  }

  function renderPicker(it) {
    var list = $("classes");
    clear(list);
    var classes = it.classes || [];
    var d = it.decision;
    classes.forEach(function (c, i) {
      var b = el("button");
      b.type = "button";
      b.setAttribute("data-class", c);
      if (i < 9) {
        b.appendChild(el("kbd", "", String(i + 1)));
        b.setAttribute("aria-keyshortcuts", String(i + 1));
      }
      b.appendChild(el("span", "", c));
      var tags = [];
      if (c === it.given) {
        tags.push("given");
      }
      if (c === it.suggested) {
        tags.push("suggested");
      }
      if (d && d.action === "relabel" && d.label === c) {
        tags.push("current decision");
        b.className = "chosen";
      }
      if (tags.length > 0) {
        b.appendChild(el("span", "tag", "(" + tags.join(", ") + ")"));
      }
      var li = el("li");
      li.appendChild(b);
      list.appendChild(li);
    });
    if (classes.length === 0) {
      list.appendChild(el("li", "hint", "This item offers no classes."));
    }
  }

  function renderItem() {
    var it = cur();
    if (!it) {
      title.textContent = "The queue is empty";
      $("item-meta").textContent = "There is nothing to review.";
      actionButtons.forEach(function (b) {
        b.disabled = true;
      });
      return;
    }
    main.setAttribute("data-item", it.id);
    title.textContent = it.id;
    $("item-meta").textContent = rowList(it.rows) + " \u00b7 score " + formatNumber(it.score, 4) +
      " \u00b7 item " + (state.pos + 1) + " of " + state.items.length;
    $("given").textContent = it.given || "(empty)";
    var sug = $("suggested");
    sug.textContent = it.suggested || "none";
    var dec = $("decision");
    var d = it.decision;
    if (d) {
      var text = describe(d) + " by " + d.reviewer + ", " + formatTime(d.time);
      if (d.reason) {
        text += " \u2014 " + quote(d.reason);
      }
      dec.textContent = text;
      dec.setAttribute("data-action", d.action);
    } else {
      dec.textContent = "Undecided";
      dec.setAttribute("data-action", "none");
    }
    $("accept").disabled = !it.suggested;
    relabelButton.disabled = !(it.classes && it.classes.length > 0);
    $("skip").disabled = false;
    $("prev").disabled = state.pos === 0;
    $("next").disabled = state.pos >= state.items.length - 1;
    reason.value = d && d.reason ? d.reason : "";
    renderPicker(it);
    renderDetails(it);
    markCurrent();
  }

  // rescueFocus moves focus to the item's title when the element that had
  // it was hidden or removed, so keys and screen readers stay on the item.
  function rescueFocus() {
    var a = document.activeElement;
    if (!a || a === document.body || !document.body.contains(a) || a.offsetParent === null) {
      title.focus({ preventScroll: true });
    }
  }

  function show(pos) {
    if (pos < 0 || pos >= state.items.length) {
      return;
    }
    var inPicker = picker.contains(document.activeElement);
    state.pos = pos;
    closePicker(false);
    showError("");
    renderItem();
    if (inPicker) {
      title.focus({ preventScroll: true });
    }
    rescueFocus();
  }

  function go(delta) {
    var pos = state.pos + delta;
    if (pos < 0 || pos >= state.items.length) {
      say(delta > 0 ? "This is the last item." : "This is the first item.");
      return;
    }
    show(pos);
    say("Item " + (pos + 1) + " of " + state.items.length + ": " + cur().id);
  }

  // nextUndecided returns the position of the first undecided item after
  // from, wrapping around, or -1.
  function nextUndecided(from) {
    var n = state.items.length;
    for (var k = 1; k <= n; k++) {
      var i = (from + k) % n;
      if (!state.items[i].decision) {
        return i;
      }
    }
    return -1;
  }

  function gotoUndecided() {
    var i = nextUndecided(state.pos);
    if (i < 0) {
      say("Every item is decided.");
      return;
    }
    show(i);
    say("Item " + (i + 1) + " of " + state.items.length + ": " + cur().id);
  }

  // The picker.

  function pickerOpen() {
    return !picker.hidden;
  }

  function openPicker() {
    var it = cur();
    if (!it || !(it.classes && it.classes.length > 0)) {
      say("This item offers no classes to relabel to.");
      return;
    }
    picker.hidden = false;
    relabelButton.setAttribute("aria-expanded", "true");
    var target = picker.querySelector("button.chosen") || picker.querySelector("button");
    if (target) {
      target.focus();
    }
  }

  function closePicker(refocus) {
    var had = picker.contains(document.activeElement);
    picker.hidden = true;
    relabelButton.setAttribute("aria-expanded", "false");
    if (had && refocus) {
      relabelButton.focus();
    }
  }

  function movePickerFocus(delta) {
    var buttons = Array.prototype.slice.call(picker.querySelectorAll("button"));
    if (buttons.length === 0) {
      return;
    }
    var i = buttons.indexOf(document.activeElement);
    i = i < 0 ? 0 : (i + delta + buttons.length) % buttons.length;
    buttons[i].focus();
  }

  // Decisions.

  function decide(action, label, stay) {
    var it = cur();
    if (!it) {
      return;
    }
    if (state.busy) {
      say("Still saving the last decision\u2026");
      return;
    }
    if (action === "accept" && !it.suggested) {
      say("This item has no suggestion to accept.");
      return;
    }
    var why = reason.value.trim();
    var d = it.decision;
    if (d && d.action === action && (action !== "relabel" || d.label === label) && (d.reason || "") === why) {
      say("Already " + describe(d).toLowerCase() + "; nothing to save.");
      if (!stay) {
        advance();
      }
      return;
    }
    var pos = state.pos;
    setBusy(true);
    showError("");
    api("POST", "/api/decide", { item: it.id, action: action, label: label || "", reason: why }).then(function (res) {
      state.items[pos] = res.item;
      state.progress = res.progress;
      renderProgress();
      updateQueueEntry(pos);
      setBusy(false);
      var msg = describe(res.item.decision) + ": " + res.item.id + ".";
      if (stay || pos !== state.pos) {
        if (pos === state.pos) {
          renderItem();
        }
        say(msg);
        return;
      }
      advance();
      say(msg + (state.progress.decided === state.progress.total ? " Every item is decided." : ""));
    }, function (err) {
      setBusy(false);
      showError(err.message);
    });
  }

  // advance moves on after a decision: to the next undecided item, or,
  // when every item is decided, to the next one.
  function advance() {
    var i = nextUndecided(state.pos);
    if (i < 0) {
      i = Math.min(state.pos + 1, state.items.length - 1);
    }
    if (i === state.pos) {
      closePicker(false);
      renderItem();
      rescueFocus();
      return;
    }
    show(i);
  }

  function relabelTo(n) {
    var it = cur();
    var classes = (it && it.classes) || [];
    if (n < 1 || n > classes.length) {
      say("There is no class " + n + " for this item.");
      return;
    }
    decide("relabel", classes[n - 1]);
  }

  function saveReason() {
    var it = cur();
    if (!it) {
      return;
    }
    var d = it.decision;
    if (d) {
      decide(d.action, d.action === "relabel" ? d.label : "", true);
      return;
    }
    say("Reason kept. Choose Accept (A), Relabel (R) or Skip (S) to save it with a decision.");
    title.focus({ preventScroll: true });
  }

  // Input.

  $("accept").addEventListener("click", function () {
    decide("accept", "");
  });
  relabelButton.addEventListener("click", function () {
    if (pickerOpen()) {
      closePicker(true);
    } else {
      openPicker();
    }
  });
  $("skip").addEventListener("click", function () {
    decide("skip", "");
  });
  $("prev").addEventListener("click", function () {
    go(-1);
  });
  $("next").addEventListener("click", function () {
    go(1);
  });
  $("undecided").addEventListener("click", gotoUndecided);
  $("classes").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-class]");
    if (b) {
      decide("relabel", b.getAttribute("data-class"));
    }
  });
  $("queue").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-pos]");
    if (b) {
      show(Number(b.getAttribute("data-pos")));
    }
  });

  var focusReasonOnKeyUp = false;
  document.addEventListener("keyup", function (e) {
    if (focusReasonOnKeyUp && e.key.toLowerCase() === "e") {
      focusReasonOnKeyUp = false;
      reason.focus();
    }
  });

  document.addEventListener("keydown", function (e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) {
      return;
    }
    var t = e.target;
    if (t === reason) {
      if (e.key === "Enter") {
        e.preventDefault();
        saveReason();
      } else if (e.key === "Escape") {
        e.preventDefault();
        title.focus({ preventScroll: true });
      }
      return;
    }
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
      return;
    }
    if (state.items.length === 0) {
      return;
    }
    var key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (pickerOpen() && picker.contains(t)) {
      if (key === "ArrowRight" || key === "ArrowDown") {
        e.preventDefault();
        movePickerFocus(1);
        return;
      }
      if (key === "ArrowLeft" || key === "ArrowUp") {
        e.preventDefault();
        movePickerFocus(-1);
        return;
      }
    }
    var handled = true;
    switch (key) {
      case "a":
        decide("accept", "");
        break;
      case "r":
        if (pickerOpen()) {
          closePicker(true);
        } else {
          openPicker();
        }
        break;
      case "s":
        decide("skip", "");
        break;
      case "j":
      case "ArrowRight":
        go(1);
        break;
      case "k":
      case "ArrowLeft":
        go(-1);
        break;
      case "n":
        gotoUndecided();
        break;
      case "e":
        // Focus the field when the key is released, so that the key's own
        // character is not typed into it.
        focusReasonOnKeyUp = true;
        break;
      case "Escape":
        if (pickerOpen()) {
          closePicker(true);
        } else {
          handled = false;
        }
        break;
      default:
        if (/^[1-9]$/.test(key)) {
          relabelTo(Number(key));
        } else {
          handled = false;
        }
    }
    if (handled) {
      e.preventDefault();
    }
  });

  // Start: load the queue and open the first undecided item.
  setBusy(true);
  api("GET", "/api/queue").then(function (q) {
    state.items = q.items || [];
    state.progress = q.progress;
    var first = nextUndecided(state.items.length - 1);
    state.pos = first < 0 ? 0 : first;
    renderProgress();
    renderQueue();
    renderItem();
    setBusy(false);
    if (state.items.length > 0) {
      say(first < 0 ? "Every item is decided; decisions can still be changed." :
        "Resuming at item " + (state.pos + 1) + " of " + state.items.length + ", the first undecided.");
    }
  }, function (err) {
    main.setAttribute("data-state", "error");
    title.textContent = "The queue did not load";
    showError(err.message);
  });
})();
