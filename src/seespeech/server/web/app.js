// seespeech web page: record or upload audio, then either start a picture job (follow its
// progress, show the result) or compare Whisper with the experimental VLM engine side by side.
"use strict";

const $ = (id) => document.getElementById(id);
const KEY_STORE = "seespeech.apiKey";
const POLL_MS = 500;
const STAGES = {
  queued: "Waiting in the queue", starting: "Starting", transcribe: "Transcribing",
  imagine: "Imagining the picture", done: "Done",
};
const JOB_KEY = "seespeech.job";   // the running job, cancelled if the page goes away

const MODES = ["picture", "compare", "live"];
const LIVE_RATE = 16000;       // the rate the page sends to /v1/realtime (the session says so)
const LIVE_CHUNK = 1600;       // 100 ms of audio per append

const state = {
  mode: "picture",    // "picture" (a job) or "compare" (Whisper and the VLM side by side)
  shown: { picture: false, compare: false },  // whether each mode has a result to show
  status: {},         // each mode's last status line and percent, shown again on return
  audio: null,        // {blob, name, seconds?}
  maxUploadMb: null,  // from /audio_specs/
  recorder: null,
  live: null,         // {ws, context, stream, node} while live captions run
  busy: false,
  busyMode: null,     // the mode whose work runs (the other modes can be looked at meanwhile)
  job: null,          // the id of the running picture job (for Cancel)
  errors: {},         // each mode's error message and where it is shown, shown again on return
  objectUrls: [],     // blob: URLs made for files fetched with the API key
};

// ---------- small helpers ----------

function apiKey() {
  return $("api-key").value.trim();
}

