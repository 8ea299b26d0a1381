"""Quick Create: a template, a vibe and a few words become a job in one step.

``templates``: the TOML templates in ``GENERATION_TEMPLATES_DIR`` and their catalog;
``services``: the job a template makes, and its preview; ``views``: the gallery, a template's
page and its live preview.
"""
