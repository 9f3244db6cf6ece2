// Capture, in the facilitator's view: what the groups said, per question and group number,
// the decisions, the parking lot, the agreements (hvad – hvem – hvornår) in the closing
// block, photos of the flipover, and a log of what happened. Nothing typed is lost: every
// change is kept in the browser at once, and Ctrl+S saves it all to a notes file (its
// schema: docs/notes-schema.md) that `kit referat` reads. Nothing leaves the browser but the
// files the facilitator saves.
const NOTES = "fremfaerd-kit-noter:" + KEY.slice("fremfaerd-kit:".length);
const SCHEMA = "fremfaerd-kit/noter";
const VERSION = 1;
const blockSlots = slots.map((s, i) => [s, i]).filter(([s]) => s.title !== null);

function iso(ms) {
  // Local time with its offset, as a reader of the file expects it: 2026-12-07T13:00:00+01:00.
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + "T" +
    two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds()) +
    sign + two(Math.floor(Math.abs(off) / 60)) + ":" + two(Math.abs(off) % 60);
}
function questionsOf(slot) {
  if (slot.group && slot.group.questions.length) return slot.group.questions;
  return slot.questions || [];
}
function freshNotes() {
  return {
    schema: SCHEMA, version: VERSION, saved: null,
    kit: { title: data.title, tool: data.toolId, toolLabel: data.tool, place: data.place || null,
           date: data.date, start: data.start, minutes: data.minutes, groups: data.groups,
           variables: data.variables },
    blocks: blockSlots.map(([s]) => ({
      id: s.id, title: s.title, planned: { offset: s.start, minutes: s.minutes },
      questions: questionsOf(s), points: [], decisions: [], notes: [], photos: [],
    })),
    break: slots.filter((s) => s.title === null).map((s) => ({ offset: s.start, minutes: s.minutes }))[0] || null,
    parking: [], agreements: [], followUp: null, log: [],
  };
}
function loadNotes() {
  try {
    const kept = JSON.parse(localStorage.getItem(NOTES));
    if (kept && kept.schema === SCHEMA && kept.version === VERSION && Array.isArray(kept.blocks)) return kept;
  } catch (e) { /* none kept, or damaged: start afresh */ }
  return freshNotes();
}
let notes = loadNotes();
let keptAt = null; // when the browser last kept the notes
let keptFailed = false;
function keep() {
  try { localStorage.setItem(NOTES, JSON.stringify(notes)); keptAt = now(); keptFailed = false; }
  catch (e) { keptFailed = true; }
  drawSaved();
}
function blockOf(id) { return notes.blocks.find((b) => b.id === id); }
function clean(text) { return text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim(); }
function unprintable(text) {
  // The characters the referat's font cannot print (an emoji, a right-to-left letter).
  const out = [];
  for (const char of text) {
    const code = char.codePointAt(0);
    let lo = 0, hi = data.printable.length - 1, found = /\s/.test(char);
    while (!found && lo <= hi) {
      const mid = (lo + hi) >> 1, [a, b] = data.printable[mid];
      if (code < a) hi = mid - 1; else if (code > b) lo = mid + 1; else found = true;
    }
    if (!found && !out.includes(char)) out.push(char);
  }
  return out;
}
function printable(text, field) {
  // Said at once, where it is typed: the referat could not print it.
  const bad = unprintable(text);
  $("note-problem").textContent = bad.length ? say("unprintable", { chars: bad.join(" ") }) : "";
  if (bad.length && field) field.focus();
  return !bad.length;
}

// --- the log: every action, in whichever window it happened --------------------------------
// Only the facilitator's window writes the notes; the projector's window leaves each entry
// under a key of its own, which the facilitator's takes in (so neither overwrites the other).
const QUEUED = NOTES + ":log:";
listeners.action.push((event, extra) => {
  if (event === "blank") return;
  const entry = { at: iso(now()), event };
  if ("slot" in extra) entry.block = slots[extra.slot].title === null ? null : slots[extra.slot].id;
  if ("minutes" in extra) entry.minutes = extra.minutes;
  if (event === "start" && extra.rehearsal) entry.rehearsal = true;
  if (event === "start") entry.until = iso(extra.end);
  if (ROLE === "projector") {
    try { localStorage.setItem(QUEUED + now() + ":" + Math.random().toString(36).slice(2), JSON.stringify(entry)); }
    catch (e) { /* the facilitator's window logs what it can */ }
    return;
  }
  notes.log.push(entry);
  keep();
});
function takeQueued() {
  if (ROLE !== "facilitator") return;
  const found = [];
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (key && key.startsWith(QUEUED)) found.push(key);
  }
  if (!found.length) return;
  for (const key of found) {
    try { const entry = JSON.parse(localStorage.getItem(key)); if (entry && entry.at) notes.log.push(entry); } catch (e) { /* skip */ }
    localStorage.removeItem(key);
  }
  notes.log.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)); // stable: same second, same order
  keep();
}

