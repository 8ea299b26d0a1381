"""The Prompt Coach's conversation engine: plain Python, no Django.

``types`` holds the value types every coach provider speaks; ``local`` is the offline guided
coach, ``gemini`` the Gemini streaming chat. The Django side (``coach.streaming``) persists
what a provider streams and relays it to websockets and server-sent events.
"""
