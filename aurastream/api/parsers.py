"""The API's JSON parser: DRF's, plus the limits of ``aurastream.text`` (depth, NUL, surrogates),
answered as a 400 in the API's error shape instead of failing deeper down."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from aurastream.text import MAX_JSON_DEPTH, json_problem


class SafeJSONParser(JSONParser):
    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep.") from None
        problem = json_problem(data)
        if problem:
            raise ParseError(f"The request body {problem}." if problem.startswith("is") else f"{problem}.")
        return data
