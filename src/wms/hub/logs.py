"""Structured logs: one JSON object per line on stderr, for journald or a log shipper."""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else was passed in ``extra=`` and is logged.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Time, level, logger, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line."""
        out = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        out.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info and record.exc_info[1] is not None:
            out["error"] = _error(record.exc_info[1])
        return json.dumps(out, default=str)


_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')


def _error(exc: BaseException) -> str:
    """An exception as the log keeps it: its type, the first line of its message (cut before
    any statement) and where it was raised. A database error's DETAIL, statement and
    parameters quote data (payloads, badges, hashes), and so may a quoted value in the
    message: they stay out."""
    first = (str(exc).splitlines() or [""])[0].split("[SQL:")[0].strip()
    first = _QUOTED.sub("…", first)  # 'invalid input syntax for type integer: "<the value>"'
    where = "".join(traceback.format_tb(exc.__traceback__))
    return f"{type(exc).__module__}.{type(exc).__qualname__}: {first[:300]}\n{where}"


def configure_logging(level: int = logging.INFO) -> None:
    """Route the hub's and uvicorn's logs through the JSON formatter."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn's access log repeats the request line; the hub logs requests itself.
    logging.getLogger("uvicorn.access").disabled = True
