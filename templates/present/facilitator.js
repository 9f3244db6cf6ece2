// The facilitator screen's script: the clock, the two windows, the keys and the card mode.
// It never fits an agenda itself: for each slot and each length the rest of the meeting may
// have, the fit was made by fremfaerd-kit and is in data.rest; the script looks it up. What
// it decides on its own is said in the README ("Running late or early") and here, once:
// - every boundary still to come is on a whole clock minute;
// - the time left is rounded to the nearest whole step, the rest fitted to that, and the
//   block that begins next takes up the difference (under half a step either way), unless
//   that takes it below its minimum or above its ceiling; then the time is rounded the other
//   way, then the next block takes it; if none can, the meeting ends that much early;
// - a plan once shown is kept: the rest is fitted again only when the time left changes,
//   and the same time left (+5 then −5, a pause of no minutes) brings back the same plan;
// - a pause counts in whole minutes (rounded), given back to the block that was paused.
// Every text is shown with textContent.
const data = JSON.parse(document.getElementById("kit-data").textContent);
const words = JSON.parse(document.getElementById("words").textContent);
const $ = (id) => document.getElementById(id);
const MIN = 60000;
const slots = data.slots;
const LAST = slots.length - 1;
const ROLE = location.hash === "#projektor" ? "projector" : "facilitator";
const KEY = "fremfaerd-kit:" + data.title + ":" + data.tool + ":" + data.minutes + ":" + (data.date || "") + (data.start || "");
const listeners = { action: [], render: [] };

function say(key, values) {
  return words[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}
function now() { return Date.now(); }
function two(n) { return String(n).padStart(2, "0"); }
function clock(ms) { const d = new Date(ms); return two(d.getHours()) + ":" + two(d.getMinutes()); }
function elapsed(minutes) { return Math.floor(minutes / 60) + ":" + two(minutes % 60); }
function floorMin(ms) { return Math.floor(ms / MIN) * MIN; }
function ceilMin(ms) { return Math.ceil(ms / MIN) * MIN; }
function roundMin(ms) { return Math.round(ms / MIN) * MIN; }
function sum(list) { return list.reduce((a, b) => a + b, 0); }
function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}
function titleOf(slot) { return slot.title === null ? words["break"] : slot.title; }

// --- state ------------------------------------------------------------------------------
function fresh() {
  return { started: null, end: null, rehearsal: null, cur: 0, curStart: null, curEnd: null,
           paused: null, pausedFor: 0, rest: [], plans: {}, held: [], seen: [], done: false,
           view: "agenda", blank: false,
           cards: { deck: 0, order: "ordered", category: "", warmup: true, pos: 0, shuffle: null } };
}
function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY));
    if (saved && typeof saved === "object" && saved.cards && saved.plans) return saved;
  } catch (e) { /* a damaged or missing state starts afresh */ }
  return fresh();
}
let state = load();
function save() { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ } }

