"""Speech → picture: the main job, as one call.

    result = seespeech.speech_to_image("request.wav")
    result.images[0].save("picture.png")
    print(result.transcript.text, result.prompt, result.plan["unmatched"])

Audio is transcribed (Whisper, embedded ``base`` by default); speech in another language
is translated to English, because the picture engines read English; request phrasing is
dropped ("could you draw…"); the picture engine (``compose`` by default) draws the rest.
Text can be given instead of audio and skips the first step.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PIL import Image

from seespeech.audio import AUDIO_EXTENSIONS, AudioInput
from seespeech.errors import AudioError, OptionError, options_from
from seespeech.pictures import DEFAULT_IMAGE_ENGINE, ImagineOptions, load_image_engine
from seespeech.pictures.prompt import prompt_from_text
from seespeech.speech import ENGINES, TranscribeOptions, load_engine, split_model
from seespeech.transcript import Transcript

#: progress callback: (stage, done, total) with stage "transcribe" (seconds of audio)
#: or "imagine" (steps or pictures)
StageProgressFn = Callable[[str, float, "float | None"], None]



@dataclass
class Result:
    """What ``speech_to_image`` made and how."""

    #: what was said, in its own language (None when text was given)
    transcript: Transcript | None
    #: the English scene description the pictures were drawn from
    prompt: str
    images: list[Image.Image]
    #: one plan per image (compose: word → asset, box, colour; unmatched words)
    plans: list[dict[str, Any]]
    #: the English translation, when the speech was in another language
    translation: Transcript | None = None
    engine: str = DEFAULT_IMAGE_ENGINE
    model: str = ""
    credits: list[str] = field(default_factory=list)
    #: wall seconds per stage: transcribe, imagine
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def plan(self) -> dict[str, Any]:
        return self.plans[0] if self.plans else {}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, without the pixels."""
        return {
            "transcript": self.transcript.to_dict() if self.transcript else None,
            "translation": self.translation.to_dict() if self.translation else None,
            "prompt": self.prompt, "engine": self.engine, "model": self.model,
            "plans": self.plans, "credits": self.credits, "timings": self.timings,
        }


def looks_like_text(source: Any) -> bool:
    """A string that is not a file and does not look like a file name is a description."""
    if not isinstance(source, str):
        return False
    if source == "-" or os.path.exists(source):
        return False
    if os.sep in source or Path(source).suffix.lower() in AUDIO_EXTENSIONS:
        return False
    return bool(source.strip())


def transcribe_for_picture(
    audio: AudioInput, *, model: str | None = None, language: str | None = None, translate: bool = True,
    progress: StageProgressFn | None = None, diarize: bool = False,
) -> tuple[Transcript, Transcript | None]:
    """Transcribe; when the speech is not English, also translate it (multilingual models).

    ``model`` names a Whisper model, or another engine and its model ("ctc", "ctc:DIR");
    ``diarize``: the transcript's segments carry who said them (found by voice)."""
    engine = load_engine(*split_model(model))
    on_audio = (lambda done, total: progress("transcribe", done, total)) if progress else None
    from seespeech.audio import reopenable

    audio = reopenable(audio)  # read twice when translating
    transcript = engine.transcribe(audio, TranscribeOptions(language=language, diarize=diarize).validated(), on_audio)
    if not transcript.text.strip():
        raise AudioError(_name(audio), "no speech found in it, so there is nothing to draw")
    translation = None
    if translate and transcript.language != "en":
        options = TranscribeOptions(language=transcript.language, task="translate").validated()
        try:
            options = ENGINES[engine.name].check(options, engine.model_name)
        except OptionError:
            raise OptionError(
                f"the speech is in '{transcript.language}' and model {engine.label} cannot translate it to "
                "English; use a multilingual model (--model base) or --no-translate"
            ) from None
        if hasattr(audio, "seek"):
            audio.seek(0)
        translation = engine.transcribe(audio, options, on_audio)
    return transcript, translation


def _name(audio: Any) -> str:
    from seespeech.audio import source_name

    return source_name(audio)


def speech_to_image(
    source: AudioInput | str,
    *,
    engine: str = DEFAULT_IMAGE_ENGINE,
    image_model: str | None = None,
    model: str | None = None,
    language: str | None = None,
    translate: bool = True,
    progress: StageProgressFn | None = None,
    diarize: bool = False,
    **options,
) -> Result:
    """Draw what ``source`` says.

    ``source`` is audio (path, bytes, file object, 16 kHz array) or an English text.
    ``model``/``language`` choose the Whisper model and spoken language (``diarize``: its
    segments say who spoke them); ``engine`` and
    ``image_model`` the picture engine; other keywords are ``ImagineOptions`` fields
    (seed, width, height, count, steps, guidance, negative_prompt, tiny_vae, labels).
    """
    image_options = options_from(ImagineOptions, "speech_to_image", **options).validated()
    painter = load_image_engine(engine, image_model)  # fail on a missing engine before transcribing
    timings: dict[str, float] = {}
    transcript = translation = None
    if looks_like_text(source):
        said = source
    else:
        start = time.perf_counter()
        transcript, translation = transcribe_for_picture(
            source, model=model, language=language, translate=translate, progress=progress, diarize=diarize
        )
        timings["transcribe"] = round(time.perf_counter() - start, 3)
        said = (translation or transcript).text
    prompt = prompt_from_text(said)
    start = time.perf_counter()
    on_step = (lambda done, total: progress("imagine", done, total)) if progress else None
    generation = painter.generate(prompt, image_options, on_step)
    timings["imagine"] = round(time.perf_counter() - start, 3)
    return Result(
        transcript, prompt, generation.images, generation.plans, translation, generation.engine,
        generation.model, generation.credits, timings,
    )
