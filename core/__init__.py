"""Plain-Python primitives every layer shares (colours, the Gemini client): no Django here."""
