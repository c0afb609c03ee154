"""seespeech: speech → text and pictures, offline."""

import os as _os

# An offline product sends nothing anywhere: onnxruntime (Silero VAD, OCR) otherwise queues
# telemetry events under ~/.cache/Microsoft. Set before anything imports it; a user's own
# ORT_DISABLE_TELEMETRY wins.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

from .errors import AudioError, ModelNotFoundError, OptionError, SeespeechError
from .imagine import Generation, ImagineOptions, imagine, load_image_engine
from .pipeline import Result, speech_to_image
from .caption import describe
from .ocr import read_text
from .speak import speak, speak_stream
from .subtitles import SubtitleOptions
from .translation import translate_text
from .transcribe import ENGINES, TranscribeOptions, load_engine, stream, temperature_schedule, transcribe
from .transcript import Segment, Transcript, Word
from .writers import WRITERS
from .files import save_image

__version__ = "0.1.0"

__all__ = [
    "AudioError", "ModelNotFoundError", "OptionError", "SeespeechError",
    "ENGINES", "Generation", "ImagineOptions", "Result", "Segment", "SubtitleOptions", "Transcript",
    "TranscribeOptions", "WRITERS", "Word", "imagine", "load_engine", "load_image_engine", "save_image",
    "speech_to_image", "stream", "temperature_schedule", "transcribe",
    "describe", "read_text", "speak", "speak_stream", "translate_text",
]