function headers() {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Whether a node is on screen with ``room`` pixels below it. */
function in_sight(node, room = 0) {
  const box = node.getBoundingClientRect();
  return box.top >= 0 && box.bottom + room <= window.innerHeight;
}

/** Where a mode's errors go when no control is named: under the button that started the work. */
function defaultAnchor(mode) {
  return { picture: $("submit"), compare: $("compare-submit"), live: $("live").closest(".record-row") }[mode];
}

/** Show an error by the control it is about (``anchor``; the mode's main button otherwise), scroll it
 * into view and announce it (role=alert). What the mode showed before goes away: never a stale result
 * beside an error. ``mode``: the mode whose work failed (the user may be looking at another one). */
function showError(message, { anchor = null, mode = state.mode, keepResult = false } = {}) {
  if (!keepResult) clearResult(mode);
  state.errors[mode] = { message, anchor: anchor || defaultAnchor(mode) };
  if (mode === state.mode) placeError(true);
}

function placeError(scroll) {
  const box = $("error");
  const error = state.errors[state.mode];
  box.textContent = "";
  if (!error) return;
  error.anchor.after(box);   // by the control: where the user is looking
  box.textContent = error.message;
  if (scroll) {
    box.scrollIntoView({ block: "nearest", behavior: "instant" });
    // the control it is about stays in sight too, above it (the file's name beside "Too large…")
    const top = error.anchor.getBoundingClientRect().top;
    if (top < 0) window.scrollBy(0, top - 8);
  }
}

function clearError(mode = state.mode) {
  delete state.errors[mode];
  if (mode === state.mode) $("error").textContent = "";
}

function setStatus(text, percent, mode = state.mode) {
  state.status[mode] = [text, percent];
  if (mode !== state.mode) return;   // shown when the user comes back to that mode
  $("status").textContent = text;
  if (percent === null) $("progress").removeAttribute("value");  // indeterminate
  else if (percent !== undefined) $("progress").value = percent;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  for (const child of children) node.append(child);
  return node;
}

function formatSeconds(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function formatMb(bytes) {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function languageName(code) {
  try {
    return new Intl.DisplayNames(["en"], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

/** The server's message for a failed response, worded for what the user can do about it. */
async function responseError(response) {
  let message = `${response.status} ${response.statusText}`.trim();
  let param = response.status === 413 ? "file" : null;
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) message = body.error.message;
    if (body && body.error && body.error.param) param = body.error.param;
  } catch { /* not JSON: keep the status line */ }
  return [wordedError(response, message), param];
}

function wordedError(response, message) {
  switch (response.status) {
    case 401:
      return `${message} — enter the server's key under "API key".`;
    case 413:
      return `Too large: ${message}`;
    case 503: {
      const retry = response.headers.get("Retry-After");
      return `The server is busy: ${message}. Try again ${retry ? `in ${retry} s` : "shortly"}.`;
    }
    default:
      return message;
  }
}

const NETWORK_ERROR = "Network error: the server could not be reached. Check that it is running and try again.";

async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { ...options, headers: { ...headers(), ...(options.headers || {}) } });
  } catch {
    throw new Error(NETWORK_ERROR);
  }
  if (!response.ok) {
    const [message, param] = await responseError(response);
    const error = new Error(message);
    error.param = param;
    throw error;
  }
  return response;
}

/** Where an API error belongs: by the control the server blames (the file, the speakers box). */
function anchorOf(error) {
  const anchors = { file: "chosen", diarize: "diarize-row" };
  return error && anchors[error.param] ? $(anchors[error.param]) : null;
}

/** A URL the browser can load: the path itself, or a blob: URL when the key must be sent. */
async function fileUrl(path) {
  if (!apiKey()) return path;
  const blob = await (await api(path)).blob();
  const url = URL.createObjectURL(blob);
  state.objectUrls.push(url);
  return url;
}

// ---------- server description ----------

async function loadServerInfo() {
  try {
    const models = await (await api("/v1/models")).json();
    const speech = models.data.filter((m) => m.kind === "speech-to-text");
    const engines = models.data.filter((m) => m.kind === "text-to-image");
    if (speech.length) fillSelect($("model"), speech.map((m) => [m.id, modelLabel(m)]));
    // what cannot run here is shown, not offered: a disabled choice with the server's reason beside it
    if (engines.length) {
      fillSelect($("engine"), engines.map((m) => [m.id, m.unavailable ? `${m.id} (not installed)` : m.id, m.unavailable]));
    }
    const missing = engines.filter((m) => m.unavailable);
    $("engine-note").textContent = missing.map((m) => `${m.id}: ${m.unavailable}`).join(" ");
    $("engine-note").hidden = !missing.length;
    const vlm = models.data.find((m) => m.kind === "speech-picture-to-text");
    const noVlm = vlm && vlm.unavailable;
    $("vlm-note").textContent = noVlm ? `The VLM row: ${noVlm}` : "";
    $("vlm-note").hidden = !noVlm;
    for (const id of ["image-type", "vlm-prompt"]) {
      $(id).disabled = Boolean(noVlm);
      if (noVlm) $(id).setAttribute("aria-describedby", "vlm-note");
      else $(id).removeAttribute("aria-describedby");
    }
    const specs = await (await api("/audio_specs/")).json();
    state.maxUploadMb = specs.max_upload_mb;
    $("file").accept = ["audio/*", "video/*", ...(specs.accepted_formats || [])].join(",");
    $("drop").querySelector("span").textContent =
      `…or choose an audio file, or drop it here (up to ${specs.max_upload_mb} MB)`;
    // a file chosen before the limit arrived is checked now
    if (state.audio && tooLarge(state.audio.blob)) {
      showError(tooLarge(state.audio.blob), { anchor: $("chosen"), keepResult: true });
    }
  } catch (error) {
    showError(error.message);
  }
}

/** A speech model's name in the menu, short enough for a phone: "whisper-1 (base)", "ctc (cathy)". */
function modelLabel(model) {
  if (model.engine && model.engine !== "whisper") {
    const weights = String(model.weights || "").split(" ")[0].split(":").pop();
    return weights && weights !== model.id ? `${model.id} (${weights})` : model.id;
  }
  return model.id === model.weights || !model.weights ? model.id : `${model.id} (${model.weights})`;
}

function fillSelect(select, entries) {
  const keep = select.value;
  select.replaceChildren(...entries.map(([value, text, unavailable]) =>
    el("option", { value, textContent: text, disabled: Boolean(unavailable), title: unavailable || "" })));
  const usable = entries.filter(([, , unavailable]) => !unavailable);
  if (usable.some(([value]) => value === keep)) select.value = keep;
  else if (usable.length) select.value = usable[0][0];
}

// ---------- choosing audio ----------

function chooseAudio(blob, name, seconds) {
  state.audio = { blob, name, seconds };
  const length = seconds !== undefined ? `, ${seconds.toFixed(1)} s` : "";
  $("chosen").textContent = `Chosen: ${name} (${formatMb(blob.size)}${length})`;
  updateSubmit();
  clearError("picture");
  clearError("compare");
  if (tooLarge(blob)) showError(tooLarge(blob), { anchor: $("chosen"), keepResult: true });
}

function tooLarge(blob) {
  if (state.maxUploadMb && blob.size > state.maxUploadMb * 1024 * 1024) {
    return `Too large: ${state.audio.name} is ${formatMb(blob.size)}; the server accepts at most ${state.maxUploadMb} MB.`;
  }
  return "";
}

function updateSubmit() {
  const blocked = !state.audio || state.busy || Boolean(state.recorder);
  $("submit").disabled = blocked;
  $("compare-submit").disabled = blocked;
  // while a job runs the other modes can be looked at; live captions hold the microphone, so not then
  for (const mode of MODES) $(`mode-${mode}`).disabled = Boolean(state.live) || Boolean(state.liveClosing);
  $("cancel").hidden = !(state.busy && state.busyMode === "picture" && state.mode === "picture");
  const compareBusy = state.busy && state.busyMode === "compare" && state.mode === "compare";
  $("spinner").hidden = !compareBusy;
  if (!compareBusy) $("elapsed").textContent = "";
}

// ---------- picture or compare ----------

function setMode(mode, remember = true) {
  if (!MODES.includes(mode) || state.live) return;
  state.mode = mode;
  for (const each of MODES) {
    $(`mode-${each}`).setAttribute("aria-pressed", String(each === mode));  // the CSS styles this
  }
  for (const node of document.querySelectorAll("[data-mode]")) node.hidden = node.dataset.mode !== mode;
  $("result").hidden = mode !== "picture" || !state.shown.picture;
  $("compare-result").hidden = mode !== "compare" || !state.shown.compare;
  $("live-result").hidden = mode !== "live";
  $("audio-section").hidden = mode === "live";
  placeError(false);   // this mode's own error, if it has one
  const [text, percent] = state.status[mode] || ["Ready.", 0];
  setStatus(text, percent);
  if (remember) history.replaceState(null, "", mode === "picture" ? location.pathname + location.search : `#${mode}`);
  updateSubmit();
}

function setupFileInput() {
  $("file").addEventListener("change", () => {
    const file = $("file").files[0];
    if (file) chooseAudio(file, file.name);
  });
  const drop = $("drop");
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  for (const type of ["dragleave", "drop"]) drop.addEventListener(type, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (file) chooseAudio(file, file.name);
  });
}

// ---------- recording ----------

function recordingType() {
  const types = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
  return types.find((t) => MediaRecorder.isTypeSupported(t)) || "";
}

