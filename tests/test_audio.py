import io
import wave

import av
import numpy as np
import pytest

from seespeech.audio import SAMPLE_RATE, TruncatedAudioWarning, decode_blocks, load_audio, probe
from seespeech.errors import AudioError

from conftest import DEMO


def encode(source, path, codec, fmt=None, rate=None):
    """Re-encode ``source`` with PyAV into another container (the formats users bring)."""
    with av.open(str(source)) as src, av.open(str(path), "w", format=fmt) as dst:
        in_stream = src.streams.audio[0]
        out = dst.add_stream(codec, rate=rate or in_stream.rate, layout="stereo")
        resampler = av.AudioResampler(format=out.codec_context.codec.audio_formats[0].name, layout="stereo",
                                      rate=rate or in_stream.rate, frame_size=out.codec_context.frame_size or None)
        for frame in src.decode(in_stream):
            for piece in resampler.resample(frame):
                for packet in out.encode(piece):
                    dst.mux(packet)
        for piece in resampler.resample(None):
            for packet in out.encode(piece):
                dst.mux(packet)
        for packet in out.encode(None):
            dst.mux(packet)
    return path


def test_shared_formats_decode_to_16k_mono(speech):
    for path in sorted((speech / "formats").iterdir()):
        if path.suffix == ".tsv":
            continue
        audio = load_audio(path)
        assert audio.dtype == np.float32 and audio.ndim == 1, path
        assert 1.0 < audio.size / SAMPLE_RATE < 40, path
        assert 0.01 < np.abs(audio).max() <= 1.0, path


def test_blocks_are_bounded_so_memory_does_not_grow(speech):
    blocks = list(decode_blocks(speech / "formats" / "jfk.flac", block_seconds=2.0))
    assert len(blocks) == 6
    assert all(b.size <= 2 * SAMPLE_RATE for b in blocks)
    assert sum(b.size for b in blocks) == load_audio(speech / "formats" / "jfk.flac").size


@pytest.mark.parametrize(
    "codec,fmt,suffix", [("aac", "mp4", ".m4a"), ("libopus", "ogg", ".opus"), ("libopus", "webm", ".webm"),
                         ("pcm_s16be", "aiff", ".aiff"), ("libmp3lame", "mp3", ".mp3")],
)
def test_other_containers_decode_like_the_original(tmp_path, codec, fmt, suffix):
    rate = 48000 if codec == "libopus" else 44100
    path = encode(DEMO, tmp_path / f"demo{suffix}", codec, fmt, rate)
    original, other = load_audio(DEMO), load_audio(path)
    assert abs(other.size - original.size) / SAMPLE_RATE < 0.1  # same length within 0.1 s
    assert probe(path).channels == 2


def test_bytes_file_objects_and_arrays():
    data = DEMO.read_bytes()
    from_path = load_audio(DEMO)
    assert np.array_equal(load_audio(data), from_path)
    assert np.array_equal(load_audio(io.BytesIO(data)), from_path)
    stereo = np.stack([from_path, from_path])
    assert np.allclose(load_audio(stereo), from_path)


def write_wav(path, samples: np.ndarray, rate=SAMPLE_RATE):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


def bad_inputs(tmp_path, speech):
    (tmp_path / "garbage.wav").write_bytes(np.random.default_rng(0).bytes(4000))
    (tmp_path / "empty.wav").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("this is a text file, not audio\n")
    write_wav(tmp_path / "zero.wav", np.zeros(0))
    (tmp_path / "no_audio_here").mkdir()
    (tmp_path / "no_audio_here" / "readme.md").write_text("nothing\n")
    return {
        "garbage.wav": "not an audio file",
        "empty.wav": "empty file",
        "notes.txt": "not an audio file",
        "zero.wav": "no audio samples",
        "no_audio_here": "is a folder",
    }


def test_bad_inputs_raise_one_clear_error(tmp_path, speech):
    for name, message in bad_inputs(tmp_path, speech).items():
        with pytest.raises(AudioError) as caught:
            load_audio(tmp_path / name)
        assert message in str(caught.value), name
        assert name in str(caught.value)
        assert "\n" not in str(caught.value)


def truncated_files(folder, speech) -> dict:
    """The same kinds of cut-off file a failed upload or copy leaves: name → seconds declared."""
    made = {}
    for source, name in [(speech / "cathy_dev" / "arctic_a0004.flac", "cut.flac"),
                         (speech / "formats" / "1272-141231-0002.mp3", "cut.mp3"),
                         (speech / "formats" / "LDC93S1_8000.wav", "cut.wav")]:
        data = source.read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])
        made[name] = probe(source).duration
    return made


def test_truncated_files_are_decoded_as_far_as_they_go_with_a_warning(tmp_path, speech):
    """FLAC, MP3 and WAV alike: what is there is used, and the shortfall is said."""
    for name, declared in truncated_files(tmp_path, speech).items():
        notes = []
        audio = load_audio(tmp_path / name, notes=notes)
        assert 0.3 * declared < audio.size / SAMPLE_RATE < 0.7 * declared, name
        assert len(notes) == 1 and "truncated" in notes[0] and name in notes[0], notes
        with pytest.warns(TruncatedAudioWarning, match="truncated"):
            load_audio(tmp_path / name)
    notes = []
    load_audio(speech / "formats" / "1272-141231-0002.mp3", notes=notes)
    assert notes == []  # a whole file says nothing


def test_maximum_duration_guard(speech, tmp_path):
    with pytest.raises(AudioError, match="longer than the maximum duration 5 s"):
        load_audio(speech / "formats" / "jfk.flac", max_duration=5)
    # ten minutes of silence compress to a tiny FLAC: refused before it is decoded
    wav = write_wav(tmp_path / "long.wav", np.zeros(SAMPLE_RATE * 600))
    small = encode(wav, tmp_path / "long.flac", "flac", "flac")
    assert small.stat().st_size < 200_000
    with pytest.raises(AudioError, match="maximum duration"):
        next(decode_blocks(small, max_duration=60))
    with pytest.raises(AudioError, match="maximum duration"):
        load_audio(np.zeros(SAMPLE_RATE * 8, dtype=np.float32), max_duration=5)
