"""Reading a push off the wire: cheap limits first, then one validating parse, and a malformed
op turned into a rejection rather than a refusal of the whole push.

The order matters under a hostile client: the body's size (capped while it is read) and its
JSON values (counted without parsing) are checked before anything is parsed, so no body costs
more than a bounded parse; the op count stops the parse at the first op too many. An op whose
stream and seq are sound but whose content is not (a NUL, a number past its column, an
unknown op type, a payload lacking what the hub reads) becomes an
:class:`~wms.sync.ops.InvalidOp`: recorded, acked, reported with its reason (DESIGN.md §4).
Only a push whose envelope is broken is refused whole, with a few errors, never all of them.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, from_json

from wms.sync.bounds import Epoch, Seq, StreamId
from wms.sync.ops import AnyOp, WireOp, invalid
from wms.sync.wire import MAX_OPS_PER_PUSH, MAX_PUSH_VALUES, PushRequest, json_values

# Errors shown in a refusal: enough to fix a client, never a reply the size of the request.
SHOWN_ERRORS = 10
_REASON_CHARS = 300


class NotAPush(Exception):
    """The body is refused whole: ``status`` 413 (too much) or 422 (not a push)."""

    def __init__(self, status: int, code: str, detail: str, errors: list[dict[str, Any]]):
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors


class _Sound(BaseModel):
    """What an op needs to be acked at all: its stream and its place in it."""

    stream: StreamId
    seq: Seq


class _Envelope(BaseModel):
    """A push but for its ops."""

    epoch: Epoch = 1
    ops: list[Any]


_ONE_OP: TypeAdapter[WireOp] = TypeAdapter(AnyOp)


def shown(errors: list[ErrorDetails]) -> list[dict[str, Any]]:
    """The first few errors, without the input they quote (which may be the whole body)."""
    return [
        {"loc": list(e["loc"]), "msg": e["msg"][:_REASON_CHARS], "type": e["type"]}
        for e in errors[:SHOWN_ERRORS]
    ]


def _refused(e: ValidationError, at: tuple[str | int, ...] = ()) -> NotAPush:
    errors = e.errors(include_url=False, include_context=False, include_input=False)
    errors = [{**x, "loc": (*at, *x["loc"])} for x in errors]
    if any(x["type"] == "too_long" and tuple(x["loc"]) == ("ops",) for x in errors):
        return NotAPush(413, "too_large", f"at most {MAX_OPS_PER_PUSH} ops per push", [])
    return NotAPush(
        422, "invalid", f"not a push: {e.error_count()} error(s), the first shown", shown(errors)
    )


# Errors saying a value is not of one union member's type: only the last word when a value
# fits no member of the JSON a payload may carry (the other members' complaints say more).
_MISFITS = {"bool_type", "int_type", "float_type", "string_type", "list_type", "dict_type"}
_FIRST = ("string_pattern_mismatch", "finite_number")


def _branch(part: str | int) -> bool:
    """A location part naming a union member (pydantic's), not a key of the op."""
    return isinstance(part, str) and (
        part in {"bool", "float", "constrained-int", "constrained-str", "constrained-float"}
        or part.startswith(("list[", "dict[", "nullable["))
    )


def _where(error: ErrorDetails) -> str:
    return ".".join(str(p) for p in error["loc"] if not _branch(p))


def reason(errors: list[ErrorDetails]) -> str:
    """One line saying why an op was rejected (printable: it is stored and shown)."""
    first = errors[0]
    missing = [
        str(e["loc"][-1]) for e in errors if e["type"] == "missing" and e["loc"][:1] == ("payload",)
    ]
    telling = [e for e in errors if e["type"] not in _MISFITS] or errors
    worst = sorted(telling, key=lambda e: _FIRST.index(e["type"]) if e["type"] in _FIRST else 9)[0]
    if first["type"] == "union_tag_invalid":
        line = f"unknown op type {str(first.get('ctx', {}).get('tag'))[:40]!r}"
    elif first["type"] == "union_tag_not_found":
        line = "op has no type"
    elif worst["type"] == "string_pattern_mismatch":
        line = f"{_where(worst)}: contains a NUL or control character"
    elif missing and worst["type"] not in _FIRST:
        line = f"payload lacks {', '.join(missing)}"
    else:
        line = f"{_where(worst)}: {worst['msg']}"
    return "".join(c if c.isprintable() else "?" for c in line[:_REASON_CHARS])


def read_push(raw: bytes, max_ops: int) -> PushRequest:
    """The push in ``raw``, its malformed ops turned into rejections; NotAPush otherwise."""
    if json_values(raw) > MAX_PUSH_VALUES:
        raise NotAPush(
            413,
            "too_large",
            f"a push holds at most {MAX_PUSH_VALUES} JSON values: send fewer ops",
            [],
        )
    try:
        # Stops at the first op that does not fit (fail_fast): a hostile push costs a parse.
        request = PushRequest.model_validate_json(raw)
    except ValidationError as e:
        request = _salvage(raw, e)
    if b"\\u0000" in raw:  # JSON holds a NUL only escaped: without one, no key can hold it
        request = _nul_keys_rejected(request)
    if len(request.ops) > max_ops:
        raise NotAPush(413, "too_large", f"at most {max_ops} ops per push", [])
    return request


def _salvage(raw: bytes, error: ValidationError) -> PushRequest:
    """Keep the sound ops and turn each malformed one into an InvalidOp; refuse the push when
    its envelope (epoch, the ops list, an op's stream or seq) is broken.

    Op by op, in Python: between two ops the hub's other requests get their turn."""
    try:
        body = from_json(raw)
    except ValueError:  # not JSON at all: the first parse said where
        raise _refused(error) from None
    if not isinstance(body, dict) or not isinstance(body.get("ops"), list):
        raise _refused(error)
    try:
        envelope = _Envelope.model_validate({**body, "ops": []})  # the ops come one by one
    except ValidationError as e:
        raise _refused(e) from None
    items = body["ops"]
    if len(items) > MAX_OPS_PER_PUSH:
        raise NotAPush(413, "too_large", f"at most {MAX_OPS_PER_PUSH} ops per push", [])
    ops: list[WireOp] = []
    for i, item in enumerate(items):
        try:
            sound = _Sound.model_validate(item)
        except ValidationError as e:
            raise _refused(e, at=("ops", i)) from None
        try:
            ops.append(_ONE_OP.validate_python(item))
        except ValidationError as e:
            why = reason(_unwrapped(e.errors(include_url=False)))
            ops.append(
                invalid(sound.stream, sound.seq, why, item.get("type"), item.get("operator"))
            )
    # Built, not validated: InvalidOp stand-ins are no op model a client may send.
    return PushRequest.model_construct(epoch=envelope.epoch, ops=cast("list[Any]", ops))


def _nul_keys_rejected(request: PushRequest) -> PushRequest:
    """A payload key holding a NUL, at any depth, makes its op an InvalidOp: PostgreSQL's jsonb
    cannot store it. The models check values, and the keys of free JSON, but not the names of
    the extra fields a payload or one of its lines (a pack's, a count's) may carry."""
    ops: list[WireOp] = [
        invalid(op.stream, op.seq, "payload: a key contains a NUL character", op.type, op.operator)
        if _holds_nul_key(op.payload)
        else op
        for op in request.ops
    ]
    return PushRequest.model_construct(epoch=request.epoch, ops=cast("list[Any]", ops))


def _holds_nul_key(value: Any) -> bool:
    if isinstance(value, dict):
        return any("\x00" in key or _holds_nul_key(v) for key, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul_key(v) for v in value)
    return False


def _unwrapped(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """An op's errors without the union tag pydantic puts first in their location."""
    out: list[ErrorDetails] = []
    for e in errors:
        loc = e["loc"]
        out.append({**e, "loc": loc[1:] if loc and e["type"] != "union_tag_invalid" else loc})
    return out
