"""seespeech: speech → text and pictures, offline."""

import os as _os

# An offline product sends nothing anywhere: onnxruntime (Silero VAD, OCR) otherwise queues
# telemetry events under ~/.cache/Microsoft. Set before anything imports it; a user's own
# ORT_DISABLE_TELEMETRY wins.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
# torch's oneDNN keeps a kernel per input shape; the speaker model sees a new length for every
# stretch of speech, so an hour's diarization grew by 0.8 GB. 16 kernels cost nothing in speed.
_os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "16")

# One C heap for every thread, set before any thread starts (seespeech/memory.py: a Whisper
# pass's 70 MB buffers are reused instead of mapped and zeroed afresh; 17 % faster on long files)
from seespeech.memory import share_one_heap as _share_one_heap

_share_one_heap()

from seespeech.errors import AudioError, ModelNotFoundError, OptionError, SeespeechError
from seespeech.pictures import Generation, ImagineOptions, imagine, load_image_engine
from seespeech.pipeline import Result, speech_to_image
from seespeech.jobs.caption import describe
from seespeech.jobs.ocr import read_text
from seespeech.jobs.tts import speak, speak_stream
from seespeech.speech.subtitles import SubtitleOptions
from seespeech.jobs.translate import translate_text
from seespeech.speech import ENGINES, TranscribeOptions, load_engine, stream, temperature_schedule, transcribe
from seespeech.speech.speakers import diarize
from seespeech.transcript import Segment, Transcript, Turn, Word
from seespeech.speech.writers import WRITERS
from seespeech.files import save_image

__version__ = "0.1.0"

__all__ = [
    "AudioError", "ModelNotFoundError", "OptionError", "SeespeechError",
    "ENGINES", "Generation", "ImagineOptions", "Result", "Segment", "SubtitleOptions", "Transcript",
    "TranscribeOptions", "Turn", "WRITERS", "Word", "diarize", "imagine", "load_engine", "load_image_engine", "save_image",
    "speech_to_image", "stream", "temperature_schedule", "transcribe",
    "describe", "read_text", "speak", "speak_stream", "translate_text",
]
