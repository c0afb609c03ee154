"""The records a transcription produces: the fields of OpenAI's ``verbose_json``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Word:
    start: float
    end: float
    word: str
    probability: float
    #: who said it, when the transcript was diarized; None otherwise
    speaker: str | None = None


@dataclass(frozen=True, order=True)
class Turn:
    """A stretch of one speaker's speech: what diarization finds (RTTM's lines)."""

    start: float
    end: float
    speaker: str


@dataclass
class Segment:
    id: int
    start: float
    end: float
    text: str
    words: list[Word] | None = None
    avg_logprob: float = 0.0
    compression_ratio: float = 0.0
    no_speech_prob: float = 0.0
    temperature: float | None = 0.0
    #: where the decoding window started, in 10 ms frames (OpenAI's and Whisper's ``seek``)
    seek: int = 0
    #: the model's token ids for this text (empty where a segment is a piece of a longer one)
    tokens: list[int] = field(default_factory=list)
    #: who spoke it, when the transcript was diarized ("SPEAKER_00", …); None otherwise
    speaker: str | None = None


@dataclass
class Transcript:
    text: str
    language: str
    language_probability: float
    duration: float
    segments: list[Segment] = field(default_factory=list)
    #: which engine and model made it, e.g. "whisper:base"
    model: str = ""
    task: str = "transcribe"
    #: what the user should know about the result (e.g. the file was cut off and only
    #: its first part could be transcribed); empty when all went as it should
    warnings: list[str] = field(default_factory=list)
    #: who spoke when, as diarization found it (empty when not diarized, or by channels)
    turns: list[Turn] = field(default_factory=list)
    #: the input's name (a file's stem): what RTTM's lines name
    source: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Transcript":
        segments = [
            Segment(**{**s, "words": [Word(**w) for w in s["words"]] if s.get("words") else None})
            for s in data.get("segments", [])
        ]
        turns = [Turn(**t) for t in data.get("turns", [])]
        return cls(**{**data, "segments": segments, "turns": turns})