// --- the schedule, looked up ---------------------------------------------------------------
function fitted(j, minutes) {
  // The slots from j on when `minutes` (whole) are left at j's start.
  const table = data.rest[j];
  if (!table || table.lengths.length === 0) return slots.slice(j).map((s) => s.minutes);
  const rows = table.lengths;
  const down = Math.floor((minutes - table.least) / table.step);
  const nearestUp = (minutes - table.least - down * table.step) * 2 >= table.step;
  const tries = (nearestUp ? [down + 1, down] : [down, down + 1]).filter((k) => k >= 0 && k < rows.length);
  for (const k of tries) if (sum(rows[k]) === minutes) return rows[k].slice();
  for (let x = 0; x < rows[0].length; x++) {
    const slot = slots[j + x];
    if (slot.title === null) continue; // a break keeps its length
    for (const k of tries) {
      const row = rows[k].slice();
      const diff = minutes - sum(row);
      if (row[x] + diff >= slot.least && row[x] + diff <= slot.ceiling) { row[x] += diff; return row; }
    }
  }
  // Late: every block at its least; early: every block at its ceiling.
  return rows[Math.max(0, Math.min(rows.length - 1, down))].slice();
}
function planAt(j, minutes) {
  const kept = state.plans[j + ":" + minutes];
  return kept ? kept.slice() : fitted(j, minutes);
}
function adopt(j, lengths) {
  // This plan is what is shown from slot j on: keep it, and each of its tails.
  if (Object.keys(state.plans).length > 2000) state.plans = {};
  let left = sum(lengths);
  for (let k = 0; k < lengths.length; k++) {
    state.plans[(j + k) + ":" + left] = lengths.slice(k);
    left -= lengths[k];
  }
}
function from(j, t) {
  // Slot j beginning at t: where it ends, and the slots after it.
  const begin = ceilMin(t);
  const row = planAt(j, (state.end - begin) / MIN);
  const end = begin + row[0] * MIN;
  // The rest is the row's own, where it fills the time left (a fit of the rest alone may
  // differ from it by a step here and there).
  const left = (state.end - end) / MIN;
  const kept = state.plans[(j + 1) + ":" + left];
  const rest = j >= LAST ? [] : kept ? kept.slice() : sum(row) - row[0] === left ? row.slice(1) : fitted(j + 1, left);
  return { row, end, rest };
}
function plannedEnd(at) {
  // A meeting with a start time ends at its planned clock time when it is started around
  // then; otherwise it gets its full length from the minute it starts. Started more than
  // half an hour before, it is a rehearsal, which ends by itself when the meeting nears.
  const own = ceilMin(at) + data.minutes * MIN;
  if (!data.start) return { end: own, rehearsal: null };
  const [h, m] = data.start.split(":").map(Number);
  const begin = data.date ? new Date(data.date + "T00:00:00") : new Date(at);
  begin.setHours(h, m, 0, 0);
  const opens = begin.getTime() - 30 * MIN;
  const end = begin.getTime() + data.minutes * MIN;
  if (at >= opens && at < end) return { end, rehearsal: null };
  return { end: own, rehearsal: at < opens ? opens : null };
}
function lengthNow() { return (state.curEnd - floorMin(state.curStart)) / MIN; }
function heldNow() {
  const stop = state.paused !== null ? state.paused : now();
  return stop - state.curStart - state.pausedFor;
}

// --- actions ---------------------------------------------------------------------------------
function log(event, extra) { listeners.action.forEach((fn) => fn(event, extra || {})); }
function leave() {
  if (state.started === null || state.done) return;
  const held = heldNow();
  state.held[state.cur] = (state.held[state.cur] || 0) + held;
  if (state.held[state.cur] < MIN) log("skip", { slot: state.cur });
  log("leave", { slot: state.cur });
}
function enter(j) {
  const t = now();
  const plan = from(j, t);
  adopt(j, plan.row);
  adopt(j + 1, plan.rest);
  Object.assign(state, { cur: j, curStart: t, curEnd: plan.end, rest: plan.rest, paused: null,
                         pausedFor: 0, done: false });
  state.seen[j] = true;
  state.scroll = 0;
  log("enter", { slot: j, minutes: lengthNow() });
}
function start() {
  const t = now();
  const planned = plannedEnd(t);
  Object.assign(state, fresh(), { view: state.view, cards: state.cards, blank: state.blank });
  Object.assign(state, { started: t, end: planned.end, rehearsal: planned.rehearsal });
  log("start", { end: planned.end, rehearsal: planned.rehearsal !== null });
  enter(0);
}
function next() {
  if (state.started === null) return start();
  if (state.done) return;
  leave();
  if (state.cur < LAST) return enter(state.cur + 1);
  state.done = true; state.paused = null; state.scroll = 0;
  log("end", {});
}
function prev() {
  if (state.started === null) return;
  if (state.done) return enter(state.cur);
  if (state.cur > 0) { leave(); enter(state.cur - 1); }
}
function refitRest() {
  state.rest = state.cur < LAST ? planAt(state.cur + 1, (state.end - state.curEnd) / MIN) : [];
  adopt(state.cur + 1, state.rest);
}
function canLengthen(by) {
  if (state.started === null || state.done) return false;
  const slot = slots[state.cur];
  const length = lengthNow() + by;
  return length >= slot.least && (slot.most === null || length <= slot.most);
}
function lengthen(by) {
  if (!canLengthen(by)) return;
  state.curEnd += by * MIN;
  if (state.paused === null) refitRest(); // paused: the rest is fitted on resume
  log(by > 0 ? "plus" : "minus", { slot: state.cur, minutes: by });
}
function pauseOrResume() {
  if (state.started === null) return start();
  if (state.done) return;
  const t = now();
  if (state.paused === null) { state.paused = t; log("pause", { slot: state.cur }); return; }
  const pause = roundMin(t - state.paused);
  state.pausedFor += t - state.paused;
  state.curEnd += pause;
  state.paused = null;
  refitRest();
  log("resume", { slot: state.cur, minutes: pause / MIN });
}
function tick() {
  // A rehearsal ends when the meeting nears; a run long past its end is over.
  if (state.started === null) return false;
  const t = now();
  if ((state.rehearsal !== null && t >= state.rehearsal) || t >= state.end + data.minutes * MIN) {
    if (ROLE === "facilitator") log("reset", { rehearsal: state.rehearsal !== null });
    Object.assign(state, fresh(), { cards: state.cards, view: state.view });
    return true;
  }
  return false;
}
function act(fn) { return (arg) => { fn(arg); save(); render(true); }; }