function microphoneError(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "Microphone permission was denied. Allow the microphone for this page (the icon in the address bar) or upload a file instead.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No microphone was found. Connect one, or upload a file instead.";
    case "NotReadableError":
    case "AbortError":
      return "The microphone could not be opened; another program may be using it.";
    default:
      return `The microphone could not be used: ${(error && error.message) || error}`;
  }
}

/** The row of the Record button: where the microphone's errors are shown. */
function recordRow() {
  return $("record").closest(".record-row");
}

async function startRecording() {
  clearError();
  if (!window.MediaRecorder || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    showError(window.isSecureContext
      ? "This browser cannot record audio (no MediaRecorder). Upload a file instead."
      : "Recording needs a secure page (https or localhost). Upload a file instead.", { anchor: recordRow() });
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (error) {
    showError(microphoneError(error), { anchor: recordRow() });
    return;
  }
  const type = recordingType();
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
  const chunks = [];
  const windowSeconds = Number($("window").value);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;

  recorder.addEventListener("dataavailable", (event) => {
    if (event.data.size) chunks.push(event.data);
  });
  recorder.addEventListener("stop", () => {
    clearInterval(timer);
    clearTimeout(stopper);
    stream.getTracks().forEach((track) => track.stop());
    state.recorder = null;
    const seconds = elapsed();
    const mime = recorder.mimeType || type || "audio/webm";
    const extension = mime.includes("ogg") ? "ogg" : mime.includes("mp4") ? "m4a" : "webm";
    setRecordButton(false);
    $("record-info").textContent = `Recorded ${seconds.toFixed(1)} s.`;
    if (!chunks.length) {
      showError("The recording is empty: no sound came from the microphone.", { anchor: recordRow() });
      updateSubmit();
      return;
    }
    chooseAudio(new Blob(chunks, { type: mime }), `recording.${extension}`, seconds);
  });

  const tick = () => {
    $("record-info").textContent = windowSeconds
      ? `Recording… ${Math.max(0, Math.ceil(windowSeconds - elapsed()))} s left`
      : `Recording… ${formatSeconds(elapsed())}`;
  };
  const timer = setInterval(tick, 200);
  const stopper = windowSeconds ? setTimeout(stopRecording, windowSeconds * 1000) : null;
  state.recorder = recorder;
  recorder.start(250);
  setRecordButton(true);
  tick();
  updateSubmit();
}

function stopRecording() {
  if (state.recorder && state.recorder.state !== "inactive") state.recorder.stop();
}

function setRecordButton(recording) {
  const button = $("record");
  button.textContent = recording ? "Stop" : "Record";
  button.setAttribute("aria-pressed", String(recording));
  button.classList.toggle("on", recording);
}

// ---------- the job ----------

/** Pictures and Seed within their input's min and max: a value outside is set to the nearest one
 * allowed, in the input itself, and a note beside it says so (never changed silently). */
function clampNumber(input) {
  const note = $(`${input.id}-note`);
  const min = Number(input.min);
  const max = Number(input.max);
  const raw = input.value.trim();
  const value = Number(raw);
  let fixed = null;
  if (raw === "" || !Number.isFinite(value)) fixed = min;
  else if (value < min) fixed = min;
  else if (value > max) fixed = max;
  else if (!Number.isInteger(value)) fixed = Math.round(value);
  const label = document.querySelector(`label[for="${input.id}"]`).textContent;
  if (fixed === null) {
    if (note.dataset.value !== raw) note.textContent = "";
    return;
  }
  input.value = String(fixed);
  note.dataset.value = String(fixed);
  note.textContent = raw === "" || !Number.isFinite(value)
    ? `${label}: a whole number from ${min} to ${max}; set to ${fixed}.`
    : `${label}: ${raw} is not allowed (${min} to ${max}); set to ${fixed}.`;
}

async function submit(event) {
  event.preventDefault();
  if (!state.audio || state.busy) return;
  clearError();
  const problem = tooLarge(state.audio.blob);
  if (problem) {
    showError(problem, { anchor: $("chosen") });
    return;
  }
  clearResult(state.mode);  // the last result belongs to the last audio: it goes as the new job starts
  if (state.mode === "compare") await submitCompare();
  else await submitPicture();
}

async function submitPicture() {
  const form = new FormData();
  form.append("file", state.audio.blob, state.audio.name);
  form.append("model", $("model").value);
  if ($("language").value) form.append("language", $("language").value);
  form.append("task", $("task").value);
  form.append("engine", $("engine").value);
  clampNumber($("n"));
  clampNumber($("seed"));
  form.append("n", $("n").value);
  form.append("seed", $("seed").value);
  if ($("diarize").checked) form.append("diarize", "true");

  state.busy = true;
  state.busyMode = "picture";
  updateSubmit();
  setStatus("Uploading…", null, "picture");
  try {
    const job = await (await api("/v1/jobs", { method: "POST", body: form })).json();
    state.job = job.id;
    sessionStorage.setItem(JOB_KEY, job.id);
    updateSubmit();
    // Cancel, its progress and why it waits: in sight, with room for the status to grow
    if (!in_sight($("status"), 160)) $("progress").scrollIntoView({ block: "center" });
    showProgress(job);
    const done = apiKey() ? await poll(job.id) : await follow(job.id);
    await finish(done);
  } catch (error) {
    setStatus("Stopped.", 0, "picture");
    showError(error.message, { anchor: anchorOf(error), mode: "picture" });
  } finally {
    state.busy = false;
    state.busyMode = null;
    state.job = null;
    sessionStorage.removeItem(JOB_KEY);
    $("cancel").disabled = false;
    updateSubmit();
  }
}

/** Why a queued job waits: the jobs ahead of it (and what the first is doing), or other requests. */
function queueLine(queue) {
  if (!queue) return "Waiting in the queue";
  const ahead = queue.jobs_ahead || [];
  if (ahead.length) {
    const first = ahead[0];
    const doing = first.state === "running"
      ? ` (${(STAGES[first.stage] || first.stage || "running").toLowerCase()}, ${Math.round((first.fraction || 0) * 100)} %)`
      : "";
    const jobs = ahead.length === 1 ? "1 job" : `${ahead.length} jobs`;
    return `Waiting in the queue: ${jobs} ahead of this one${doing}; it starts when ${ahead.length === 1 ? "that one ends" : "they end"}`;
  }
  if (queue.other_requests) {
    const others = queue.other_requests === 1 ? "1 other request" : `${queue.other_requests} other requests`;
    return `Waiting: the server is busy with ${others} (it works on ${queue.workers} at a time)`;
  }
  return "Waiting for the server to start it";
}

function showProgress(job) {
  const progress = job.progress || {};
  const percent = Math.round((progress.fraction || 0) * 100);
  if (job.state === "queued") {
    setStatus(`${queueLine(job.queue)}.`, 0, "picture");
    return;
  }
  const stage = STAGES[progress.stage] || progress.stage || job.state;
  setStatus(`${stage} · ${percent} %`, percent, "picture");
}

/** Cancel the running job: the server drops it from the queue or stops it at its next step. */
async function cancelJob() {
  const id = state.job;
  if (!id) return;
  $("cancel").disabled = true;
  setStatus("Cancelling…", undefined, "picture");
  try {
    await api(`/v1/jobs/${id}/cancel`, { method: "POST" });
  } catch (error) {
    $("cancel").disabled = false;
    showError(`Could not cancel: ${error.message}`, { mode: "picture", keepResult: true });
  }
}

/** Server-sent events until the job ends; falls back to polling if the stream breaks. */
function follow(id) {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/v1/jobs/${id}/events`);
    let ended = false;
    const end = (job) => {
      ended = true;
      source.close();
      resolve(job);
    };
    source.addEventListener("progress", (event) => showProgress(JSON.parse(event.data)));
    for (const kind of ["succeeded", "failed", "cancelled"]) {
      source.addEventListener(kind, (event) => end(JSON.parse(event.data)));
    }
    source.addEventListener("error", () => {
      if (ended) return;
      source.close();
      poll(id).then(resolve, reject);
    });
  });
}

async function poll(id) {
  for (;;) {
    const job = await (await api(`/v1/jobs/${id}`)).json();
    if (["succeeded", "failed", "cancelled"].includes(job.state)) return job;
    showProgress(job);
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }
}

async function finish(job) {
  if (job.state === "cancelled") {
    setStatus("Cancelled: the job was stopped and nothing was made.", 0, "picture");
    return;
  }
  if (job.state === "failed") {
    const message = (job.error && job.error.message) || "unknown error";
    setStatus("Failed.", 0, "picture");
    showError(`The job failed: ${message}`, { anchor: job.params && job.params.filename && message.includes(job.params.filename) ? $("chosen") : null, mode: "picture" });
    return;
  }
  setStatus("Done · 100 %", 100, "picture");
  await showResult(job.result, job.params);
}

// ---------- the result ----------

/** Empty a mode's result view and hide it, as if nothing had been shown yet. */
function clearResult(mode) {
  if (mode === "live") return;   // captions stay; never another mode's result
  state.shown[mode] = false;
  if (mode === "compare") {
    $("compare-result").hidden = true;
    $("compare-table").tBodies[0].replaceChildren();
    for (const id of ["compare-reference", "compare-meta"]) $(id).textContent = "";
    return;
  }
  $("result").hidden = true;
  for (const id of ["transcript", "language-out", "translation", "prompt", "plan-json"]) $(id).textContent = "";
  $("translation-box").hidden = true;
  for (const id of ["pictures", "credits", "plan", "downloads"]) $(id).replaceChildren();
  $("spectrogram").removeAttribute("src");
  $("spectrogram").hidden = true;
  $("speech").pause();
  $("speech").removeAttribute("src");
  $("speech").hidden = true;
  $("speak-note").textContent = "";
  $("spectrogram-note").hidden = true;
  for (const url of state.objectUrls.splice(0)) URL.revokeObjectURL(url);
}

/** The transcript; diarized, a line per speaker turn with the speaker's name in their colour. */
function showTranscript(transcript) {
  const segments = (transcript.segments || []).filter((s) => s.text && s.text.trim());
  if (!segments.some((s) => s.speaker)) {
    $("transcript").textContent = transcript.text || "(no speech found)";
    return;
  }
  const colours = new Map();
  const turns = [];
  for (const segment of segments) {
    const who = segment.speaker || "unknown";
    if (!colours.has(who)) colours.set(who, colours.size % 8);
    const last = turns[turns.length - 1];
    if (last && last.who === who) last.text += " " + segment.text.trim();
    else turns.push({ who, text: segment.text.trim() });
  }
  $("transcript").replaceChildren(...turns.map(({ who, text }) => el("span", { className: `turn speaker-${colours.get(who)}` },
    el("b", { className: "who" }, speakerName(who)), " ", text)));
}

/** SPEAKER_00 → "Speaker 1" (people count from one); a known speaker's name as it is. */
function speakerName(label) {
  const number = /^SPEAKER_(\d+)$/.exec(label);
  return number ? `Speaker ${Number(number[1]) + 1}` : label;
}

async function showResult(result, params = {}) {
  for (const url of state.objectUrls.splice(0)) URL.revokeObjectURL(url);
  const shown = result.shown || result.transcript;
  const original = result.transcript;
  // with task "translate" the shown text is the translation: then the original is the second text
  const translated = Boolean(result.translation) && (shown.task === "translate" || shown.text === result.translation.text);

  showTranscript(shown);
  $("language-out").textContent = languageLine(original, Boolean(params.language));
  const other = translated ? original : result.translation;
  $("translation-box").hidden = !other;
  if (other) {
    $("translation-title").textContent = translated
      ? `Original (${languageName(original.language)})` : "English translation";
    $("translation").textContent = other.text;
  }
  $("prompt").textContent = result.prompt || "(nothing to draw)";

  const images = await Promise.all((result.images || []).map(fileUrl));
  $("pictures").replaceChildren(...images.map((src, i) => el("figure", {},
    el("img", { src, alt: `Picture ${i + 1} drawn from: ${result.prompt || ""}`, width: 512, height: 512 }))));
  showCredits(result.credits || []);

  showPlans(result.plans || []);

  const spectrogram = $("spectrogram");
  spectrogram.hidden = !result.spectrogram;
  $("spectrogram-note").hidden = Boolean(result.spectrogram);
  if (result.spectrogram) spectrogram.src = await fileUrl(result.spectrogram);
  else spectrogram.removeAttribute("src");

  await showDownloads(result, images, params.filename);
  $("result").hidden = state.mode !== "picture";
  state.shown.picture = true;
  if (state.mode === "picture" && window.matchMedia("(max-width: 820px)").matches) {
    $("result").scrollIntoView({ behavior: "smooth" });
  }
}

function languageLine(transcript, chosen = false) {
  if (!transcript || !transcript.language) return "";
  const name = `${languageName(transcript.language)} (${transcript.language})`;
  const p = transcript.language_probability;
  // a language given with the request was not detected: no certainty to report
  const sure = chosen ? ", chosen" : typeof p === "number" ? `, ${Math.round(p * 100)} % sure` : "";
  const length = typeof transcript.duration === "number" ? ` · ${transcript.duration.toFixed(1)} s of audio` : "";
  return `Language: ${name}${sure}${length}`;
}

function showCredits(credits) {
  const node = $("credits");
  node.replaceChildren();
  for (const credit of credits) {
    // make the URLs in an attribution clickable, everything else stays text
    const line = el("span");
    for (const part of credit.split(/(https?:\/\/[^\s)]+)/)) {
      line.append(/^https?:\/\//.test(part) ? el("a", { href: part, textContent: part, rel: "noopener" }) : part);
    }
    node.append(line, el("br"));
  }
}

function showPlans(plans) {
  const box = $("plan");
  box.replaceChildren();
  plans.forEach((plan, i) => {
    if (plans.length > 1) box.append(el("h3", { textContent: `Picture ${i + 1}` }));
    const setting = plan.setting || {};
    const where = [setting.place, setting.time].filter(Boolean).join(", ");
    if (where) box.append(el("p", { className: "meta", textContent: `Setting: ${where}${setting.inferred ? " (guessed)" : ""}` }));
    const list = el("ul", { className: "objects" });
    for (const object of plan.objects || []) list.append(objectItem(object));
    if (!(plan.objects || []).length) list.append(el("li", { textContent: "No objects found to draw." }));
    box.append(list);
    const relations = (plan.relations || []).filter((r) => r.holds !== false)
      .map((r) => `${r.subject_word} ${r.relation} ${r.object_word}`);
    if (relations.length) box.append(el("p", { className: "meta", textContent: `Placed: ${relations.join("; ")}` }));
    const unmatched = plan.unmatched || [];
    if (unmatched.length) {
      const line = el("p", { className: "unmatched" }, "Not drawn (no picture for): ");
      unmatched.forEach((word, j) => line.append(j ? ", " : "", el("mark", { textContent: typeof word === "string" ? word : JSON.stringify(word) })));
      box.append(line);
    }
  });
  $("plan-json").textContent = JSON.stringify(plans, null, 2);
}

function objectItem(object) {
  const item = el("li");
  item.append(el("strong", { textContent: object.word }));
  if (object.noun && object.noun !== object.word) item.append(` (${object.noun})`);
  item.append(" → ");
  if (object.placeholder || !object.asset) {
    item.append(el("span", { className: "placeholder", textContent: "placeholder" }));
  } else {
    item.append(`${object.asset.name} (${object.asset.source})`);
  }
  const details = [];
  if (object.colour) details.push(object.colour);
  if (object.size) details.push(object.size);
  details.push(`× ${object.count ?? 1}`);
  item.append(` · ${details.join(" · ")}`);
  if (object.colour && object.rgb) {
    item.append(" ", el("span", { className: "swatch", title: object.colour }));
    item.lastChild.style.background = `rgb(${object.rgb.join(",")})`;
  }
  return item;
}

/** A download's file name, after the uploaded file as the server names it: talk.srt, talk-picture-1.png. */
function downloadName(upload, path) {
  const name = path.split("/").pop();
  const stem = (upload || "").replace(/^.*[\\/]/, "").replace(/\.[^.]*$/, "").trim() || "job";
  if (name.startsWith("transcript.")) return stem + name.slice("transcript".length);
  const picture = name.match(/^picture-(\d+)\.png$/);
  if (picture) return `${stem}-picture-${Number(picture[1]) + 1}.png`;
  return `${stem}-${name}`;
}

async function showDownloads(result, images, upload) {
  const list = $("downloads");
  list.replaceChildren();
  const files = result.files || {};
  const entries = [["srt", "Subtitles (SRT)"], ["vtt", "Subtitles (VTT)"], ["txt", "Text (TXT)"], ["verbose_json", "Details (JSON)"]]
    .filter(([format]) => files[format]).map(([format, label]) => [files[format], label]);
  const links = await Promise.all(entries.map(async ([path, label]) => [await fileUrl(path), label, path]));
  (result.images || []).forEach((path, i) => links.push([images[i], `Picture ${i + 1} (PNG)`, path]));
  for (const [href, label, path] of links) {
    list.append(el("li", {}, el("a", { href, textContent: label, download: downloadName(upload, path) })));
  }
}

// ---------- comparing engines ----------

/** One synchronous request: the server runs Whisper, then the VLM, and answers with both. */
async function submitCompare() {
  const imageType = $("image-type").value;
  const reference = $("reference").value.trim();
  const prompt = $("vlm-prompt").value.trim();
  const audioName = state.audio.name;
  const form = new FormData();
  form.append("file", state.audio.blob, audioName);
  form.append("model", $("model").value);
  if ($("language").value) form.append("language", $("language").value);
  form.append("image_type", imageType);
  if (reference) form.append("reference", reference);
  if (prompt) form.append("vlm_prompt", prompt);

  state.busy = true;
  state.busyMode = "compare";
  updateSubmit();
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const vlmToo = !$("image-type").disabled;
  setStatus(vlmToo ? `Comparing: Whisper listens, then the VLM reads the ${imageType}. This waits for both…`
    : "Transcribing with the speech model (the VLM is not installed on this server)…", null, "compare");
  $("compare-result").setAttribute("aria-busy", "true");
  const tick = () => { if (state.mode === "compare") $("elapsed").textContent = formatSeconds(elapsed()); };
  tick();
  const timer = setInterval(tick, 1000);
  try {
    const result = await (await api("/audio/transcriptions/compare", { method: "POST", body: form })).json();
    showComparison(result, imageType, audioName);
    state.shown.compare = true;
    if (state.mode === "compare") $("compare-result").hidden = false;
    setStatus(`Compared in ${elapsed().toFixed(1)} s.`, 100, "compare");
    if (window.matchMedia("(max-width: 820px)").matches) $("compare-result").scrollIntoView({ behavior: "smooth" });
  } catch (error) {
    setStatus("Stopped.", 0, "compare");
    showError(error.message, { anchor: anchorOf(error), mode: "compare" });
  } finally {
    clearInterval(timer);
    $("compare-result").removeAttribute("aria-busy");
    state.busy = false;
    state.busyMode = null;
    updateSubmit();
  }
}

function percent(value) {
  return typeof value === "number" ? `${(value * 100).toFixed(1)} %` : "—";
}

function showComparison(result, imageType, audioName) {
  const errors = result.errors || {};
  const models = result.models || {};
  const timings = result.timings || {};
  const wer = result.wer || {};
  const cer = result.cer || {};
  // the server names the picture it drew, e.g. "vlm_mel"
  const drawn = ((result.methods_compared || [])[1] || "").replace(/^vlm_/, "") || imageType;
  const rows = [
    // the speech model's row is named by its engine: whisper, or ctc when that model was chosen
    { key: "whisper", engine: String(models.whisper || "whisper").split(":")[0], text: result.traditional_stt },
    { key: "vlm", engine: `vlm (${drawn})`, text: result.vlm_transcription },
  ];
  $("compare-table").tBodies[0].replaceChildren(...rows.map((row) => {
    const text = el("td", { className: "text" });
    if (row.text === null || row.text === undefined) {
      text.append(el("p", { className: "note" },
        el("strong", { textContent: "Could not run: " }), errors[row.key] || "no reason given"));
    } else {
      text.textContent = row.text || "(no words)";
    }
    const seconds = timings[row.key];
    const tr = el("tr", {},
      el("th", { scope: "row", textContent: row.engine }),
      el("td", { className: "model", textContent: models[row.key] || "—" }),
      text,
      el("td", { className: "num wer", textContent: percent(wer[row.key]) }),
      el("td", { className: "num cer", textContent: percent(cer[row.key]) }),
      el("td", { className: "num seconds", textContent: typeof seconds === "number" ? seconds.toFixed(1) : "—" }));
    tr.dataset.engine = row.key;
    tr.setAttribute("role", "row");  // the roles the narrow layout's display: block would lose (see index.html)
    for (const cell of tr.cells) cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
    if (row.text === null || row.text === undefined) tr.classList.add("failed");
    return tr;
  }));
  $("compare-reference").textContent = {
    given: "WER and CER are measured against your reference.",
    whisper: "WER and CER are measured against Whisper's text, since no reference was given (so Whisper scores 0 % by definition).",
  }[result.reference_source] || "No WER or CER: there was no reference to measure against.";
  const language = result.language ? `${languageName(result.language)} (${result.language})` : "not known";
  $("compare-meta").textContent = `${audioName} · language: ${language}`;
}

// ---------- read aloud (/v1/audio/speech, OpenAI's text → speech) ----------

async function readAloud() {
  const text = $("transcript").textContent.trim();
  if (!text || text === "(no speech found)") return;
  const button = $("speak");
  button.disabled = true;
  $("speak-note").textContent = "Making the speech…";
  try {
    const response = await api("/v1/audio/speech", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model: "tts-1", voice: "alloy", input: text.slice(0, 4096), response_format: "mp3" }),
    });
    const url = URL.createObjectURL(await response.blob());
    state.objectUrls.push(url);
    const audio = $("speech");
    audio.src = url;
    audio.hidden = false;
    $("speak-note").textContent = "";
    audio.play().catch(() => {});   // a browser may want one more click: the controls are there
  } catch (error) {
    $("speak-note").textContent = `Cannot read it aloud: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

// ---------- live captions (/v1/realtime, OpenAI's Realtime API in transcription mode) ----------

// An AudioWorklet hands the microphone's samples (already at 16 kHz: the AudioContext resamples)
// to the page in 128-frame blocks; the page sends 100 ms of PCM16 per append.
const WORKLET = `
class Tap extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor("seespeech-tap", Tap);
`;

function liveUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/v1/realtime?intent=transcription`;
}

function base64Pcm16(samples) {
  const bytes = new Uint8Array(samples.length * 2);
  const view = new DataView(bytes.buffer);
  samples.forEach((value, i) => view.setInt16(i * 2, Math.max(-1, Math.min(1, value)) * 0x7fff, true));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function captionLine(id) {
  let line = document.querySelector(`#captions li[data-item="${CSS.escape(id)}"]`);
  if (!line) {
    // a turn with no words yet is "waiting": only one such line shows (CSS), never a stack of "…"
    line = el("li", { className: "caption partial waiting" }, el("span", { className: "words", textContent: "…" }));
    line.dataset.item = id;
    $("captions").append(line);
    $("live-empty").hidden = true;
  }
  return line;
}

/** Turns whose text has not come yet. */
function pendingLines() {
  return [...document.querySelectorAll("#captions li.partial")];
}

/** Protocol errors the page causes itself and can ignore (a commit that raced the server's own). */
const QUIET_LIVE_ERRORS = new Set(["input_audio_buffer_commit_empty"]);

function onLiveEvent(event, live) {
  switch (event.type) {
    case "input_audio_buffer.speech_started":
      live.speaking = true;
      captionLine(event.item_id);
      break;
    case "input_audio_buffer.speech_stopped":
      live.speaking = false;
      break;
    case "conversation.item.input_audio_transcription.delta": {
      const line = captionLine(event.item_id);
      const words = line.querySelector(".words");
      words.textContent = (line.classList.contains("waiting") ? "" : words.textContent) + event.delta;
      line.classList.remove("waiting");
      break;
    }
    case "conversation.item.input_audio_transcription.completed": {
      const line = captionLine(event.item_id);
      if (!event.transcript) {   // a noise, not words
        line.remove();
        break;
      }
      line.classList.remove("partial", "waiting");
      line.querySelector(".words").textContent = event.transcript;
      const draw = el("button", { type: "button", className: "draw", textContent: "Draw" });
      draw.addEventListener("click", () => drawCaption(line, event.transcript));
      line.append(draw);
      if ($("live-draw").checked) drawCaption(line, event.transcript);
      break;
    }
    case "conversation.item.input_audio_transcription.failed":
      captionLine(event.item_id).remove();
      showError(`A sentence could not be transcribed: ${(event.error && event.error.message) || "no reason given"}`,
                { mode: "live" });
      break;
    case "error": {
      const error = event.error || {};
      if (QUIET_LIVE_ERRORS.has(error.code)) break;   // protocol detail, nothing the user can act on
      showError(`Live captions: ${error.message || "the server reported an error"}`, { mode: "live" });
      break;
    }
    default:
      break;
  }
  if (live.closing && !pendingLines().length) closeLive(live);   // the last sentence's text is in
}

async function drawCaption(line, text) {
  const button = line.querySelector("button.draw");
  if (button) button.disabled = true;
  try {
    const response = await api("/v1/images/generations", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: text, n: 1, size: "384x384", response_format: "b64_json" }),
    });
    const body = await response.json();
    const image = el("img", { className: "caption-picture", alt: `A picture of: ${text}`,
                              src: `data:image/png;base64,${body.data[0].b64_json}` });
    line.append(image);
    if (button) button.remove();
  } catch (error) {
    if (button) button.disabled = false;
    showError(`No picture: ${error.message}`, { mode: "live" });
  }
}