// --- what is being written, and where ------------------------------------------------------
let chosenBlock = null; // a block chosen by hand; null: the current one
function currentBlockId() {
  const slot = slots[state.cur];
  if (slot.title !== null) return slot.id;
  return null; // the break
}
function targetBlock() { return chosenBlock !== null ? chosenBlock : currentBlockId(); }
function targets(id) {
  // Where a text can go: each question of the block (or, in a plenum summary, first the
  // questions of the group work it sums up, whose post-its are read out there), its
  // decisions, the meeting's parking lot and the mødeleder's own notes. A key names the
  // block and the place: "gruppearbejde-1|q0", "opsamling-1|decisions", "parking".
  if (id === null) return [{ key: "parking", label: words.parking }];
  const out = [];
  const index = slots.findIndex((s) => s.id === id);
  const before = index > 0 ? slots[index - 1] : null;
  if (slots[index].facilitatorOnly && before && before.group && before.group.questions.length) {
    blockOf(before.id).questions.forEach((q, i) => out.push({ key: before.id + "|q" + i, block: before.id, question: i,
      label: before.title + " – " + say("question", { n: i + 1, text: q }) }));
  }
  const block = blockOf(id);
  block.questions.forEach((q, i) => out.push({ key: id + "|q" + i, block: id, question: i, label: say("question", { n: i + 1, text: q }) }));
  if (!block.questions.length) out.push({ key: id + "|points", block: id, question: null, label: words.points });
  out.push({ key: id + "|decisions", block: id, label: words.decisions }, { key: "parking", label: words.parking },
           { key: id + "|notes", block: id, label: words.ownNotes });
  return out;
}
let drawnFor = undefined;
function drawTargets() {
  const id = targetBlock();
  const blocks = $("note-block");
  if (blocks.options.length !== blockSlots.length) {
    blocks.replaceChildren(...blockSlots.map(([s]) => { const o = el("option", s.title); o.value = s.id; return o; }));
  }
  blocks.value = id === null ? "" : id;
  if (drawnFor === id) return;
  drawnFor = id;
  const select = $("note-target");
  const keepKey = select.value;
  select.replaceChildren(...targets(id).map((t) => { const o = el("option", t.label); o.value = t.key; return o; }));
  if ([...select.options].some((o) => o.value === keepKey)) select.value = keepKey;
}
function addText() {
  const input = $("note-text");
  let text = clean(input.value);
  if (!text || !printable(text, input)) return;
  let group = $("note-group").value ? Number($("note-group").value) : null;
  const lead = /^(\d{1,2})\s*[:.)]\s*(.+)$/.exec(text); // »2: …«: group 2
  if (lead && Number(lead[1]) >= 1 && Number(lead[1]) <= data.groups) { group = Number(lead[1]); text = lead[2].trim(); }
  const target = targets(targetBlock()).find((t) => t.key === $("note-target").value);
  if (!target) return;
  const block = target.block ? blockOf(target.block) : null;
  const place = target.key.split("|")[1] || target.key;
  if (place === "parking") notes.parking.push({ text });
  else if (place === "decisions") block.decisions.push({ text });
  else if (place === "notes") block.notes.push({ text });
  else block.points.push({ question: target.question, group, text });
  input.value = "";
  keep();
  drawNotes();
}
function drawNotes() {
  drawTargets();
  const box = $("note-lists");
  box.replaceChildren();
  const id = targetBlock();
  const block = id === null ? null : blockOf(id);
  $("capture-title").textContent = block ? say("notesFor", { title: block.title }) : words.notesBreak;
  const list = (title, items, label, remove) => {
    if (!items.length) return;
    box.append(el("h3", title));
    const ul = el("ul");
    items.forEach((item, i) => {
      const li = el("li");
      li.append(el("span", label(item)));
      const del = el("button", words.delete, "small");
      del.type = "button";
      del.setAttribute("aria-label", say("deleteItem", { text: item.text }));
      del.addEventListener("click", (event) => { if (event.detail > 0) del.blur(); remove(i); keep(); drawNotes(); });
      li.append(del);
      ul.append(li);
    });
    box.append(ul);
  };
  const tagged = (p) => (p.group ? say("group", { n: p.group }) + ": " : "") + p.text;
  for (const t of id === null ? [] : targets(id)) {
    const place = t.key.split("|")[1] || t.key;
    const of = t.block ? blockOf(t.block) : null;
    if (place === "points" || place.startsWith("q")) {
      const here = of.points.map((p, k) => [p, k]).filter(([p]) => p.question === t.question);
      list(t.label, here.map(([p]) => p), tagged, (n) => of.points.splice(here[n][1], 1));
    } else if (place === "decisions") list(t.label, of.decisions, (d) => d.text, (n) => of.decisions.splice(n, 1));
    else if (place === "notes") list(t.label, of.notes, (d) => d.text, (n) => of.notes.splice(n, 1));
  }
  list(words.parking, notes.parking, (d) => d.text, (n) => notes.parking.splice(n, 1));
  drawAgreements(id);
  drawPhotos(photoBlock());
}

