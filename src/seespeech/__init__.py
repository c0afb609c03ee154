"""seespeech: speech → text and pictures, offline."""

from .errors import AudioError, ModelNotFoundError, OptionError, SeespeechError
from .transcribe import TranscribeOptions, load_engine, transcribe
from .transcript import Segment, Transcript, Word

__version__ = "0.1.0"

__all__ = [
    "AudioError", "ModelNotFoundError", "OptionError", "SeespeechError",
    "Segment", "Transcript", "TranscribeOptions", "Word", "load_engine", "transcribe",
]
