"""Log records with their context, and one JSON object a line for log collectors.

LOGGING (settings.py) puts `ContextFilter` on the console handler, so every record that reaches
it, from any logger, carries the request id and, inside a Celery task, the task's id and name.
"""

import json
import logging
from datetime import datetime

from . import request_id as context

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
_CONTEXT_ATTRIBUTES = frozenset({"request_id", "task_id", "task_name", "log_context"})


class ContextFilter(logging.Filter):
    """Adds `request_id`, `task_id`, `task_name`, and `log_context` (the same, for the text format)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id.get()
        task = context.task.get()
        record.task_id, record.task_name = task if task else (None, None)
        parts = [f"request_id={record.request_id}"] if record.request_id else []
        if task:
            parts.append(f"task={record.task_name}[{record.task_id}]")
        record.log_context = f" [{' '.join(parts)}]" if parts else ""
        return True


def _jsonable(value):
    try:
        return str(value)
    except Exception:
        return f"<unprintable {type(value).__name__}>"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, with the offset), level, logger, message, the
    context fields, exc_info as text when there is one, and whatever came in `extra=`."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "task_id": getattr(record, "task_id", None),
            "task_name": getattr(record, "task_name", None),
        }
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in _CONTEXT_ATTRIBUTES and name not in entry:
                entry[name] = value
        return json.dumps(entry, ensure_ascii=False, default=_jsonable)
