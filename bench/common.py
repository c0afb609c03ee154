"""Helpers shared by the benchmarks: build long test files from the shared clips."""

from pathlib import Path

import av
import numpy as np

from seespeech.audio import SAMPLE_RATE, load_audio
from seespeech.speech.evaluate import read_dataset

SPEECH = Path(__file__).resolve().parents[1].parent / "shared" / "speech"
GAP = np.zeros(int(0.4 * SAMPLE_RATE), dtype=np.float32)


def joined_speech(seconds: float, folders=("cathy_dev", "cathy_train")) -> tuple[np.ndarray, str]:
    """Clips joined with 0.4 s gaps until ``seconds``; returns audio and reference text."""
    parts, texts, total = [], [], 0
    while total < seconds * SAMPLE_RATE:
        for folder in folders:
            for clip in read_dataset(SPEECH / folder):
                audio = load_audio(clip.path)
                parts += [audio, GAP]
                texts.append(clip.text)
                total += audio.size + GAP.size
                if total >= seconds * SAMPLE_RATE:
                    return np.concatenate(parts), " ".join(texts)
    return np.concatenate(parts), " ".join(texts)


def write_flac(path: Path, audio: np.ndarray) -> Path:
    """Write 16 kHz mono float audio as FLAC, streaming in 10 s frames."""
    with av.open(str(path), "w", format="flac") as out:
        stream = out.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        for start in range(0, pcm.size, 10 * SAMPLE_RATE):
            frame = av.AudioFrame.from_ndarray(pcm[None, start:start + 10 * SAMPLE_RATE], format="s16", layout="mono")
            frame.sample_rate = SAMPLE_RATE
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def long_file(minutes: float) -> tuple[np.ndarray, str, Path]:
    """``joined_speech`` of ``minutes`` written as a FLAC in a fresh temporary folder:
    (audio, reference text, path)."""
    import tempfile

    audio, reference = joined_speech(minutes * 60)
    return audio, reference, write_flac(Path(tempfile.mkdtemp()) / "long.flac", audio)


class ChunkDecoding:
    """Chunks decoded as faster-whisper's batched mode decodes them in English (no timestamp
    tokens), one CTranslate2 call at a time on ``model`` (a ``faster_whisper.WhisperModel``)."""

    def __init__(self, model):
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.model = model
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                   language="en")
        self.prompt = list(self.tokenizer.sot_sequence) + [self.tokenizer.no_timestamps]
        self.suppress = get_suppressed_tokens(self.tokenizer, [-1])

    def features(self, chunk: np.ndarray) -> np.ndarray:
        """A chunk's log-mel features, padded to one 30 s pass."""
        from faster_whisper.audio import pad_or_trim

        return pad_or_trim(self.model.feature_extractor(chunk)[..., :-1])

    def encode(self, features: np.ndarray):
        """The encoder's output for one chunk's features."""
        import ctranslate2

        return self.model.model.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None])))

    def search(self, encoded, beam_size: int = 5) -> list:
        """CTranslate2's results for a batch of encoder outputs (a StorageView or an array)."""
        import ctranslate2

        if isinstance(encoded, np.ndarray):
            encoded = ctranslate2.StorageView.from_array(np.ascontiguousarray(encoded))
        return self.model.model.generate(encoded, [self.prompt] * encoded.shape[0], beam_size=beam_size, patience=1,
                                         length_penalty=1, max_length=448, suppress_blank=True,
                                         suppress_tokens=self.suppress, return_scores=True)
