"""Silero VAD (the ONNX model inside faster-whisper), run a section or a frame at a time.

Silero reads 512-sample frames (32 ms), each with the 64 samples before it, and carries a
recurrent state from frame to frame. faster-whisper's ``SileroVADModel`` sends a whole input
through ONNX Runtime in one call: a 4-minute window of the long-form mode briefly needed
~90 MB more (15 MB for one minute) and left the heap fragmented, the largest single cause of
the mode's peak RSS (docs/benchmarks.md). :class:`SileroStream` runs the same model on any
number of frames with the state carried: a window run one minute at a time gets the same
probabilities as in one call (within ~1e-4: ONNX Runtime blocks its sums by batch size) and
the same speech timestamps (tests/test_vad.py); the live mode runs it a frame at a time as
audio arrives.
"""

from __future__ import annotations

import functools

import numpy as np

#: samples per Silero frame at 16 kHz, and the samples of the frame before that it also reads
FRAME = 512
CONTEXT = 64
#: frames per ONNX Runtime call when a long input is run in sections (60 s)
SECTION_FRAMES = 1875
#: the model's inputs (the check that faster-whisper still ships the model this was written for)
_INPUTS = {"input", "h", "c"}


class SileroStream:
    """Silero VAD over consecutive frames, keeping its recurrent state between calls."""

    def __init__(self, session=None):
        if session is None:
            from faster_whisper.vad import get_vad_model

            session = get_vad_model().session
        self.session = session
        self.reset()

    def reset(self) -> None:
        self.h = np.zeros((1, 1, 128), dtype=np.float32)
        self.c = np.zeros((1, 1, 128), dtype=np.float32)
        self.context = np.zeros((1, CONTEXT), dtype=np.float32)

    def frames(self, frames: np.ndarray) -> np.ndarray:
        """Speech probabilities of ``frames`` (n × 512), the frames after the last call's."""
        context = np.concatenate([self.context, frames[:-1, -CONTEXT:]])
        out, self.h, self.c = self.session.run(None, {"input": np.concatenate([context, frames], axis=1),
                                                      "h": self.h, "c": self.c})
        self.context = frames[-1:, -CONTEXT:]
        return np.asarray(out).reshape(-1)

    def __call__(self, frame: np.ndarray) -> float:
        """The speech probability of one 512-sample frame."""
        return float(self.frames(frame[None, :])[0])


def speech_probabilities(audio: np.ndarray, session=None) -> np.ndarray:
    """One probability per frame of ``audio`` (a whole number of frames), a minute at a time."""
    stream = SileroStream(session)
    frames = audio.reshape(-1, FRAME)
    return np.concatenate([stream.frames(frames[i:i + SECTION_FRAMES])
                           for i in range(0, len(frames), SECTION_FRAMES)] or [np.zeros(0, np.float32)])


def run_in_sections() -> bool:
    """Make faster-whisper's shared Silero model (which its ``get_speech_timestamps``, and so
    our long-form chunking, the cleaning step and its own ``vad_filter`` use) run a minute at a
    time. The speech timestamps do not change; the memory does. Left as it is, and False returned, if
    faster-whisper's model is not the one this was written for."""
    from faster_whisper.vad import SileroVADModel, get_vad_model

    model, sectioned = get_vad_model(), _sectioned_class()
    if type(model) is sectioned:
        return True
    if type(model) is not SileroVADModel or {i.name for i in model.session.get_inputs()} != _INPUTS:
        return False
    model.__class__ = sectioned
    return True


@functools.cache
def _sectioned_class() -> type:
    from faster_whisper.vad import SileroVADModel

    class SectionedSileroVAD(SileroVADModel):
        """faster-whisper's Silero model, called a minute of audio at a time."""

        def __call__(self, audio: np.ndarray, num_samples: int = FRAME, context_size_samples: int = CONTEXT):
            if num_samples != FRAME or context_size_samples != CONTEXT or audio.ndim != 1 or audio.size % FRAME:
                return super().__call__(audio, num_samples, context_size_samples)
            return speech_probabilities(audio, self.session)

    return SectionedSileroVAD
