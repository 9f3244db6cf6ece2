// The facilitator screen's script. It never fits an agenda itself: for each slot and each
// length the rest of the meeting may have, the fit was made by fremfaerd-kit and is in
// data.rest; the script looks it up. Every text is shown with textContent.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("kit-data").textContent);
  const words = JSON.parse(document.getElementById("words").textContent);
  const $ = (id) => document.getElementById(id);
  const MIN = 60000;
  const slots = data.slots;
  const KEY = "fremfaerd-kit:" + data.title + ":" + data.tool + ":" + data.minutes + ":" + (data.date || "") + (data.start || "");

  function say(key, values) {
    return words[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  }
  function now() { return Date.now(); }
  function two(n) { return String(n).padStart(2, "0"); }
  function clock(ms) { const d = new Date(ms); return two(d.getHours()) + ":" + two(d.getMinutes()); }
  function elapsed(minutes) { return Math.floor(minutes / 60) + ":" + two(minutes % 60); }
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function titleOf(slot) { return slot.title === null ? words["break"] : slot.title; }

  // --- state ------------------------------------------------------------------------
  function fresh() {
    return { started: null, end: null, cur: 0, curStart: null, curLen: slots[0].minutes,
             paused: null, pausedFor: 0, rest: slots.slice(1).map((s) => s.minutes),
             done: false, view: "agenda",
             cards: { deck: 0, order: "ordered", category: "", warmup: true, pos: 0, shuffle: null } };
  }
  function load() {
    try {
      const saved = JSON.parse(localStorage.getItem(KEY));
      if (saved && typeof saved === "object" && saved.cards) return saved;
    } catch (e) { /* a damaged or missing state starts afresh */ }
    return fresh();
  }
  let state = load();
  function save() { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ } }

  // --- the schedule, looked up ----------------------------------------------------------
  function lookup(index, minutes) {
    const table = data.rest[index];
    if (!table || table.lengths.length === 0) return null;
    let i = Math.round((minutes - table.least) / table.step);
    i = Math.max(0, Math.min(table.lengths.length - 1, i));
    return table.lengths[i].slice();
  }
  function curEnd() {
    const pausing = state.paused !== null ? now() - state.paused : 0;
    return state.curStart + state.curLen * MIN + state.pausedFor + pausing;
  }
  function plannedEnd() {
    // A meeting with a start time ends at its planned clock time when it is started
    // around then; otherwise it gets its full length from the moment it starts.
    const at = now();
    if (data.start) {
      const [h, m] = data.start.split(":").map(Number);
      const begin = new Date(at); begin.setHours(h, m, 0, 0);
      const end = begin.getTime() + data.minutes * MIN;
      if (at >= begin.getTime() - 30 * MIN && at < end) return end;
    }
    return at + data.minutes * MIN;
  }
  function enter(index) {
    state.cur = index; state.curStart = now(); state.paused = null; state.pausedFor = 0;
    state.done = false;
    const row = lookup(index, (state.end - state.curStart) / MIN) || [slots[index].minutes];
    state.curLen = row[0]; state.rest = row.slice(1);
  }
  function refitRest() {
    if (state.cur >= slots.length - 1) { state.rest = []; return; }
    state.rest = lookup(state.cur + 1, (state.end - curEnd()) / MIN) || state.rest;
  }
  function restNow() {
    // Past the current block's end, the rest is shown as it would be if it began now.
    if (state.started === null || state.paused !== null || now() <= curEnd()) return state.rest;
    if (state.cur >= slots.length - 1) return [];
    return lookup(state.cur + 1, (state.end - now()) / MIN) || state.rest;
  }

  // --- actions ----------------------------------------------------------------------------
  function start() { state.started = now(); state.end = plannedEnd(); enter(0); }
  function next() {
    if (state.started === null) return start();
    if (state.done) return;
    if (state.cur < slots.length - 1) enter(state.cur + 1);
    else { state.done = true; state.paused = null; }
  }
  function prev() {
    if (state.started === null) return;
    if (state.done) { state.done = false; return enter(state.cur); }
    if (state.cur > 0) enter(state.cur - 1);
  }
  function lengthen(minutes) {
    if (state.started === null || state.done) return;
    state.curLen = Math.max(data.step, state.curLen + minutes);
    refitRest();
  }
  function pauseOrResume() {
    if (state.started === null) return start();
    if (state.done) return;
    if (state.paused === null) { state.paused = now(); return; }
    state.pausedFor += now() - state.paused; state.paused = null;
    refitRest();
  }
  function act(fn) { return (arg) => { fn(arg); save(); render(true); }; }

  // --- drawing ------------------------------------------------------------------------------
  let shown = null; // the slot whose content is on screen
  function times() {
    // [start, end] of every slot still to come, in ms; null before the start (the page
    // then shows the planned times).
    if (state.started === null) return null;
    const rest = restNow();
    const out = [];
    let t = curEnd();
    if (state.paused === null && !state.done && now() > t) t = now();
    for (let i = 0; i < slots.length; i++) {
      if (i < state.cur) out.push(null);
      else if (i === state.cur) out.push([state.curStart, curEnd()]);
      else { out.push([t, t + rest[i - state.cur - 1] * MIN]); t += rest[i - state.cur - 1] * MIN; }
    }
    // The fits are in whole steps; what is left over (less than half a step either way)
    // goes to the last block, so that the agenda ends at the fixed end.
    const last = out[slots.length - 1];
    if (!state.done && Math.abs(last[1] - state.end) <= (data.step / 2) * MIN && last[1] !== state.end) {
      last[1] = Math.max(last[0] + MIN, state.end);
    }
    return out;
  }
  function span(slot, at) {
    if (at) return clock(at[0]) + "–" + clock(at[1]);
    if (data.start) {
      const [h, m] = data.start.split(":").map(Number);
      const base = h * 60 + m;
      const fmt = (x) => two(Math.floor(((base + x) % 1440) / 60)) + ":" + two((base + x) % 60);
      return fmt(slot.start) + "–" + fmt(slot.start + slot.minutes);
    }
    return elapsed(slot.start) + "–" + elapsed(slot.start + slot.minutes);
  }
  function lengthOf(i, at) {
    if (state.started === null) return slots[i].minutes;
    if (state.done) return null;
    if (i === state.cur) return state.curLen;
    if (i > state.cur) return Math.round((at[i][1] - at[i][0]) / MIN);
    return null;
  }
  function drawContent(index) {
    const slot = slots[index];
    const box = $("block-content");
    box.replaceChildren();
    if (state.done) {
      if (data.closing) { box.append(el("p", words.closing), el("p", "”" + data.closing + "”", "closing")); }
      return;
    }
    const list = (items, tag) => { const l = el(tag); items.forEach((t) => l.append(el("li", t))); return l; };
    if (slot.notes && slot.notes.length) box.append(list(slot.notes, "ul"));
    if (slot.questions && slot.questions.length) box.append(el("h3", words.ask), list(slot.questions, "ul"));
    if (slot.group) {
      const g = slot.group;
      // The questions are led in by the source's words for them: their heading, or the task.
      if (g.questions.length) box.append(el("h3", g.heading ? g.heading + ":" : g.task || words.groupQuestions), list(g.questions, "ol"));
      else if (g.task) box.append(el("p", g.task, "task"));
      g.tips.forEach((tip) => {
        const aside = el("aside", null, "tip");
        aside.append(el("strong", tip.title), el("span", tip.text));
        if (tip.link) aside.append(el("span", " " + tip.link));
        box.append(aside);
      });
    }
    if (index === slots.length - 1 && data.closing) {
      box.append(el("p", words.closing + " ”" + data.closing + "”", "closing"));
    }
  }
  function render(all) {
    const at = times();
    const index = state.cur;
    const slot = slots[index];
    $("now").textContent = clock(now());
    $("block-kicker").textContent = state.done ? "" : say("point", { n: index + 1, of: slots.length });
    $("block-title").textContent = state.done ? words.done : titleOf(slot);
    $("block-span").textContent = state.done ? "" : span(slot, at && at[index]) + " · " + say("min", { n: lengthOf(index, at) });
    if (all || shown !== (state.done ? -1 : index)) { drawContent(index); shown = state.done ? -1 : index; }
    // The countdown and its calm warning.
    const timer = $("timer");
    let left = state.started === null ? slot.minutes * MIN : curEnd() - now();
    if (state.done) left = 0;
    const over = left < 0;
    const secs = Math.round(Math.abs(left) / 1000);
    const text = two(Math.floor(secs / 60)) + ":" + two(secs % 60);
    $("countdown").textContent = over ? say("overBlock", { time: text }) : text;
    const length = (lengthOf(index, at) || 1) * MIN;
    timer.classList.toggle("over", over && !state.done);
    timer.classList.toggle("soon", !over && state.started !== null && !state.done && left <= Math.max(2 * MIN, 0.15 * length));
    $("bar-fill").style.width = state.started === null || state.done ? (state.done ? "100%" : "0") : Math.min(100, 100 * (1 - left / length)) + "%";
    // What comes next.
    const following = index + 1 < slots.length && !state.done ? slots[index + 1] : null;
    const endAt = state.started === null ? null : (at ? at[slots.length - 1][1] : null);
    $("next").textContent = state.done ? "" : following
      ? say("then", { title: titleOf(following), span: span(following, at && at[index + 1]) })
      : say("last", { end: endAt ? clock(endAt) : span(slots[slots.length - 1]).split("–")[1] });
    // The timeline.
    const ol = $("timeline");
    if (ol.children.length !== slots.length) {
      ol.replaceChildren(...slots.map((s) => {
        const li = el("li", null, s.title === null ? "break" : "");
        li.append(el("span", "", "when"), el("span", "", "what"));
        return li;
      }));
    }
    slots.forEach((s, i) => {
      const li = ol.children[i];
      const done = state.started !== null && (i < index || state.done);
      li.classList.toggle("done", done);
      if (i === index && !state.done) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      li.children[0].textContent = done ? "" : span(s, at && at[i]);
      const minutes = lengthOf(i, at);
      li.children[1].textContent = titleOf(s) + (minutes !== null ? " (" + say("min", { n: minutes }) + ")" : "");
    });
    $("end-time").textContent = state.end ? clock(state.end) : span({ start: 0, minutes: data.minutes }).split("–")[1];
    // The status line: on time, over, early, paused.
    const status = $("status");
    status.classList.remove("over", "early");
    if (state.started === null) status.textContent = words.ready;
    else if (state.done) status.textContent = words.done;
    else if (state.paused !== null) status.textContent = words.paused;
    else {
      const projected = at[slots.length - 1][1];
      const diff = Math.round((projected - state.end) / MIN);
      const half = data.step / 2;
      if (diff > half) { status.textContent = say("over", { n: diff, end: clock(projected) }); status.classList.add("over"); }
      else if (diff < -half) { status.textContent = say("early", { n: -diff, end: clock(projected) }); status.classList.add("early"); }
      else status.textContent = say("onTime", { end: clock(state.end) });
    }
    $("start").textContent = state.started === null ? words.start : state.paused !== null ? words.resume : words.pause;
    for (const id of ["start", "minus", "plus", "next-button"]) $(id).disabled = state.done;
    timer.hidden = state.done;
    document.body.classList.toggle("cards", state.view === "cards");
    $("card-view").hidden = state.view !== "cards";
    if (all) drawCard();
  }

  // --- the card mode -------------------------------------------------------------------------
  function deck() { return data.decks[state.cards.deck] || data.decks[0]; }
  function sequence() {
    const d = deck();
    const c = state.cards;
    const lead = d.cards.filter((card) => card.guide || (card.lead !== undefined && c.warmup));
    let own = d.cards.map((card, i) => [card, i]).filter(([card]) => !card.guide && card.lead === undefined);
    if (c.category) own = own.filter(([card]) => card.category === c.category);
    if (c.order === "shuffled") {
      if (!c.shuffle || c.shuffle.length !== d.cards.length) {
        c.shuffle = d.cards.map((_, i) => i);
        for (let i = c.shuffle.length - 1; i > 0; i--) {
          const j = Math.floor(Math.random() * (i + 1));
          [c.shuffle[i], c.shuffle[j]] = [c.shuffle[j], c.shuffle[i]];
        }
      }
      const rank = new Map(c.shuffle.map((v, i) => [v, i]));
      own.sort((a, b) => rank.get(a[1]) - rank.get(b[1]));
    }
    return lead.concat(own.map(([card]) => card));
  }
  function fillChoices() {
    const decks = $("deck-choice");
    decks.replaceChildren(...data.decks.map((d, i) => { const o = el("option", d.title); o.value = String(i); return o; }));
    decks.value = String(state.cards.deck);
    const cats = $("category-choice");
    const d = deck();
    const own = d.categories.filter((c) => d.cards.some((card) => card.category === c.id && card.question !== undefined && card.lead === undefined));
    cats.replaceChildren(cats.options[0] || el("option"), ...own.map((c) => { const o = el("option", c.name); o.value = c.id; return o; }));
    cats.value = state.cards.category;
    $("order-choice").value = state.cards.order;
    $("warmup-choice").checked = state.cards.warmup;
  }
  function drawCard() {
    if (!data.decks.length) return;
    fillChoices();
    const cards = sequence();
    const c = state.cards;
    c.pos = Math.max(0, Math.min(cards.length - 1, c.pos));
    const card = cards[c.pos];
    const d = deck();
    const category = d.categories.find((x) => x.id === card.category);
    const band = $("card-band");
    band.textContent = category.name;
    band.style.background = category.colour; band.style.color = category.ink;
    $("card").style.borderColor = category.colour;
    const body = $("card-body");
    body.replaceChildren();
    if (card.guide) {
      let steps = null;
      card.guide.forEach((part) => {
        if (part.role === "step" || part.role === "item") {
          const tag = part.role === "step" ? "OL" : "UL";
          if (!steps || steps.tagName !== tag) { steps = el(tag.toLowerCase()); body.append(steps); }
          steps.append(el("li", part.text));
          return;
        }
        steps = null;
        if (part.role === "title") body.append(el("h3", part.text));
        else if (part.role === "steps_title") body.append(el("p", part.text, "steps-title"));
        else if (part.role === "credit") body.append(el("p", words.source + " " + part.text, "note"));
        else body.append(el("p", part.text, part.role === "note" ? "note" : ""));
      });
    } else {
      if (card.lead) body.append(el("p", card.lead, "lead"));
      body.append(el("p", card.question, "question"));
      if (card.example) body.append(el("p", card.exampleLabel + ": " + card.example, "example"));
    }
    $("card-foot").textContent = d.title + " · " + words.source + " " + d.credit;
    $("card-count").textContent = say("card", { n: c.pos + 1, of: cards.length });
  }
  function cardStep(by) { state.cards.pos += by; }
  function showCards(on) { state.view = on && data.decks.length ? "cards" : "agenda"; }

  // --- wiring ----------------------------------------------------------------------------------
  $("start").addEventListener("click", act(pauseOrResume));
  $("next-button").addEventListener("click", act(next));
  $("prev").addEventListener("click", act(prev));
  $("plus").addEventListener("click", act(() => lengthen(5)));
  $("minus").addEventListener("click", act(() => lengthen(-5)));
  $("cards").addEventListener("click", act(() => showCards(state.view !== "cards")));
  $("card-close").addEventListener("click", act(() => showCards(false)));
  $("card-next").addEventListener("click", act(() => cardStep(1)));
  $("card-prev").addEventListener("click", act(() => cardStep(-1)));
  $("deck-choice").addEventListener("change", act(() => {
    Object.assign(state.cards, { deck: Number($("deck-choice").value), category: "", pos: 0, shuffle: null });
  }));
  $("order-choice").addEventListener("change", act(() => {
    Object.assign(state.cards, { order: $("order-choice").value, pos: 0, shuffle: null });
  }));
  $("category-choice").addEventListener("change", act(() => {
    Object.assign(state.cards, { category: $("category-choice").value, pos: 0 });
  }));
  $("warmup-choice").addEventListener("change", act(() => {
    Object.assign(state.cards, { warmup: $("warmup-choice").checked, pos: 0 });
  }));
  $("print").addEventListener("click", () => window.print());
  $("reset").addEventListener("click", act(() => {
    if (window.confirm(words.confirmReset)) { state = fresh(); try { localStorage.removeItem(KEY); } catch (e) { /* ignore */ } }
  }));
  function fullScreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
  }
  $("full").addEventListener("click", fullScreen);
  document.addEventListener("fullscreenchange", () => {
    $("full").textContent = document.fullscreenElement ? words.leaveFull : words.full;
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target && (target.tagName === "SELECT" || target.tagName === "INPUT")) return;
    const cards = state.view === "cards";
    const keys = {
      ArrowRight: () => (cards ? cardStep(1) : next()), PageDown: () => (cards ? cardStep(1) : next()),
      ArrowLeft: () => (cards ? cardStep(-1) : prev()), PageUp: () => (cards ? cardStep(-1) : prev()),
      " ": pauseOrResume, "+": () => lengthen(5), "-": () => lengthen(-5),
      k: () => showCards(!cards), K: () => showCards(!cards), Escape: () => showCards(false),
    };
    if (event.key === "f" || event.key === "F") { fullScreen(); event.preventDefault(); return; }
    const fn = keys[event.key];
    if (!fn || (target && target.tagName === "BUTTON" && event.key === " ")) return;
    event.preventDefault();
    act(fn)();
  });
  window.addEventListener("storage", () => { state = load(); render(true); });
  render(true);
  setInterval(() => render(false), 1000);
})();
