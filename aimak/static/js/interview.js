/* Aimak interview form: one group per screen on an enumerator's phone, and the helpers of
   the paper-entry page. Plain JavaScript, no build step.

   Working offline, kept simple on purpose: there is no service worker, so the page itself
   must have loaded once. From then on a dropped connection loses nothing: the interview in
   progress is saved to localStorage at every change, and a finished interview goes into an
   outbox in localStorage (both survive a reload). The outbox is sent when the page loads,
   on the browser's `online` event, every 30 s, and with "Send now". Every interview
   carries an id made here, so sending it twice (a retry, a double tap) stores it once.

   Skip conditions and constraints arrive as expression trees (aimak/surveys/expressions.py)
   and are evaluated by `evaluate` below with the same XPath conversions as the server. */
(() => {
  "use strict";

  // --- Expressions: a port of expressions.evaluate --------------------------------------
  const COMPARISONS = ["=", "!=", "<", "<=", ">", ">="];
  const isNum = (v) => typeof v === "number";

  function str(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "boolean") return v ? "true" : "false";
    if (Array.isArray(v)) return v.map(String).join(" ");
    if (isNum(v)) {
      if (Number.isNaN(v)) return "NaN";
      if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
      return String(v);
    }
    return String(v);
  }
  function num(v) {
    if (typeof v === "boolean") return v ? 1 : 0;
    if (isNum(v)) return v;
    const s = str(v).trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
    if (/^[+-]?(inf|infinity)$/i.test(s)) return s[0] === "-" ? -Infinity : Infinity;
    return NaN;
  }
  function bool(v) {
    if (typeof v === "boolean") return v;
    if (isNum(v)) return !(v === 0 || Number.isNaN(v));
    return str(v) !== "";
  }
  function compare(op, a, b) {
    if (op === "=" || op === "!=") {
      let equal;
      if (typeof a === "boolean" || typeof b === "boolean") equal = bool(a) === bool(b);
      else if (isNum(a) || isNum(b)) equal = num(a) === num(b);
      else equal = str(a) === str(b);
      return op === "=" ? equal : !equal;
    }
    const x = num(a), y = num(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return false;
    return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
  }
  function arith(op, a, b) {
    const x = num(a), y = num(b);
    if (op === "+") return x + y;
    if (op === "-") return x - y;
    if (op === "*") return x * y;
    if (op === "div") {
      if (y !== 0) return x / y;
      return x === 0 || Number.isNaN(x) ? NaN : x > 0 ? Infinity : -Infinity;
    }
    return y !== 0 ? x % y : NaN;
  }
  const selectedOf = (v) => (Array.isArray(v) ? v.map(String) : str(v).split(/\s+/).filter(Boolean));
  const today = () => {
    const d = new Date(), p = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  };

  function evaluate(node, answers, current) {
    if (node === null || node === undefined) return true;
    const kind = node[0];
    if (kind === "lit") return node[1];
    if (kind === "ref") return answers[node[1]] === undefined ? null : answers[node[1]];
    if (kind === "self") return current === undefined ? null : current;
    if (kind === "neg") return -num(evaluate(node[1], answers, current));
    if (kind === "op") {
      const op = node[1];
      if (op === "or") return bool(evaluate(node[2], answers, current)) || bool(evaluate(node[3], answers, current));
      if (op === "and") return bool(evaluate(node[2], answers, current)) && bool(evaluate(node[3], answers, current));
      const a = evaluate(node[2], answers, current), b = evaluate(node[3], answers, current);
      return COMPARISONS.includes(op) ? compare(op, a, b) : arith(op, a, b);
    }
    const name = node[1];
    const args = node.slice(2).map((arg) => evaluate(arg, answers, current));
    switch (name) {
      case "not": return !bool(args[0]);
      case "selected": return selectedOf(args[0]).includes(str(args[1]).trim());
      case "count-selected": return selectedOf(args[0]).length;
      case "string-length": return [...str(args[0])].length;
      case "today": return today();
      case "number": return num(args[0]);
      case "int": { const n = num(args[0]); return Number.isFinite(n) ? Math.trunc(n) : n; }
      case "string": return str(args[0]);
      case "concat": return args.map(str).join("");
      case "if": return bool(args[0]) ? args[1] : args[2];
      case "coalesce": return str(args[0]) ? args[0] : args[1];
      case "contains": return str(args[0]).includes(str(args[1]));
      case "starts-with": return str(args[0]).startsWith(str(args[1]));
      case "ends-with": return str(args[0]).endsWith(str(args[1]));
      case "regex":
        try { return new RegExp(str(args[1])).test(str(args[0])); } catch (e) { return false; }
      case "round": {
        const n = num(args[0]);
        if (Number.isNaN(n)) return n;
        const f = 10 ** (args.length > 1 ? Math.trunc(num(args[1])) : 0);
        return Math.floor(n * f + 0.5) / f;
      }
      case "min": case "max": {
        const ns = args.map(num);
        if (ns.some(Number.isNaN)) return NaN;
        return name === "min" ? Math.min(...ns) : Math.max(...ns);
      }
    }
    throw new Error("unknown function " + name);
  }
  const isTrue = (node, answers, current) => bool(evaluate(node, answers, current));

  // --- Values (as aimak/surveys/answers.py reads them) ----------------------------------
  const SELECTS = ["select_one", "select_multiple", "rating", "yes_no", "village"];
  const S = readJSON("interview-strings") || {};
  const fmt = (text, values) => String(text || "").replace(/\{(\w+)\}/g, (_, k) => values[k]);

  function numberFrom(text) {
    let t = String(text).replace(/[\s\u00a0\u202f]+/g, "");
    if (t.includes(",") && !t.includes(".")) t = t.replaceAll(",", ".");
    return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : NaN;
  }
  function dateFrom(text) {
    const t = String(text).trim().split("T")[0];
    let m, y, mo, d;
    if ((m = t.match(/^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/))) [y, mo, d] = [m[1], m[2], m[3]];
    else if ((m = t.match(/^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$/))) [y, mo, d] = [m[4], m[3], m[1]];
    else if ((m = t.match(/^(\d{1,2})\.(\d{1,2})\.(\d{2})$/))) [y, mo, d] = [(+m[3] < 69 ? 2000 : 1900) + +m[3], m[2], m[1]];
    else return null;
    const date = new Date(Date.UTC(+y, +mo - 1, +d));
    if (date.getUTCFullYear() !== +y || date.getUTCMonth() !== +mo - 1 || date.getUTCDate() !== +d) return null;
    return date.toISOString().slice(0, 10);
  }
  // The value of a question from what its inputs hold: {value} or {error}.
  function typed(q, raw) {
    if (raw === null || raw === undefined) return { value: null };
    if (q.type === "select_multiple") {
      const names = (q.choices || []).map((c) => c[0]);
      const list = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== "");
      return { value: list.length ? names.filter((n) => list.includes(n)) : null };
    }
    const text = String(raw).trim();
    if (!text) return { value: null };
    if (SELECTS.includes(q.type)) return { value: text };
    if (q.type === "integer") {
      const n = numberFrom(text);
      return Number.isInteger(n) ? { value: n } : { error: S.integer };
    }
    if (q.type === "decimal") {
      const n = numberFrom(text);
      return Number.isFinite(n) ? { value: n } : { error: S.decimal };
    }
    if (q.type === "date") {
      const d = dateFrom(text);
      return d ? { value: d } : { error: S.date };
    }
    return { value: text };
  }

  // Relevance, answers and errors of the whole form, in form order as the server checks:
  // a question sees the answers before it; answers to skipped questions are dropped.
  function compute(items, raw) {
    const vis = new Map(), errors = new Map(), answers = {};
    const run = (items, raw, out, scope, shown, prefix) => {
      for (const it of items) {
        const key = prefix + it.name;
        const on = shown && isTrue(it.relevant, scope);
        vis.set(key, on);
        if (it.kind === "group") {
          if (!it.repeat) { run(it.items, raw, out, scope, on, prefix); continue; }
          const rows = Array.isArray(raw[it.name]) ? raw[it.name] : [];
          const done = rows.map((row, i) => {
            const o = {};
            run(it.items, row || {}, o, Object.assign({}, scope), on, `${key}/${i}/`);
            return o;
          });
          if (on && rows.length) out[it.name] = done;
          continue;
        }
        if (!on) continue;
        const { value, error } = typed(it, raw[it.name]);
        if (error) { errors.set(key, error); continue; }
        if (value === null) { if (it.required) errors.set(key, S.required); continue; }
        if (it.constraint && !isTrue(it.constraint, scope, value)) {
          errors.set(key, it.constraint_message || S.notAllowed);
          continue;
        }
        out[it.name] = value;
        if (scope !== out) scope[it.name] = value;
      }
    };
    run(items, raw, answers, answers, true, "");
    return { vis, errors, answers };
  }

  window.AimakForm = { evaluate, isTrue, compute, typed };

  // --- Small helpers --------------------------------------------------------------------
  function readJSON(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "text") node.textContent = v;
      else if (k === "class") node.className = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) if (child) node.append(child);
    return node;
  }
  const domId = (key) => "q-" + key.replace(/[^\w-]/g, "_");
  const lastName = (key) => key.split("/").pop();
  function store(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode or full: the page still works while it stays open */ }
  }
  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) ?? fallback; } catch (e) { return fallback; }
  }
  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const x = [...b].map((n) => n.toString(16).padStart(2, "0")).join("");
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }
  function setPath(raw, key, value) {
    const parts = key.split("/");
    let target = raw;
    while (parts.length > 1) {
      const group = parts.shift(), row = +parts.shift();
      const rows = (target[group] = Array.isArray(target[group]) ? target[group] : []);
      target = rows[row] = rows[row] || {};
    }
    target[parts[0]] = value;
  }
  function questionsByName(items, into = {}) {
    for (const it of items) {
      if (it.kind === "group") questionsByName(it.items, into);
      else into[it.name] = it;
    }
    return into;
  }

  // --- The phone form -------------------------------------------------------------------
  const app = document.getElementById("interview-app");
  const FORM = readJSON("interview-form");
  if (app && FORM && FORM.length) phoneForm(app, FORM);
  const paper = document.getElementById("paper-form");
  if (paper && FORM) paperForm(paper, FORM);

  function phoneForm(app, items) {
    const base = `aimak:collect:${app.dataset.round}:${app.dataset.user}:`;
    const form = document.getElementById("interview");
    const statusLine = document.getElementById("collect-status");
    const byName = questionsByName(items);
    const screens = [];
    let loose = null;
    for (const it of items) {
      if (it.kind === "group") { screens.push({ items: [it], title: it.label }); loose = null; }
      else { if (!loose) screens.push((loose = { items: [], title: "" })); loose.items.push(it); }
    }
    let draft = load(base + "draft", null) || fresh();
    let state = null; // the last compute()
    let sending = false;

    function fresh() { return { id: newId(), started_at: null, raw: {}, screen: 0, problems: {} }; }
    const saveDraft = () => store(base + "draft", draft);
    const outbox = () => load(base + "outbox", []);
    const saveOutbox = (list) => store(base + "outbox", list);
    const say = (text) => { statusLine.textContent = text; };

    // Rendering: every screen at once (only the current one shown), from the draft.
    function choiceInput(q, key, type, name, label, index, raw) {
      const id = `${domId(key)}-${index}`;
      const checked = type === "radio" ? raw === name : Array.isArray(raw) && raw.includes(name);
      return h("label", { class: "choice", for: id },
        h("input", { type, id, name: domId(key), value: name, checked, "data-k": key }),
        h("span", { text: label || name }));
    }
    function renderQuestion(q, key, raw) {
      const id = domId(key);
      const hint = q.hint ? h("p", { class: "hint", id: id + "-hint", text: q.hint }) : null;
      const error = h("p", { class: "q-error", id: id + "-err", hidden: true });
      const mark = q.required ? h("span", { class: "req", title: S.requiredMark, text: " *" }) : null;
      const wrap = h("div", { class: "q", "data-k": key, "data-type": q.type });
      if (SELECTS.includes(q.type)) {
        const type = q.type === "select_multiple" ? "checkbox" : "radio";
        const choices = q.choices || [];
        const legend = h("legend", {}, q.label || q.name, mark);
        const box = h("fieldset", {}, legend, hint);
        if (q.type === "rating") {
          const points = choices.filter((c) => /^-?\d+$/.test(c[0]));
          const scale = h("div", { class: "scale" });
          scale.style.setProperty("--points", points.length);
          points.forEach((c) => scale.append(choiceInput(q, key, type, c[0], c[1], choices.indexOf(c), raw)));
          box.append(scale);
          const rest = choices.filter((c) => !points.includes(c));
          if (rest.length) box.append(h("div", { class: "choices" }, rest.map((c) => choiceInput(q, key, type, c[0], c[1], choices.indexOf(c), raw))));
        } else {
          box.append(h("div", { class: "choices" }, choices.map((c, i) => choiceInput(q, key, type, c[0], c[1], i, raw))));
        }
        box.append(error);
        wrap.append(box);
        return wrap;
      }
      const described = [hint && id + "-hint"].filter(Boolean).join(" ") || null;
      const common = { id: id + "-i", "data-k": key, "aria-describedby": described, required: q.required };
      let input;
      if (q.type === "text") input = h("textarea", { ...common, rows: 3 });
      else if (q.type === "date") input = h("input", { ...common, type: "date" });
      else input = h("input", { ...common, type: "text", inputmode: q.type === "integer" ? "numeric" : "decimal", autocomplete: "off" });
      input.value = raw === undefined || raw === null ? "" : String(raw);
      wrap.append(...[h("label", { for: id + "-i" }, q.label || q.name, mark), hint, input, error].filter(Boolean));
      return wrap;
    }
    function renderItems(list, raw, prefix) {
      return list.map((it) => {
        const key = prefix + it.name;
        if (it.kind !== "group") return renderQuestion(it, key, raw[it.name]);
        if (!it.repeat) {
          return h("fieldset", { class: "grp", "data-k": key },
            h("legend", { text: it.label || it.name }), renderItems(it.items, raw, prefix));
        }
        if (!Array.isArray(raw[it.name])) raw[it.name] = [{}];
        const rows = raw[it.name].map((row, i) => h("fieldset", { class: "row" },
          h("legend", { text: fmt(S.row, { group: it.label || it.name, row: i + 1 }) }),
          renderItems(it.items, row, `${key}/${i}/`),
          h("button", { type: "button", class: "btn secondary", "data-remove": `${key}/${i}`, text: S.remove })));
        return h("fieldset", { class: "grp repeat", "data-k": key },
          h("legend", { text: it.label || it.name }), rows,
          h("button", { type: "button", class: "btn secondary", "data-add": key, text: S.add }));
      });
    }
    function render() {
      form.replaceChildren();
      const count = h("p", { class: "screen-count", id: "screen-count" });
      const bar = h("progress", { id: "screen-bar", "aria-hidden": "true", max: 1, value: 0 });
      form.append(count, bar);
      screens.forEach((s, i) => {
        const section = h("section", { class: "screen", "data-screen": i, hidden: true });
        const top = s.items.length === 1 && s.items[0].kind === "group" && !s.items[0].repeat ? s.items[0] : null;
        section.append(h("h2", { tabindex: "-1", text: s.title || S.interview }));
        if (top) section.append(h("div", { class: "grp", "data-k": top.name }, renderItems(top.items, draft.raw, "")));
        else section.append(...renderItems(s.items, draft.raw, ""));
        form.append(section);
      });
      form.append(h("div", { class: "form-nav" },
        h("button", { type: "button", class: "btn secondary", id: "back", text: S.back }),
        h("button", { type: "submit", class: "btn", id: "next", text: S.next })));
      update();
      showProblems();
    }

    const visible = (s) => s.items.some((it) => state.vis.get(it.name));
    const nextScreen = (from, step) => {
      for (let i = from + step; i >= 0 && i < screens.length; i += step) if (visible(screens[i])) return i;
      return -1;
    };
    function update() {
      state = compute(items, draft.raw);
      for (const node of form.querySelectorAll(".q[data-k], .grp[data-k]")) node.hidden = !state.vis.get(node.dataset.k);
      if (!screens[draft.screen] || !visible(screens[draft.screen])) draft.screen = Math.max(0, nextScreen(-1, 1));
      form.querySelectorAll(".screen").forEach((node, i) => { node.hidden = i !== draft.screen; });
      const shown = screens.map((s, i) => i).filter((i) => visible(screens[i]));
      const position = shown.indexOf(draft.screen) + 1;
      document.getElementById("screen-count").textContent = fmt(S.screen, { n: position, total: shown.length });
      const bar = document.getElementById("screen-bar");
      bar.max = shown.length;
      bar.value = position;
      document.getElementById("back").disabled = nextScreen(draft.screen, -1) < 0;
      document.getElementById("next").textContent = nextScreen(draft.screen, 1) < 0 ? S.save : S.next;
    }
    function setError(wrap, message) {
      const error = wrap.querySelector(".q-error");
      error.textContent = message || "";
      error.hidden = !message;
      for (const input of wrap.querySelectorAll("input, textarea")) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
        const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== error.id);
        if (message) ids.push(error.id);
        if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
        else input.removeAttribute("aria-describedby");
      }
      wrap.classList.toggle("invalid", Boolean(message));
    }
    // Errors of the questions shown on `screen`; shows them and focuses the first.
    function check(screen) {
      let first = null;
      const section = form.querySelector(`.screen[data-screen="${screen}"]`);
      for (const wrap of section.querySelectorAll(".q[data-k]")) {
        const key = wrap.dataset.k;
        const message = state.vis.get(key) ? state.errors.get(key) : null;
        setError(wrap, message);
        if (message && !first) first = wrap;
      }
      if (first) {
        const input = first.querySelector("input, textarea");
        if (input) input.focus();
        first.scrollIntoView({ block: "center" });
      }
      return !first;
    }
    function showProblems() {
      const problems = draft.problems || {};
      let firstScreen = -1;
      for (const wrap of form.querySelectorAll(".q[data-k]")) {
        const message = problems[lastName(wrap.dataset.k)];
        if (!message || !state.vis.get(wrap.dataset.k)) continue;
        setError(wrap, message);
        const screen = +wrap.closest(".screen").dataset.screen;
        if (firstScreen < 0 || screen < firstScreen) firstScreen = screen;
      }
      return firstScreen;
    }
    function go(screen) {
      draft.screen = screen;
      saveDraft();
      update();
      const heading = form.querySelector(`.screen[data-screen="${screen}"] h2`);
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }

    function read(input) {
      if (input.type === "checkbox") {
        return [...form.querySelectorAll(`input[name="${input.name}"]:checked`)].map((i) => i.value);
      }
      return input.value;
    }
    function changed(event) {
      const input = event.target;
      if (!input.dataset || !input.dataset.k) return;
      const key = input.dataset.k;
      setPath(draft.raw, key, read(input));
      if (!draft.started_at) draft.started_at = new Date().toISOString();
      if (draft.problems) delete draft.problems[lastName(key)];
      setError(input.closest(".q"), null);
      update();
      saveDraft();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      if (button.id === "back") {
        const back = nextScreen(draft.screen, -1);
        if (back >= 0) go(back);
      } else if (button.dataset.add || button.dataset.remove) {
        const path = (button.dataset.add || button.dataset.remove).split("/");
        let target = draft.raw;
        while (path.length > (button.dataset.add ? 1 : 2)) {
          const group = path.shift(), row = +path.shift();
          target = target[group][row];
        }
        const rows = target[path[0]];
        if (button.dataset.add) rows.push({});
        else rows.splice(+path[1], 1);
        saveDraft();
        render();
        if (button.dataset.add) {
          const added = form.querySelectorAll(`[data-k="${button.dataset.add}"] > .row`);
          const input = added.length && added[added.length - 1].querySelector("input, textarea");
          if (input) input.focus();
        }
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!check(draft.screen)) return;
      const next = nextScreen(draft.screen, 1);
      if (next >= 0) return go(next);
      // The last screen: every shown question must be right before saving.
      for (let i = 0; i < screens.length; i++) {
        if (!visible(screens[i])) continue;
        const section = form.querySelector(`.screen[data-screen="${i}"]`);
        const wrong = [...section.querySelectorAll(".q[data-k]")].some((w) => state.vis.get(w.dataset.k) && state.errors.has(w.dataset.k));
        if (wrong) { go(i); check(i); return; }
      }
      finish();
    });

    function finish() {
      const list = outbox().filter((item) => item.id !== draft.id);
      list.push({
        id: draft.id,
        started_at: draft.started_at,
        completed_at: new Date().toISOString(),
        answers: state.answers,
        raw: draft.raw,
        status: "waiting",
      });
      saveOutbox(list);
      const aside = load(base + "aside", []);
      draft = aside.pop() || fresh();
      store(base + "aside", aside.length ? aside : null);
      saveDraft();
      render();
      say(S.saved);
      showOutbox();
      go(draft.screen);
      send();
    }

    // The outbox ---------------------------------------------------------------------------
    const countLine = document.getElementById("outbox-count");
    const refusedList = document.getElementById("outbox-refused");
    function showOutbox() {
      const list = outbox();
      const waiting = list.filter((item) => item.status !== "refused").length;
      countLine.textContent = waiting ? fmt(S.waiting, { n: waiting }) : S.allSent;
      countLine.classList.toggle("pending", waiting > 0);
      document.getElementById("send-now").hidden = waiting === 0;
      refusedList.replaceChildren(...list.filter((item) => item.status === "refused").map((item) => h("li", {},
        h("strong", { text: S.refused }), " ", item.detail || "",
        h("ul", {}, (item.problems || []).map((p) => h("li", {
          text: `${(byName[p.question] && byName[p.question].label) || p.question}: ${p.message}`,
        }))),
        h("button", { type: "button", class: "btn secondary", "data-correct": item.id, text: S.correct }))));
    }
    refusedList.addEventListener("click", (event) => {
      const id = event.target.dataset && event.target.dataset.correct;
      if (!id) return;
      const list = outbox();
      const item = list.find((i) => i.id === id);
      if (!item) return showOutbox();
      if (draft.id !== id && Object.keys(state.answers).length) {
        const aside = load(base + "aside", []);
        aside.push(draft);
        store(base + "aside", aside);
        say(S.setAside);
      }
      const problems = {};
      for (const p of item.problems || []) problems[p.question] = p.message;
      draft = { id: item.id, started_at: item.started_at, raw: item.raw || item.answers, screen: 0, problems };
      saveOutbox(list.filter((i) => i.id !== id));
      saveDraft();
      render();
      showOutbox();
      const screen = showProblems();
      go(screen >= 0 ? screen : 0);
    });

    function csrf() {
      const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
      return match ? decodeURIComponent(match[1]) : app.dataset.csrf;
    }
    async function send() {
      if (sending) return;
      sending = true;
      let stored = 0;
      const tried = new Set();
      try {
        // One at a time, in order; interviews saved meanwhile are taken in the same run.
        for (;;) {
          const item = outbox().find((i) => i.status !== "refused" && !tried.has(i.id));
          if (!item) break;
          tried.add(item.id);
          let response;
          try {
            response = await fetch(app.dataset.api, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
              body: JSON.stringify({
                id: item.id, answers: item.answers, source: "phone",
                started_at: item.started_at, completed_at: item.completed_at,
              }),
            });
          } catch (e) {
            say(S.offline);
            break;
          }
          if (response.status === 200 || response.status === 201) {
            saveOutbox(outbox().filter((i) => i.id !== item.id));
            stored += 1;
          } else if (response.status === 422) {
            const body = await response.json().catch(() => ({}));
            saveOutbox(outbox().map((i) => (i.id === item.id ? { ...i, status: "refused", detail: body.detail || "", problems: body.problems || [] } : i)));
          } else {
            say(response.status === 401 || response.status === 403 ? S.signIn : S.serverError);
            break;
          }
        }
      } finally {
        sending = false;
        showOutbox();
      }
      if (stored) {
        say(fmt(S.sent, { n: stored }));
        refreshProgress();
      }
    }
    async function refreshProgress() {
      const target = document.getElementById("stored-done");
      if (!target || !app.dataset.progressApi) return;
      try {
        const response = await fetch(app.dataset.progressApi, { credentials: "same-origin" });
        if (!response.ok) return;
        const p = await response.json();
        target.textContent = p.total.done.toLocaleString(document.documentElement.lang === "en" ? "en" : "ru");
      } catch (e) { /* offline again: the count stays as it was */ }
    }

    document.getElementById("send-now").addEventListener("click", send);
    window.addEventListener("online", send);
    window.addEventListener("storage", showOutbox);
    setInterval(send, 30000);
    render();
    showOutbox();
    send();
  }

  // --- Paper entry: skipped questions greyed out, Enter moves on ------------------------
  function paperForm(form, items) {
    const byName = questionsByName(items);
    function paperRaw(q, text) {
      const names = (q.choices || []).map((c) => c[0]);
      const choice = (t) => (names.includes(t) ? t : /^\d+$/.test(t) && +t >= 1 && +t <= names.length ? names[+t - 1] : null);
      text = text.trim();
      if (q.type === "select_multiple") {
        const chosen = text.split(/[\s,;]+/).filter(Boolean).map(choice);
        return chosen.every(Boolean) ? chosen : text;
      }
      if (SELECTS.includes(q.type)) return choice(text) || text;
      return text;
    }
    const fields = [...form.querySelectorAll("[data-k]")];
    function refresh() {
      const raw = {};
      for (const input of fields) {
        const q = byName[lastName(input.dataset.k)];
        if (q && input.value.trim()) setPath(raw, input.dataset.k, paperRaw(q, input.value));
      }
      const { vis } = compute(items, raw);
      for (const input of fields) {
        const skipped = vis.get(input.dataset.k) === false;
        input.disabled = skipped;
        input.closest(".pq").classList.toggle("skipped", skipped);
      }
    }
    form.addEventListener("input", refresh);
    form.addEventListener("keydown", (event) => {
      const target = event.target;
      if (event.key !== "Enter" || target.tagName !== "INPUT") return;
      event.preventDefault();
      const order = [...form.elements].filter((e) => !e.disabled && !e.hidden && e.type !== "hidden" && e.tabIndex >= 0);
      const next = order[order.indexOf(target) + 1];
      if (next) next.focus();
    });
    refresh();
  }
})();
