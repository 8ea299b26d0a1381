"""The render engine: plain Python, no models, no database.

It turns a request (platform spec + brief + brand snapshot + seed) into upload-ready files and
a validation report. Image providers make the art; the engine sets every word in real fonts,
places the logo, crops, post-processes, fits byte caps and validates.

Modules (entry point: ``render.render_asset``):
    types        the value types that cross the engine's boundary (the platform types are the
                 registry's, in the top-level ``platforms`` package)
    fonts        the bundled and system font families, ``font_path`` / ``load_font``
    prompt       ``build_art_prompt``: what an AI image provider is asked for
    reading      what the words ask for (``vocabulary``: the word tables; ``reading_result``)
    layout       what text an asset carries and where subjects and text go (shared with the art)
    artwork      the provider's art decoded, keyed out, trimmed and fitted
    compose      one recipe per asset family, drawn with the tools of ``canvas``
    text, badge  text fitting and drawing; badge frames that escalate with tenure
    postprocess  renditions and small-size sharpening
    fit          encoding within byte caps
    validate     per-asset checks (safe zones, holes, cut-outs); ``file_checks`` per file
                 (sizes, bytes, format, alpha); ``legibility`` at the platform's size
    providers/   ``local`` (offline art: ``direction``, ``moods``, ``backgrounds``, ``decor``,
                 ``subjects``, ``marks``) and ``gemini`` (Google GenAI)

Nothing here imports Django; importing this package imports nothing heavy.
"""
