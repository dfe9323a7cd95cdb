"""What the hub's PostgreSQL can hold, as types the sync messages are built from.

Every number, string and list a client sends is bounded here, so a value the database would
refuse (a NUL, an integer past its column, a NaN, a time zone offset PostgreSQL does not know)
is refused while the request is validated, with a reason, never by the database halfway
through a write. The bounds show in the hub's OpenAPI.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias

from pydantic import AfterValidator, Field, StringConstraints
from typing_extensions import TypeAliasType

INT32_MAX = 2**31 - 1  # PostgreSQL integer
INT64_MAX = 2**63 - 1  # PostgreSQL bigint

# Codes (skus, bins, lots, pallets, numbers): printable, no control character at all.
CODE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# Free text: anything but NUL, which PostgreSQL text cannot store.
_TEXT = r"^[^\x00]*$"


def code(max_length: int, *, min_length: int = 0) -> StringConstraints:
    """A code of at most ``max_length`` printable characters (the column's width)."""
    return StringConstraints(min_length=min_length, max_length=max_length, pattern=CODE_PATTERN)


Sku = Annotated[str, code(40, min_length=1)]
Bin = Annotated[str, code(30, min_length=1)]
BinOrNone = Annotated[str, code(30)]  # '' when an op names no bin
LotCode = Annotated[str, code(40)]
ContainerCode = Annotated[str, code(20)]
Number = Annotated[str, code(40, min_length=1)]  # a document's or task's number
Status = Annotated[str, code(20)]
OperatorCode = Annotated[str, code(20)]
Text = Annotated[str, StringConstraints(max_length=1000, pattern=_TEXT)]
# A reason for the audit trail: something besides blanks, and nothing PostgreSQL refuses.
Why = Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")]
# A stream id is a UUID on terminals; anything else a client sends must at least be plain.
StreamId = Annotated[
    str, StringConstraints(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.:-]+$")
]

Seq = Annotated[int, Field(ge=1, le=INT64_MAX)]
Epoch = Annotated[int, Field(ge=1, le=INT32_MAX)]
# One movement of stock: summed into bigint columns, so no sum a client can send overflows.
Units = Annotated[int, Field(ge=-INT32_MAX, le=INT32_MAX)]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
Small = Annotated[int, Field(ge=-INT32_MAX, le=INT32_MAX)]

_LONGEST_OFFSET = timedelta(hours=15, minutes=59)  # PostgreSQL's widest time zone offset


def _offset_postgresql_holds(moment: datetime) -> datetime:
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > _LONGEST_OFFSET:
        raise ValueError("time zone offset beyond ±15:59")
    return moment


Moment = Annotated[datetime, AfterValidator(_offset_postgresql_holds)]


def _timestamp(value: str) -> str:
    _offset_postgresql_holds(datetime.fromisoformat(value))
    return value


def _day(value: str) -> str:
    date.fromisoformat(value)
    return value


# Kept as sent (the hub stores payloads verbatim), checked to be what PostgreSQL can parse.
TimestampText = Annotated[
    str,
    StringConstraints(max_length=40),
    AfterValidator(_timestamp),
    Field(json_schema_extra={"format": "date-time"}),
]
DateText = Annotated[
    str,
    StringConstraints(max_length=10),
    AfterValidator(_day),
    Field(json_schema_extra={"format": "date"}),
]

# Any other JSON a payload carries: finite numbers within bigint, bounded strings and lists.
_Key = Annotated[str, StringConstraints(max_length=100, pattern=_TEXT)]
_Scalar: TypeAlias = (
    bool
    | Annotated[int, Field(ge=-INT64_MAX, le=INT64_MAX)]
    | Annotated[float, Field(allow_inf_nan=False)]
    | Text
    | None
)
if TYPE_CHECKING:  # mypy cannot follow a recursive TypeAliasType; the code reads it as Any
    JsonValue: TypeAlias = Any
else:
    JsonValue = TypeAliasType(
        "JsonValue",
        _Scalar
        | Annotated[list["JsonValue"], Field(max_length=1000)]
        | Annotated[dict[_Key, "JsonValue"], Field(max_length=100)],
    )