// --- the agreements and the next meeting, in the closing block -------------------------------
function drawAgreements(id) {
  const closing = slots[LAST].id;
  $("agreements").hidden = id !== closing;
  const rows = $("agreement-rows");
  rows.replaceChildren(...notes.agreements.map((a, i) => {
    const tr = el("tr");
    tr.append(el("td", a.what), el("td", a.who), el("td", a.when));
    const td = el("td");
    const del = el("button", words.delete, "small");
    del.type = "button";
    del.setAttribute("aria-label", say("deleteItem", { text: a.what }));
    del.addEventListener("click", (event) => { if (event.detail > 0) del.blur(); notes.agreements.splice(i, 1); keep(); drawNotes(); });
    td.append(del);
    tr.append(td);
    return tr;
  }));
  const f = notes.followUp || {};
  if (document.activeElement && !document.activeElement.closest(".follow-up")) {
    $("follow-date").value = f.date || "";
    $("follow-start").value = f.start || "";
    $("follow-minutes").value = f.minutes ? String(f.minutes) : "";
    $("follow-place").value = f.place || "";
  }
}
function addAgreement() {
  const [what, who, when] = ["agreement-what", "agreement-who", "agreement-when"].map((id) => clean($(id).value));
  if (!what) { $("agreement-what").focus(); return; }
  if (!printable(what + who + when, $("agreement-what"))) return;
  notes.agreements.push({ what, who, when });
  for (const id of ["agreement-what", "agreement-who", "agreement-when"]) $(id).value = "";
  $("agreement-what").focus();
  keep();
  drawNotes();
}
function keepFollowUp() {
  const date = $("follow-date").value, start = $("follow-start").value;
  const given = Math.round(Number($("follow-minutes").value));
  const minutes = given >= 5 && given <= 1440 ? given : null;
  const place = clean($("follow-place").value);
  if (!printable(place, $("follow-place"))) return;
  notes.followUp = date || start || place ? { date: date || null, start: start || null, minutes, place: place || null } : null;
  keep();
}

// --- photos: turned upright and written afresh, so no EXIF or GPS is kept ---------------------
const PHOTO_PIXELS = 1600;
async function cleanPhoto(file) {
  if (!/^image\/(jpeg|png)$/.test(file.type) || file.size > 30 * 1024 * 1024) throw new Error(file.type);
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, PHOTO_PIXELS / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL("image/jpeg", 0.85);
}
function photoBlock() {
  // Photos go with what is on the flipover: in a plenum summary, the group work's.
  const id = targetBlock();
  if (id === null) return null;
  return blockOf(targets(id)[0].block || id);
}
async function addPhotos(files) {
  const block = photoBlock() || blockOf(slots[LAST].id);
  for (const file of files) {
    try { block.photos.push({ caption: "", image: await cleanPhoto(file) }); }
    catch (e) { window.alert(say("photoFailed", { name: file.name })); }
  }
  keep();
  drawNotes();
}
function drawPhotos(block) {
  const ul = $("photo-list");
  ul.replaceChildren();
  if (!block) return;
  block.photos.forEach((photo, i) => {
    const li = el("li");
    const img = el("img");
    img.src = photo.image;
    img.alt = photo.caption || say("photoOf", { n: i + 1 });
    const label = el("label", words.caption + " ");
    const input = el("input");
    input.type = "text"; input.maxLength = 500; input.value = photo.caption;
    input.addEventListener("change", () => {
      if (!printable(clean(input.value), input)) return;
      photo.caption = clean(input.value); keep(); drawNotes();
    });
    label.append(input);
    const del = el("button", words.delete, "small");
    del.type = "button";
    del.setAttribute("aria-label", say("deleteItem", { text: img.alt }));
    del.addEventListener("click", (event) => { if (event.detail > 0) del.blur(); block.photos.splice(i, 1); keep(); drawNotes(); });
    li.append(img, label, del);
    ul.append(li);
  });
}

