"""The speech → text engines, one module each: ``whisper`` (faster-whisper, the default),
``ctc`` (our own DeepSpeech2-style network, ``speech/ctc/``) and ``vlm`` (a vision-language
model reading the audio drawn as a picture). The table that names them is
``speech/registry.py``; adding an engine is a module here and a line there."""