// --- the plan as shown ----------------------------------------------------------------------
function times() {
  // [start, end] in ms of the current slot and every slot after it (null before it); the
  // projected end of the meeting. Null before the start (the page shows the planned times).
  if (state.started === null) return null;
  const out = slots.map(() => null);
  if (state.done) return { at: out, end: null };
  const t = now();
  const cur = state.cur;
  const end = state.curEnd + (state.paused !== null ? roundMin(t - state.paused) : 0);
  out[cur] = [state.curStart, end];
  let at = end, k = cur + 1, rest;
  if (t > end) {
    // Past the current block's end, the rest is shown as it would be if it began now.
    if (cur === LAST) return { at: out, end: ceilMin(t) };
    const plan = from(cur + 1, t);
    out[cur + 1] = [t, plan.end];
    at = plan.end; k = cur + 2; rest = plan.rest;
  } else {
    rest = state.paused !== null && cur < LAST ? planAt(cur + 1, (state.end - end) / MIN) : state.rest;
  }
  for (let i = 0; k + i <= LAST; i++) { out[k + i] = [at, at + rest[i] * MIN]; at += rest[i] * MIN; }
  return { at: out, end: at };
}
function plannedSpan(slot) {
  if (data.start) {
    const [h, m] = data.start.split(":").map(Number);
    const base = h * 60 + m;
    const fmt = (x) => two(Math.floor(((base + x) % 1440) / 60)) + ":" + two((base + x) % 60);
    return fmt(slot.start) + "–" + fmt(slot.start + slot.minutes);
  }
  return elapsed(slot.start) + "–" + elapsed(slot.start + slot.minutes);
}
function span(slot, at) { return at ? clock(at[0]) + "–" + clock(at[1]) : plannedSpan(slot); }
function minutesOf(i, at) {
  // A slot's minutes as its clock span reads: from the minute it began to the minute it ends.
  if (state.started === null) return slots[i].minutes;
  if (!at || !at[i]) return null;
  return Math.round((at[i][1] - floorMin(at[i][0])) / MIN);
}
function skipped(i) { return state.seen[i] && (state.held[i] || 0) < MIN && (i < state.cur || state.done); }