// --- the notes file: saved with one key, loaded again, deleted on purpose ---------------------
function fileName() {
  const plain = (data.title || "").toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
    .normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
  return [words.fileName, plain || null, data.date || null].filter(Boolean).join("-") + ".json";
}
function saveFile() {
  notes.saved = iso(now());
  const blob = new Blob([JSON.stringify(notes, null, 1) + "\n"], { type: "application/json" });
  const link = el("a");
  link.href = URL.createObjectURL(blob);
  link.download = fileName();
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  keep();
}
function problem(loaded) {
  // What makes a file no notes file of this kit's making (kit referat checks every field).
  if (!loaded || typeof loaded !== "object" || Array.isArray(loaded)) return "ikke et JSON-objekt";
  if (loaded.schema !== SCHEMA) return "schema er ikke " + SCHEMA;
  if (loaded.version !== VERSION) return "version " + String(loaded.version) + " kendes ikke";
  for (const key of ["blocks", "parking", "agreements", "log"]) if (!Array.isArray(loaded[key])) return key + " mangler";
  if (!loaded.kit || typeof loaded.kit !== "object") return "kit mangler";
  for (const b of loaded.blocks) {
    if (!b || typeof b.id !== "string") return "en blok uden id";
    for (const key of ["questions", "points", "decisions", "notes", "photos"]) if (!Array.isArray(b[key])) return b.id + ": " + key + " mangler";
  }
  return null;
}
async function loadFile(file) {
  let loaded;
  try { loaded = JSON.parse(await file.text()); } catch (e) { loaded = undefined; }
  const why = problem(loaded);
  if (why) { window.alert(say("badFile", { name: file.name, why })); return; }
  if (loaded.kit.title !== data.title || loaded.kit.tool !== data.toolId) {
    if (!window.confirm(say("otherKit", { title: String(loaded.kit.title) }))) return;
  } else if (!window.confirm(say("confirmLoad", { name: file.name }))) return;
  // The blocks of this kit, with what the file holds for each; a block the file has and
  // this agenda has not is kept as it is.
  const fresh = freshNotes();
  fresh.blocks = fresh.blocks.map((b) => {
    const had = loaded.blocks.find((x) => x.id === b.id);
    return had ? Object.assign(b, { points: had.points, decisions: had.decisions, notes: had.notes, photos: had.photos }) : b;
  }).concat(loaded.blocks.filter((x) => !fresh.blocks.some((b) => b.id === x.id)));
  notes = Object.assign(fresh, { parking: loaded.parking, agreements: loaded.agreements,
                                 followUp: loaded.followUp || null, log: loaded.log, saved: loaded.saved || null });
  keep();
  drawnFor = undefined;
  drawNotes();
}
function drawSaved() {
  const parts = [notes.saved ? say("savedFile", { at: clock(Date.parse(notes.saved)) }) : words.notSavedFile];
  if (keptFailed) parts.push(words.browserFull);
  else if (keptAt !== null) parts.push(say("savedBrowser", { at: clock(keptAt) }));
  $("saved-at").textContent = parts.join(" ");
  $("saved-at").classList.toggle("warn", keptFailed);
}

// --- wiring ----------------------------------------------------------------------------------
$("note-form").addEventListener("submit", (event) => { event.preventDefault(); addText(); $("note-text").focus(); });
$("note-text").addEventListener("keydown", (event) => {
  if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
  const select = $("note-target");
  const by = event.key === "ArrowDown" ? 1 : -1;
  select.selectedIndex = (select.selectedIndex + by + select.options.length) % select.options.length;
  event.preventDefault();
});
$("note-block").addEventListener("change", () => {
  chosenBlock = $("note-block").value === currentBlockId() ? null : $("note-block").value;
  drawNotes();
});
$("agreement-form").addEventListener("submit", (event) => { event.preventDefault(); addAgreement(); });
for (const id of ["follow-date", "follow-start", "follow-minutes", "follow-place"]) $(id).addEventListener("change", keepFollowUp);
button("photo-add", () => $("photo-file").click());
$("photo-file").addEventListener("change", () => { const files = [...$("photo-file").files]; $("photo-file").value = ""; addPhotos(files); });
button("notes-save", saveFile);
button("notes-load", () => $("notes-file").click());
$("notes-file").addEventListener("change", () => { const file = $("notes-file").files[0]; $("notes-file").value = ""; if (file) loadFile(file); });
button("notes-delete", () => {
  if (!window.confirm(words.confirmDelete)) return;
  notes = freshNotes();
  keep();
  drawNotes();
});
listeners.ctrlKey = (event) => {
  if ((event.key === "s" || event.key === "S") && ROLE === "facilitator") { event.preventDefault(); saveFile(); }
};
listeners.keys = { n: () => $("note-text").focus(), N: () => $("note-text").focus() };
let lastBlock = state.cur;
listeners.render.push((all) => {
  if (ROLE !== "facilitator") return;
  if (state.cur !== lastBlock) { lastBlock = state.cur; chosenBlock = null; drawnFor = undefined; }
  if (all) drawNotes();
});
window.addEventListener("storage", (event) => {
  if (event.key === NOTES) { notes = loadNotes(); drawnFor = undefined; drawNotes(); }
  else if (event.key === null || (event.key && event.key.startsWith(QUEUED))) takeQueued();
});
takeQueued();
drawSaved();
