"""`wms hub migrate` brings a configured hub database to this release's schema; every other
hub command, `wms hub serve` first, refuses a database at another revision and says why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from wms.cli import app
from wms.hub.db import alembic_config, head_revision, sqlalchemy_url

runner = CliRunner()


@pytest.fixture
def empty_db(pg_server: str) -> Iterator[str]:
    """A database nothing was ever migrated into."""
    admin = create_engine(sqlalchemy_url(pg_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS hub_empty"))
        conn.execute(text("CREATE DATABASE hub_empty"))
    yield make_url(sqlalchemy_url(pg_server)).set(database="hub_empty").render_as_string(False)
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE hub_empty WITH (FORCE)"))
    admin.dispose()


def _hub(args: list[str], url: str) -> tuple[int, str]:
    result = runner.invoke(app, ["hub", *args], env={"WMS_HUB_DATABASE_URL": url})
    return result.exit_code, result.output


def _stamp(url: str, revision: str) -> None:
    engine = create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_migrate_says_from_which_revision_to_which(empty_db: str) -> None:
    head = head_revision()
    assert _hub(["migrate"], empty_db) == (
        0,
        f"Hub database migrated from revision none (empty) to {head}\n",
    )
    assert _hub(["migrate"], empty_db) == (0, f"Hub database already at revision {head}\n")
    code, output = _hub(["devices"], empty_db)  # usable now
    assert code == 0, output


def test_an_older_database_is_refused_until_migrated(hub_db: str) -> None:
    command.downgrade(alembic_config(hub_db), "0002")
    for args in (["serve"], ["devices"]):
        code, output = _hub(args, hub_db)
        assert code == 1
        assert "at schema revision 0002" in output
        assert "run `wms hub migrate` first" in output
    code, output = _hub(["migrate"], hub_db)
    assert (code, output) == (0, f"Hub database migrated from revision 0002 to {head_revision()}\n")
    code, output = _hub(["enroll", "--warehouse", "DEMO"], hub_db)
    assert code == 0, output
    assert "code" in output


def test_a_database_migrated_by_a_newer_wms_is_left_alone(hub_db: str) -> None:
    _stamp(hub_db, "9999")
    code, output = _hub(["migrate"], hub_db)
    assert code == 1
    assert "Not migrated" in output
    assert "revision 9999, newer than this wms" in output
    code, output = _hub(["serve"], hub_db)
    assert code == 1
    assert "newer than this wms" in output
    engine = create_engine(sqlalchemy_url(hub_db))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999"
    engine.dispose()


def test_rows_of_the_shared_schema_move_to_their_warehouse(hub_db: str) -> None:
    """0005 keys everything by warehouse: operators (once every warehouse's) are copied to
    each, a pallet goes with its bin, a received op with its device."""
    command.downgrade(alembic_config(hub_db), "0004")
    engine = create_engine(sqlalchemy_url(hub_db))
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO warehouse VALUES ('HKG', 'Hong Kong')"))
        conn.execute(
            text(
                "INSERT INTO location (code, warehouse, zone, aisle, type)"
                " VALUES ('HK-01', 'HKG', 'H', '01', 'storage')"
            )
        )
        conn.execute(text("INSERT INTO container VALUES ('LPN-HK-1', 'lpn', 'HK-01')"))
        device = conn.execute(
            text("INSERT INTO device (warehouse) VALUES ('HKG') RETURNING id")
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO received_op (stream_id, seq, device, type) VALUES ('s', 1, :d, 'pick')"
            ),
            {"d": device},
        )
        operators = conn.execute(text("SELECT count(*) FROM operator")).scalar_one()
    assert _hub(["migrate"], hub_db) == (
        0,
        f"Hub database migrated from revision 0004 to {head_revision()}\n",
    )
    with engine.connect() as conn:
        per_warehouse = dict(
            conn.execute(text("SELECT warehouse, count(*) FROM operator GROUP BY 1")).all()
        )
        assert per_warehouse == {"DEMO": operators, "HKG": operators}
        feed = dict(
            conn.execute(
                text("SELECT warehouse, count(*) FROM change WHERE kind = 'operator' GROUP BY 1")
            ).all()
        )
        assert feed == {"DEMO": operators, "HKG": operators}
        assert (
            conn.execute(
                text("SELECT warehouse FROM container WHERE code = 'LPN-HK-1'")
            ).scalar_one()
            == "HKG"
        )
        assert conn.execute(text("SELECT warehouse FROM received_op")).scalar_one() == "HKG"
    engine.dispose()


def test_cheaper_pin_hashes_are_strengthened_and_republished(hub_db: str) -> None:
    import hashlib

    from wms.services.auth import verify_pin

    command.downgrade(alembic_config(hub_db), "0008")
    salt = bytes(16)
    cheap = hashlib.scrypt(b"1234", salt=salt, n=2**14, r=8, p=1).hex()
    engine = create_engine(sqlalchemy_url(hub_db))
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE operator SET pin_hash = :h WHERE code = '1001'"),
            {"h": f"scrypt$16384$8$1${salt.hex()}${cheap}"},
        )
        before = conn.execute(text("SELECT max(pos) FROM change")).scalar_one()
    assert _hub(["migrate"], hub_db)[0] == 0
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT pin_hash FROM operator WHERE code = '1001'")).scalar()
        published = conn.execute(
            text("SELECT pos, body FROM change WHERE kind = 'operator' AND key = '1001'")
        ).one()
    engine.dispose()
    assert stored.startswith("scrypt-wrapped$16384$")
    assert verify_pin("1234", stored)
    assert (published.pos > before, published.body["pin_hash"]) == (True, stored)