/** Why a live connection could not open: the server is down, wants a key, or refused. */
async function liveRefusal(code) {
  if (code === 1013) return "The server is busy with other live sessions. Try again shortly.";
  try {
    const response = await fetch("/v1/models", { headers: headers(), cache: "no-store" });
    if (response.status === 401) {
      return apiKey() ? "The server refused the connection: check the API key (under \"API key\")."
        : "The server needs an API key: enter it under \"API key\", then press Start again.";
    }
  } catch {
    return "The server cannot be reached: check that it is running (and this page's address), then press Start again.";
  }
  return `The server refused the live connection (code ${code}). Try again shortly.`;
}

async function startLive() {
  clearError("live");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.AudioWorkletNode) {
    showError(window.isSecureContext
      ? "This browser cannot stream the microphone (no AudioWorklet)."
      : "Live captions need a secure page (https or localhost).", { mode: "live" });
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true } });
  } catch (error) {
    showError(microphoneError(error), { mode: "live" });
    return;
  }
  const protocols = ["realtime", ...(apiKey() ? [`openai-insecure-api-key.${apiKey()}`] : [])];
  const ws = new WebSocket(liveUrl(), protocols);
  const context = new AudioContext({ sampleRate: LIVE_RATE });
  const live = { ws, context, stream, node: null, opened: false, speaking: false, closing: false, timer: null };
  state.live = live;
  setLiveButton(true);
  setStatus("Connecting…", null, "live");
  ws.addEventListener("message", (message) => {
    const event = JSON.parse(message.data);
    if (event.type === "session.created") {
      const language = $("language").value || null;
      ws.send(JSON.stringify({ type: "session.update", session: { type: "transcription", audio: { input: {
        format: { type: "audio/pcm", rate: LIVE_RATE },
        transcription: { model: $("model").value, language },
        turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
      } } } }));
      setStatus("Listening — speak now.", 0, "live");
    }
    onLiveEvent(event, live);
  });
  ws.addEventListener("close", async (event) => {
    if (live.closing) {   // Stop was pressed: this is the end we asked for
      finishLive(live, "Stopped.");
      return;
    }
    if (state.live !== live) return;
    releaseMicrophone(live);
    if (!live.opened) {
      const message = await liveRefusal(event.code);
      finishLive(live, "Not connected.");
      showError(message, { mode: "live" });
    } else {
      finishLive(live, "Connection lost.");
      showError("The connection to the server was lost, so live captions stopped. Check that the server is "
                + "running, then press Start again.", { mode: "live" });
    }
  });
  ws.addEventListener("open", async () => {
    live.opened = true;
    try {
      await context.audioWorklet.addModule(URL.createObjectURL(new Blob([WORKLET], { type: "text/javascript" })));
    } catch (error) {
      if (state.live === live && !live.closing) {   // not because Stop closed the audio meanwhile
        showError(`The microphone could not be streamed: ${error.message}`, { mode: "live" });
        stopLive();
      }
      return;
    }
    if (state.live !== live || live.closing) return;
    const source = context.createMediaStreamSource(stream);
    live.node = new AudioWorkletNode(context, "seespeech-tap");
    let buffered = [];
    let count = 0;
    live.node.port.onmessage = ({ data }) => {
      buffered.push(data);
      count += data.length;
      if (count >= LIVE_CHUNK && ws.readyState === WebSocket.OPEN && !live.closing) {
        const chunk = new Float32Array(count);
        let offset = 0;
        for (const part of buffered) { chunk.set(part, offset); offset += part.length; }
        ws.send(JSON.stringify({ type: "input_audio_buffer.append", audio: base64Pcm16(chunk) }));
        buffered = [];
        count = 0;
      }
    };
    source.connect(live.node);
  });
}

