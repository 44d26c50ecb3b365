"""Referral tallies, kept by the database (``ReferralTally``).

Triggers on ``casework_referral`` keep, for each quarter and each pair of the statistics'
dimensions, how many referrals fall in each pair of categories and the sum of their record keys.
They fire on every insert, on every update of a counted column and on every delete, whoever
writes the row (a service, ``bulk_create``, a data migration), so the tallies are always the
referrals' own. The SQL is written here, not imported, so that this migration stays what it was
when it ran; ``tests/casework/test_tallies.py`` checks that ``casework.stats`` reads the values
as they are written here.

On PostgreSQL the trigger first takes the audit chain's advisory lock (``core.audit``'s
``CHAIN_LOCK_KEY``). Every change of a referral is audited, so its transaction takes that lock
anyway; taken before any tally is touched, no two transactions can ever hold tallies the other
waits for (one moving a referral from category A to B, another from B to A), which would be a
deadlock. SQLite serialises writers already (every transaction begins IMMEDIATE).
"""

from itertools import combinations

from django.db import migrations, models

TABLE = "casework_referraltally"
CHAIN_LOCK_KEY = 0x5052_4556

# The lowest age of each of the Home Office's bands (casework.stats.HOME_OFFICE_BANDS).
BAND_LOWS = (0, 11, 16, 18, 21, 31, 41)

# Columns whose change moves a referral between tallies.
COUNTED = (
    "received_on",
    "age_at_referral",
    "gender",
    "district_id",
    "concern_type_id",
    "referrer_sector",
    "route",
    "discussed_on",
    "adopted_on",
    "consent_refused_on",
    "exited_on",
    "reviews_completed",
    "record_key",
)


def _flag(test: str) -> str:
    return f"CASE WHEN {test} THEN '1' ELSE '0' END"


def values(row: str) -> dict[str, str]:
    """Each dimension's value for a row (``NEW.``, ``OLD.`` or a bare column), as text."""
    ages = " ".join(
        f"WHEN {row}age_at_referral >= {low} THEN '{low}'" for low in sorted(BAND_LOWS)[::-1]
    )
    return {
        "age_band": f"CASE WHEN {row}age_at_referral IS NULL THEN '' {ages} ELSE '' END",
        "concern": f"CAST({row}concern_type_id AS TEXT)",
        "district": f"COALESCE(CAST({row}district_id AS TEXT), '')",
        "gender": f"{row}gender",
        "outcome": " || ".join(
            (
                f"{row}route",
                "':'",
                _flag(f"{row}discussed_on IS NOT NULL"),
                _flag(f"{row}adopted_on IS NOT NULL"),
                _flag(f"{row}consent_refused_on IS NOT NULL"),
                _flag(f"{row}exited_on IS NOT NULL"),
                _flag(f"{row}reviews_completed >= 2"),
            )
        ),
        "sector": f"{row}referrer_sector",
    }


PAIRS = tuple(combinations(sorted(values("")), 2))


def quarter(vendor: str, row: str) -> str:
    """The first day of the calendar quarter a row was received in."""
    if vendor == "postgresql":
        return f"CAST(date_trunc('quarter', {row}received_on) AS DATE)"
    return (
        f"date({row}received_on, 'start of month', '-' || "
        f"((CAST(strftime('%m', {row}received_on) AS INTEGER) - 1) % 3) || ' months')"
    )


def _keys(row: str) -> str:
    found = values(row)
    return ", ".join(f"('{a}+{b}', {found[a]}, {found[b]})" for a, b in PAIRS)


def added(vendor: str, row: str) -> str:
    rows = ", ".join(
        f"({quarter(vendor, row)}, '{a}+{b}', {values(row)[a]}, {values(row)[b]}, 1, "
        f"{row}record_key)"
        for a, b in PAIRS
    )
    return (
        f"INSERT INTO {TABLE} (quarter, dimensions, first_value, second_value, referrals, "
        f"key_sum) VALUES {rows} ON CONFLICT (quarter, dimensions, first_value, second_value) "
        f"DO UPDATE SET referrals = {TABLE}.referrals + 1, "
        f"key_sum = {TABLE}.key_sum + excluded.key_sum;"
    )


def taken_away(vendor: str, row: str) -> str:
    where = (
        f"quarter = {quarter(vendor, row)} "
        f"AND (dimensions, first_value, second_value) IN (VALUES {_keys(row)})"
    )
    return (
        f"UPDATE {TABLE} SET referrals = referrals - 1, key_sum = key_sum - {row}record_key "
        f"WHERE {where}; DELETE FROM {TABLE} WHERE referrals = 0 AND {where};"
    )


def backfill(vendor: str) -> list[str]:
    found = values("")
    return [
        f"INSERT INTO {TABLE} (quarter, dimensions, first_value, second_value, referrals, "
        f"key_sum) SELECT {quarter(vendor, '')}, '{a}+{b}', {found[a]}, {found[b]}, COUNT(*), "
        f"SUM(record_key) FROM casework_referral GROUP BY 1, 3, 4"
        for a, b in PAIRS
    ]


def changed(old: str, new: str, vendor: str) -> str:
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"{old}{column} {differs} {new}{column}" for column in COUNTED)


def triggers(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""CREATE FUNCTION casework_referral_tally() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY});
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {taken_away(vendor, "OLD.")}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {added(vendor, "NEW.")}
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
            "CREATE TRIGGER casework_referral_tallied AFTER INSERT OR DELETE ON casework_referral "
            "FOR EACH ROW EXECUTE FUNCTION casework_referral_tally()",
            "CREATE TRIGGER casework_referral_tallied_again AFTER UPDATE ON casework_referral "
            f"FOR EACH ROW WHEN ({changed('OLD.', 'NEW.', vendor)}) "
            "EXECUTE FUNCTION casework_referral_tally()",
        ]
    return [
        "CREATE TRIGGER casework_referral_tallied AFTER INSERT ON casework_referral "
        f"BEGIN {added(vendor, 'NEW.')} END",
        "CREATE TRIGGER casework_referral_tallied_again AFTER UPDATE ON casework_referral "
        f"WHEN {changed('OLD.', 'NEW.', vendor)} "
        f"BEGIN {taken_away(vendor, 'OLD.')} {added(vendor, 'NEW.')} END",
        "CREATE TRIGGER casework_referral_untallied AFTER DELETE ON casework_referral "
        f"BEGIN {taken_away(vendor, 'OLD.')} END",
    ]


DROP = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS casework_referral_tallied ON casework_referral",
        "DROP TRIGGER IF EXISTS casework_referral_tallied_again ON casework_referral",
        "DROP FUNCTION IF EXISTS casework_referral_tally()",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS casework_referral_tallied",
        "DROP TRIGGER IF EXISTS casework_referral_tallied_again",
        "DROP TRIGGER IF EXISTS casework_referral_untallied",
    ],
}


def keep_tallies(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [*backfill(vendor), *triggers(vendor)]:
        schema_editor.execute(statement, params=None)


def stop_keeping_tallies(apps, schema_editor):
    for statement in DROP[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0008_indexes_covered_by_others")]

    operations = [
        migrations.CreateModel(
            name="ReferralTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quarter", models.DateField()),
                ("dimensions", models.CharField(max_length=40)),
                ("first_value", models.CharField(max_length=40)),
                ("second_value", models.CharField(max_length=40)),
                ("referrals", models.IntegerField()),
                ("key_sum", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("quarter", "dimensions", "first_value", "second_value"),
                        name="casework_referral_tally_key",
                    )
                ],
            },
        ),
        migrations.RunPython(keep_tallies, stop_keeping_tallies),
    ]
