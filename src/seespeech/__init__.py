"""seespeech: speech → text and pictures, offline."""

from .errors import AudioError, ModelNotFoundError, OptionError, SeespeechError
from .imagine import Generation, ImagineOptions, imagine, load_image_engine
from .pipeline import Result, speech_to_image
from .transcribe import TranscribeOptions, load_engine, transcribe
from .transcript import Segment, Transcript, Word

__version__ = "0.1.0"

__all__ = [
    "AudioError", "ModelNotFoundError", "OptionError", "SeespeechError",
    "Generation", "ImagineOptions", "Result", "Segment", "Transcript", "TranscribeOptions", "Word",
    "imagine", "load_engine", "load_image_engine", "speech_to_image", "transcribe",
]
