"""The neighbouring jobs: text → speech (``tts.speak``), reading text in pictures
(``ocr.read_text``), translating text (``translate.translate_text``) and describing a
picture (``caption.describe``). Each module is one job; the package face (``seespeech``)
exports their functions."""
