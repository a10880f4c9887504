"""The API's JSON parser: DRF's, with two hostile inputs turned into 400s instead of 500s.

- Nesting deep enough to exhaust Python's recursion (``[[[[…]]]]`` 100,000 deep).
- A lone UTF-16 surrogate escape (``"\\ud800"``): valid JSON, but no UTF-8 can store it, so it would fail
  only when the database encodes it. A surrogate *pair* (an escaped emoji) is one ordinary character.
"""

import io
import json
import re

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read()
        try:
            data = super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - nested too deeply.")) from exc
        # Only a body that escapes a surrogate can hold a lone one: the rest pay for one search.
        if _SURROGATE_ESCAPE.search(raw):
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ParseError(_("JSON parse error - a lone surrogate escape is not a character.")) from exc
        return data