// --- drawing ---------------------------------------------------------------------------------
let shown = null; // the slot whose content is on screen
function drawContent(index) {
  const slot = slots[index];
  const box = $("block-content");
  box.replaceChildren();
  if (state.done) {
    if (data.closing) { box.append(el("p", words.closing), el("p", "”" + data.closing + "”", "closing")); }
    return;
  }
  const list = (items, tag, cls) => { const l = el(tag, null, cls); items.forEach((t) => l.append(el("li", t))); return l; };
  if (slot.notes && slot.notes.length) {
    const notes = el("div", null, "for-facilitator");
    notes.append(el("h3", words.forYou), list(slot.notes, "ul"));
    box.append(notes);
  }
  if (slot.questions && slot.questions.length) box.append(el("h3", words.ask), list(slot.questions, "ul"));
  if (slot.group) {
    const g = slot.group;
    // The questions are led in by the source's words for them: their heading, or the task.
    if (g.questions.length) box.append(el("h3", g.heading ? g.heading + ":" : g.task || words.groupQuestions), list(g.questions, "ol"));
    else if (g.task) box.append(el("p", g.task, "task"));
    g.tips.forEach((tip) => {
      const aside = el("aside", null, "tip");
      aside.append(el("strong", tip.title), el("span", tip.text));
      if (tip.link) aside.append(el("span", " " + tip.link, "link"));
      box.append(aside);
    });
  }
  if (index === LAST && data.closing) {
    box.append(el("p", words.closing + " ”" + data.closing + "”", "closing"));
  }
}
function render(all) {
  const plan = times();
  const at = plan && plan.at;
  const index = state.cur;
  const slot = slots[index];
  const t = now();
  $("now").textContent = clock(t);
  $("block-kicker").textContent = state.done ? "" : say("point", { n: index + 1, of: slots.length });
  $("block-title").textContent = state.done ? words.done : titleOf(slot);
  $("block-span").textContent = state.done ? "" : span(slot, at && at[index]) + " · " + say("min", { n: minutesOf(index, at) });
  if (all || shown !== (state.done ? -1 : index)) { drawContent(index); shown = state.done ? -1 : index; }
  // The countdown runs to the end its clock span shows; it turns calm amber near the end.
  const timer = $("timer");
  let left = slot.minutes * MIN;
  if (state.started !== null) left = state.curEnd - (state.paused !== null ? state.paused : t);
  if (state.done) left = 0;
  const over = left < 0;
  const secs = Math.round(Math.abs(left) / 1000);
  const text = two(Math.floor(secs / 60)) + ":" + two(secs % 60);
  $("countdown").textContent = over ? say("overBlock", { time: text }) : text;
  const length = state.started === null || state.done ? slot.minutes * MIN : state.curEnd - state.curStart;
  timer.classList.toggle("over", over && !state.done);
  timer.classList.toggle("soon", !over && state.started !== null && !state.done && left <= Math.max(2 * MIN, 0.15 * length));
  $("bar-fill").style.width = state.started === null || state.done ? (state.done ? "100%" : "0") : Math.max(0, Math.min(100, 100 * (1 - left / length))) + "%";
  // What comes next.
  const following = index + 1 <= LAST && !state.done ? slots[index + 1] : null;
  $("next").textContent = state.done ? "" : following
    ? say("then", { title: titleOf(following), span: span(following, at && at[index + 1]) })
    : say("last", { end: plan ? clock(plan.end) : plannedSpan(slots[LAST]).split("–")[1] });
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
    const past = state.started !== null && (i < index || state.done);
    const jumped = past && skipped(i);
    li.classList.toggle("done", past && !jumped);
    li.classList.toggle("skipped", jumped);
    if (i === index && !state.done) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    li.children[0].textContent = jumped ? words.skipped : past ? "" : span(s, at && at[i]);
    const minutes = past ? null : minutesOf(i, at);
    li.children[1].textContent = titleOf(s) + (minutes !== null ? " (" + say("min", { n: minutes }) + ")" : "");
  });
  $("end-time").textContent = state.end ? clock(state.end) : plannedSpan({ start: 0, minutes: data.minutes }).split("–")[1];
  // The status line: on time, over, early, paused, a rehearsal.
  const status = $("status");
  status.classList.remove("over", "early");
  let line;
  if (state.started === null) line = words.ready;
  else if (state.done) line = words.done;
  else {
    const diff = Math.round((plan.end - state.end) / MIN);
    if (diff > 0) { line = say("over", { n: diff, end: clock(plan.end) }); status.classList.add("over"); }
    else if (diff < 0) { line = say("early", { n: -diff, end: clock(plan.end) }); status.classList.add("early"); }
    else line = say("onTime", { end: clock(state.end) });
    if (state.paused !== null) line = words.paused + " " + line;
    if (state.rehearsal !== null) line = say("rehearsal", { at: clock(state.rehearsal) }) + " " + line;
  }
  status.textContent = line;
  $("start").textContent = state.started === null ? words.start : state.paused !== null ? words.resume : words.pause;
  for (const id of ["start", "next-button"]) $(id).disabled = state.done;
  $("plus").disabled = !canLengthen(5);
  $("minus").disabled = !canLengthen(-5);
  timer.hidden = state.done;
  document.body.classList.toggle("blank", state.blank);
  $("blank-screen").hidden = !(state.blank && ROLE === "projector");
  $("blanked").hidden = !state.blank || ROLE === "projector";
  $("blank").setAttribute("aria-pressed", String(state.blank));
  document.body.classList.toggle("cards", state.view === "cards");
  $("card-view").hidden = state.view !== "cards";
  if (all) { drawCard(); applyScroll(); }
  showMore();
  listeners.render.forEach((fn) => fn(all));
}
function showMore() {
  // Said where a block is longer than the screen: the clicker's Page Down scrolls it.
  const box = $("current");
  $("more").hidden = state.view === "cards" || box.scrollHeight - box.clientHeight - box.scrollTop <= 2;
}
$("current").addEventListener("scroll", showMore);

