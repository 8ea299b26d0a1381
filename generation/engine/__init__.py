"""The render engine: plain Python, no models, no database.

It turns a request (platform spec + brief + brand snapshot + seed) into upload-ready files and
a validation report. Image providers make the art; the engine sets every word in real fonts,
places the logo, crops, post-processes, fits byte caps and validates.

Modules (entry point: ``render.render_asset``):
    types        the value types that cross the engine's boundary (the platform types are the
                 registry's, in the top-level ``platforms`` package)
    fonts        the bundled and system font families, ``font_path`` / ``load_font``
    prompt       ``build_art_prompt``: what an AI image provider is asked for
    layout       what text an asset carries and where subjects and text go (shared with the art)
    compose      fits the provider's art, sets text and logo per asset family
    text, badge  text fitting and drawing; badge frames that escalate with tenure
    postprocess  renditions and small-size sharpening
    fit          encoding within byte caps
    validate     per-file and per-asset checks (sizes, bytes, safe zones, legibility)
    providers/   ``local`` (offline art) and ``gemini`` (Google GenAI)

Nothing here imports Django; importing this package imports nothing heavy.
"""
