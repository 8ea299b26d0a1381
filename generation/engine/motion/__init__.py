"""Motion: a static design's layers animated, encoded per platform and checked for flashes.

No Django here, like the rest of the engine. ``animations`` moves the layers frame by frame
(deterministic by seed), ``encode`` writes the frames as GIF, APNG, WebP or WebM within the
registry's byte cap, and ``flash`` checks every animated file against WCAG 2.3.1.
"""