// --- the card mode ---------------------------------------------------------------------------
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
  if (decks.options.length !== data.decks.length) {
    decks.replaceChildren(...data.decks.map((d, i) => { const o = el("option", d.title); o.value = String(i); return o; }));
  }
  decks.value = String(state.cards.deck);
  const cats = $("category-choice");
  const d = deck();
  const own = d.categories.filter((c) => d.cards.some((card) => card.category === c.id && card.question !== undefined && card.lead === undefined));
  cats.replaceChildren(cats.options[0] || el("option"), ...own.map((c) => { const o = el("option", c.name); o.value = c.id; return o; }));
  cats.value = state.cards.category;
  $("order-choice").value = state.cards.order;
  $("warmup-choice").setAttribute("aria-pressed", String(state.cards.warmup));
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
function cardStep(by) { state.cards.pos += by; state.scroll = 0; }
function showCards(on) { state.view = on && data.decks.length ? "cards" : "agenda"; state.scroll = 0; }
function blank() { state.blank = !state.blank; log("blank", { on: state.blank }); }

// --- keys: the same meaning wherever the focus is -------------------------------------------
// A clicker's page keys scroll a block (or card) longer than the screen before they move
// on. The scroll is shared: state.scroll counts the pages turned in what is shown, and the
// projector's window, where the room reads, says how many pages it needs.
const PROJECTOR = KEY + ":projector";
function scroller() { return state.view === "cards" ? $("card-body") : $("current"); }
function shownNow() { return state.view === "cards" ? "card:" + state.cards.deck + ":" + state.cards.pos : "slot:" + state.cur + ":" + state.done; }
function pagesOwn() {
  const box = scroller();
  const over = box.scrollHeight - box.clientHeight;
  return over <= 2 ? 0 : Math.ceil(over / (box.clientHeight * 0.8));
}
function projectorPages() {
  try {
    const seen = JSON.parse(localStorage.getItem(PROJECTOR));
    if (seen && seen.shown === shownNow()) return seen.pages;
  } catch (e) { /* no projector window */ }
  return null;
}
function pages() { const theirs = ROLE === "facilitator" ? projectorPages() : null; return theirs === null ? pagesOwn() : theirs; }
function scrolls(by) {
  const turned = (state.scroll || 0) + by;
  if (turned < 0 || turned > pages()) return false;
  state.scroll = turned;
  return true;
}
function applyScroll() {
  const box = scroller();
  const over = Math.max(0, box.scrollHeight - box.clientHeight);
  const turned = state.scroll || 0;
  const theirs = ROLE === "facilitator" ? projectorPages() : null;
  box.scrollTop = theirs ? (over * Math.min(turned, theirs)) / theirs : Math.min(over, turned * box.clientHeight * 0.8);
  if (ROLE === "projector") {
    try { localStorage.setItem(PROJECTOR, JSON.stringify({ shown: shownNow(), pages: pagesOwn() })); } catch (e) { /* ignore */ }
  }
}
window.addEventListener("pagehide", () => { if (ROLE === "projector") try { localStorage.removeItem(PROJECTOR); } catch (e) { /* ignore */ } });
function forward() { if (state.view === "cards") cardStep(1); else next(); }
function back() { if (state.view === "cards") cardStep(-1); else prev(); }
const keys = {
  ArrowRight: forward, ArrowLeft: back,
  PageDown: () => { if (!scrolls(1)) forward(); }, PageUp: () => { if (!scrolls(-1)) back(); },
  " ": pauseOrResume, "+": () => lengthen(5), "-": () => lengthen(-5),
  k: () => showCards(state.view !== "cards"), K: () => showCards(state.view !== "cards"),
  Escape: () => showCards(false), b: blank, B: blank, ".": blank,
};
const typingKeys = new Set(["PageDown", "PageUp"]); // a clicker's keys, even while typing
function typing(target) {
  if (!target || !target.tagName) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA") return true;
  return target.tagName === "INPUT" && !["button", "checkbox", "radio", "file", "submit"].includes(target.type);
}
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.metaKey || event.isComposing) return;
  if (event.ctrlKey) { listeners.ctrlKey && listeners.ctrlKey(event); return; }
  const target = event.target;
  if (typing(target)) {
    if (event.key === "Escape") { target.blur(); event.preventDefault(); return; }
    if (!typingKeys.has(event.key)) return;
  }
  if (event.key === "f" || event.key === "F") { fullScreen(); event.preventDefault(); return; }
  const fn = keys[event.key] || (ROLE === "facilitator" && listeners.keys && listeners.keys[event.key]);
  if (!fn) return;
  event.preventDefault();
  act(fn)();
});