/** How long Stop waits for the last sentence's text before it closes anyway. */
const LIVE_FINISH_MS = 20000;

function releaseMicrophone(live) {
  live.stream.getTracks().forEach((track) => track.stop());
  if (live.node) live.node.disconnect();
  live.context.close().catch(() => {});
}

/** Stop: the microphone goes at once; the connection stays until the last sentence's text has come. */
function stopLive() {
  const live = state.live;
  if (!live || live.closing) return;
  live.closing = true;
  releaseMicrophone(live);
  if (live.ws.readyState !== WebSocket.OPEN) {
    live.ws.close();
    finishLive(live, "Stopped.");
    return;
  }
  if (live.speaking) {   // a sentence still being spoken: end it here (after a pause the server already has)
    live.ws.send(JSON.stringify({ type: "input_audio_buffer.commit" }));
    live.speaking = false;
  }
  if (!pendingLines().length) {
    closeLive(live);
    return;
  }
  state.liveClosing = live;
  state.live = null;
  const button = $("live");
  button.disabled = true;
  button.textContent = "Finishing…";
  setStatus("Finishing the last sentence…", null, "live");
  live.timer = setTimeout(() => closeLive(live), LIVE_FINISH_MS);
}

function closeLive(live) {
  clearTimeout(live.timer);
  if (live.ws.readyState === WebSocket.OPEN || live.ws.readyState === WebSocket.CONNECTING) live.ws.close();
  finishLive(live, "Stopped.");
}