// --- wiring ----------------------------------------------------------------------------------
function button(id, fn) {
  $(id).addEventListener("click", (event) => {
    // A mouse click leaves no focus behind, so that Space and Enter keep their meaning.
    if (event.detail > 0) event.currentTarget.blur();
    fn(event);
  });
}
button("start", act(pauseOrResume));
button("next-button", act(next));
button("prev", act(prev));
button("plus", act(() => lengthen(5)));
button("minus", act(() => lengthen(-5)));
button("cards", act(() => showCards(state.view !== "cards")));
button("blank", act(blank));
button("card-close", act(() => showCards(false)));
button("card-next", act(() => cardStep(1)));
button("card-prev", act(() => cardStep(-1)));
button("warmup-choice", act(() => Object.assign(state.cards, { warmup: !state.cards.warmup, pos: 0 })));
function chose(id, fn) {
  $(id).addEventListener("change", (event) => { act(fn)(); if (event.target.blur) event.target.blur(); });
}
chose("deck-choice", () => Object.assign(state.cards, { deck: Number($("deck-choice").value), category: "", pos: 0, shuffle: null }));
chose("order-choice", () => Object.assign(state.cards, { order: $("order-choice").value, pos: 0, shuffle: null }));
chose("category-choice", () => Object.assign(state.cards, { category: $("category-choice").value, pos: 0 }));
button("print", () => window.print());
button("reset", act(() => {
  if (!window.confirm(words.confirmReset)) return;
  if (state.started !== null) log("reset", {});
  state = Object.assign(fresh(), { cards: state.cards });
}));
function openProjector() { window.open(location.href.split("#")[0] + "#projektor", "fremfaerd-kit-projektor"); }
button("projector", openProjector);
if (ROLE === "facilitator") Object.assign(keys, { p: openProjector, P: openProjector });
function fullScreen() {
  if (document.fullscreenElement) document.exitFullscreen();
  else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => {});
}
button("full", fullScreen);
document.addEventListener("fullscreenchange", () => {
  $("full").textContent = document.fullscreenElement ? words.leaveFull : words.full;
});
// The other window (projector or facilitator) acted: show the same.
window.addEventListener("storage", (event) => {
  if (event.key === KEY || event.key === null) { state = load(); if (tick()) save(); render(true); }
  else if (event.key === PROJECTOR && ROLE === "facilitator") applyScroll();
});
document.body.classList.add(ROLE);
if (ROLE === "projector") document.title = words.projectorTitle + " – " + document.title;
function every() { if (tick()) { save(); render(true); } else render(false); }