/** The session is over: no line is left waiting for text that will not come. */
function finishLive(live, status) {
  if (live.finished) return;
  live.finished = true;
  clearTimeout(live.timer);
  for (const line of pendingLines()) {
    if (line.classList.contains("waiting")) line.remove();
    else line.classList.remove("partial");   // the words that came: kept, no longer marked as partial
  }
  if (state.live === live) state.live = null;
  if (state.liveClosing === live) state.liveClosing = null;
  $("live").disabled = false;
  setLiveButton(false);
  setStatus(status, 0, "live");
}

function setLiveButton(on) {
  const button = $("live");
  button.textContent = on ? "Stop" : "Start";
  button.setAttribute("aria-pressed", String(on));
  button.classList.toggle("on", on);
  updateSubmit();
}

// ---------- start ----------

function init() {
  const key = localStorage.getItem(KEY_STORE) || "";
  $("api-key").value = key;
  if (key) $("api-key").closest("details").open = true;
  $("api-key").addEventListener("change", () => {
    const value = apiKey();
    if (value) localStorage.setItem(KEY_STORE, value);
    else localStorage.removeItem(KEY_STORE);
    clearError();
    loadServerInfo();
  });
  $("record").addEventListener("click", () => (state.recorder ? stopRecording() : startRecording()));
  $("form").addEventListener("submit", submit);
  for (const mode of MODES) $(`mode-${mode}`).addEventListener("click", () => setMode(mode));
  $("live").addEventListener("click", () => (state.live ? stopLive() : startLive()));
  $("speak").addEventListener("click", readAloud);
  $("cancel").addEventListener("click", cancelJob);
  for (const id of ["n", "seed"]) $(id).addEventListener("change", () => clampNumber($(id)));
  // a job nobody will see the end of is cancelled when the page goes (reload, closed tab), so it
  // does not hold the queue; a job left by a page that could not say so is cancelled on return
  window.addEventListener("pagehide", () => {
    if (state.job) fetch(`/v1/jobs/${state.job}/cancel`, { method: "POST", headers: headers(), keepalive: true });
  });
  const left = sessionStorage.getItem(JOB_KEY);
  if (left) {
    sessionStorage.removeItem(JOB_KEY);
    fetch(`/v1/jobs/${left}/cancel`, { method: "POST", headers: headers() }).catch(() => {});
  }
  if (location.hash === "#compare" || location.hash === "#live") setMode(location.hash.slice(1), false);
  setupFileInput();
  loadServerInfo();
}

init();
