#!/usr/bin/env python3
"""A seeded national dataset for the benchmarks: the whole of England (and Wales) at once.

* ``gias.csv``: about 50,000 establishments as GIAS publishes them (the real header, from
  tests/schools/data/gias_sample.csv; Windows-1252; CRLF), with a realistic mix of statuses,
  types, LA codes, Welsh establishments, academy trusts and federations;
* ``questionnaire.csv``: one audit round of 60 questions, a quarter of them Prevent questions;
* ``responses.csv``: the survey tool's export for the ~24,000 open state-funded schools in
  England, ~23,000 rows of 60 answers (~1.4 million), trust returns covering several schools;
* referrals (``referrals()``): ~90,000 over ten years, as rows for ``casework`` (see
  bench_stats.py), never as a file.

The same seed gives the same files. ``--scale 0.1`` gives a tenth of everything.

    python bench/national.py --out /tmp/national --scale 1
"""

from __future__ import annotations

import argparse
import csv
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "schools" / "data" / "gias_sample.csv"
SEED = 2026
ESTABLISHMENTS = 50_000
QUESTIONS = 60
REFERRALS = 90_000

# English LA codes (201 to 938, about 150 of them) and the 22 Welsh unitary authorities.
ENGLISH_LAS = [201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213]
ENGLISH_LAS += list(range(301, 321)) + list(range(330, 345)) + list(range(350, 360))
ENGLISH_LAS += list(range(370, 395)) + list(range(800, 826)) + list(range(830, 896))
ENGLISH_LAS += list(range(908, 939))
WELSH_LAS = list(range(660, 682))
# (type name, type group name, type code, group code, share of establishments)
TYPES = [
    ("Community school", "Local authority maintained schools", "1", "4", 0.22),
    ("Voluntary aided school", "Local authority maintained schools", "2", "4", 0.07),
    ("Voluntary controlled school", "Local authority maintained schools", "3", "4", 0.05),
    ("Foundation school", "Local authority maintained schools", "5", "4", 0.03),
    ("Academy converter", "Academies", "28", "10", 0.20),
    ("Academy sponsor led", "Academies", "27", "10", 0.06),
    ("Free schools", "Free Schools", "35", "11", 0.02),
    ("Community special school", "Special schools", "7", "5", 0.02),
    ("Pupil referral unit", "Local authority maintained schools", "14", "4", 0.01),
    ("Other independent school", "Independent schools", "11", "3", 0.10),
    ("Further education", "Colleges", "18", "1", 0.02),
    ("Higher education institutions", "Universities", "29", "2", 0.01),
    ("Children's centre", "Children's centres", "44", "9", 0.06),
    ("Welsh establishment", "Welsh schools", "30", "6", 0.05),
    ("Online provider", "Online provider", "49", "13", 0.01),
    ("Other types", "Other types", "56", "8", 0.07),
]
NOT_SCHOOLS = {
    "Universities",
    "Children's centres",
    "Other types",
    "Welsh schools",
    "Online provider",
}
STATE_FUNDED = {
    "Local authority maintained schools",
    "Academies",
    "Free Schools",
    "Special schools",
}
PHASES = [("2", "Primary", 0.70), ("4", "Secondary", 0.17), ("0", "Not applicable", 0.05)]
PHASES += [("7", "All-through", 0.03), ("1", "Nursery", 0.05)]
# EstablishmentStatus: 1 open, 2 closed, 3 open but proposed to close, 4 proposed to open.
STATUSES = [("1", "Open", 0.68), ("2", "Closed", 0.30), ("3", "Open, but proposed to close", 0.01)]
STATUSES += [("4", "Proposed to open", 0.01)]
PLACES = [
    "Oakridge", "Brookfield", "Hillside", "Meadowbank", "Ashcombe", "Fernlea", "Highgrove",
    "Millbrook", "Westwood", "Elmhurst", "Kingsmead", "Larkfield", "Riverside", "Thornbury",
    "Willowdene", "Beechcroft", "Chasewood", "Foxhollow", "Greenacres", "Hawthorn",
]  # fmt: skip
KINDS = ["Primary School", "Academy", "High School", "Church of England Primary School"]
KINDS += ["Infant School", "Junior School", "Community College", "Special School"]
SAINTS = ["St Mary’s", "St John’s", "St Peter’s", "St Chad’s", "Holy Trinity", "Ysgol"]
# Answers by scale, in order from best to worst, with how often each is given.
SCALES = {
    "yes_no": (["Yes", "No"], [0.92, 0.08]),
    "yes_no_partly": (["Yes", "Partly", "No"], [0.85, 0.12, 0.03]),
    "met_partly_not": (["Met", "Partly met", "Not met"], [0.85, 0.12, 0.03]),
    "one_to_four": (["1", "2", "3", "4"], [0.55, 0.3, 0.1, 0.05]),
}


def weighted(rng: random.Random, choices: list[tuple]) -> tuple:
    return rng.choices(choices, weights=[choice[-1] for choice in choices])[0]


def gias_header() -> list[str]:
    with SAMPLE.open(encoding="cp1252", newline="") as handle:
        return next(csv.reader(handle))


@dataclass(frozen=True)
class School:
    urn: int
    la_code: str
    trust: str  # "" outside a trust
    in_scope: bool  # open, state-funded, in England: in the national audit round


def establishments(scale: float, seed: int = SEED) -> Iterator[tuple[dict[str, str], School]]:
    """Each establishment as a GIAS row (by column name), and what the audit needs of it."""
    rng = random.Random(seed)
    count = max(int(ESTABLISHMENTS * scale), 20)
    trusts = max(int(2_600 * scale), 3)
    federations = max(int(900 * scale), 2)
    for number in range(count):
        urn = 100_000 + number
        type_name, group, type_code, group_code, _ = weighted(rng, TYPES)
        welsh = group == "Welsh schools"
        la = rng.choice(WELSH_LAS if welsh else ENGLISH_LAS)
        status_code, status_name, _ = weighted(rng, STATUSES)
        phase_code, phase, _ = weighted(rng, PHASES)
        trust_code = trust_name = ""
        if group in ("Academies", "Free Schools") or (group == "Special schools" and number % 3):
            if rng.random() < 0.8:  # the rest are single-academy trusts, as GIAS shows them
                which = rng.randrange(trusts)
                trust_code = str(10_000 + which)
                trust_name = f"{PLACES[which % len(PLACES)]} Learning Trust {which}"
        federation_code = federation_name = ""
        if group == "Local authority maintained schools" and rng.random() < 0.05:
            which = rng.randrange(federations)
            federation_code, federation_name = str(5_000 + which), f"Federation {which}"
        name = f"{rng.choice(SAINTS + PLACES)} {rng.choice(KINDS)} {number}"
        opened = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(26_000))
        closed = ""
        if status_code == "2":
            closed = (opened + datetime.timedelta(days=rng.randrange(1, 9_000))).strftime(
                "%d-%m-%Y"
            )
        row = {
            "URN": str(urn),
            "LA (code)": str(la),
            "LA (name)": f"Authority {la}",
            "EstablishmentNumber": str(1000 + number % 9000),
            "EstablishmentName": name,
            "TypeOfEstablishment (code)": type_code,
            "TypeOfEstablishment (name)": type_name,
            "EstablishmentTypeGroup (code)": group_code,
            "EstablishmentTypeGroup (name)": group,
            "EstablishmentStatus (code)": status_code,
            "EstablishmentStatus (name)": status_name,
            "OpenDate": opened.strftime("%d-%m-%Y") if rng.random() < 0.6 else "",
            "CloseDate": closed,
            "PhaseOfEducation (code)": phase_code,
            "PhaseOfEducation (name)": phase,
            "NumberOfPupils": str(rng.randint(20, 1800)) if rng.random() < 0.9 else "",
            "TrustSchoolFlag (name)": "Supported by a multi-academy trust" if trust_code else "",
            "Trusts (code)": trust_code,
            "Trusts (name)": trust_name,
            "FederationFlag (name)": "Supported by a federation" if federation_code else "",
            "Federations (code)": federation_code,
            "Federations (name)": federation_name,
            "Postcode": f"{'CF' if welsh else 'ST'}{rng.randint(1, 99)} {rng.randint(1, 9)}AB",
            "DistrictAdministrative (code)": f"{'W' if welsh else 'E'}0{rng.randint(6, 8)}000{la}",
            "GOR (name)": "Wales (pseudo)" if welsh else "West Midlands",
            "Country (name)": "Wales" if welsh else "United Kingdom",
            "Town": PLACES[number % len(PLACES)],
        }
        in_scope = (
            not welsh
            and group in STATE_FUNDED
            and status_code in ("1", "3")
            and group not in NOT_SCHOOLS
        )
        yield row, School(urn, str(la), trust_code, in_scope)


def write_gias(path: Path, scale: float, seed: int = SEED) -> list[School]:
    """The GIAS extract; returns every establishment's URN, LA, trust and whether in scope."""
    header = gias_header()
    schools = []
    with path.open("w", encoding="cp1252", newline="", errors="replace") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="", lineterminator="\r\n")
        writer.writeheader()
        for row, school in establishments(scale, seed):
            writer.writerow(row)
            schools.append(school)
    return schools


def questionnaire(questions: int = QUESTIONS) -> list[dict[str, str]]:
    """A round of ``questions`` questions: sections of ten, the last quarter Prevent."""
    rng = random.Random(SEED)
    rows = []
    prevent_from = questions - questions // 4
    for number in range(1, questions + 1):
        prevent = number > prevent_from
        scale = rng.choice(list(SCALES)) if number % 10 else ("number" if number % 20 else "text")
        requirement = scale in SCALES and number % 4 != 0
        rows.append(
            {
                "code": f"{'P' if prevent else 'Q'}{number}",
                "section": "Prevent" if prevent else f"Section {1 + (number - 1) // 10}",
                "text": f"Question {number}: the school has done what it should.",
                "scale": scale,
                "prevent": "yes" if prevent else "no",
                "requirement": "yes" if requirement else "no",
                "required": "yes" if scale != "text" else "no",
                "suggested_action": f"Do what question {number} asks.",
            }
        )
    return rows


def write_questionnaire(path: Path) -> list[dict[str, str]]:
    rows = questionnaire()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows


def write_responses(
    path: Path, schools: list[School], questions: list[dict[str, str]], seed: int = SEED
) -> dict[str, int]:
    """The survey export for the schools in scope: most answer for themselves, some trusts send
    one return for several of their schools (Covers), and about one school in twenty-five does
    not answer. Returns the counts written."""
    rng = random.Random(seed + 1)
    in_scope = [school for school in schools if school.in_scope]
    covered: set[int] = set()
    covers_of: dict[int, list[int]] = {}
    by_trust: dict[str, list[School]] = {}
    for school in in_scope:
        if school.trust:
            by_trust.setdefault(school.trust, []).append(school)
    for members in by_trust.values():
        if len(members) >= 3 and rng.random() < 0.1:  # a trust return for its schools
            lead, *others = members
            covers_of[lead.urn] = [other.urn for other in others]
            covered.update(covers_of[lead.urn])
    codes = [question["code"] for question in questions]
    scales = [question["scale"] for question in questions]
    counts = {"rows": 0, "answers": 0, "covered": 0}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(["URN", "Submitted", "Covers", *codes])
        for school in in_scope:
            if school.urn in covered or rng.random() < 0.04:
                continue
            day = datetime.date(2026, 10, 1) + datetime.timedelta(days=rng.randrange(60))
            answers = []
            # Most schools meet nearly everything; one in five falls short here and there.
            shortfall = 0.1 if rng.random() < 0.2 else 0.01
            for scale in scales:
                if scale in SCALES:
                    labels, _ = SCALES[scale]
                    short = rng.random() < shortfall
                    answers.append(rng.choice(labels[1:]) if short else labels[0])
                elif scale == "number":
                    answers.append(str(rng.randint(0, 90)))
                else:
                    answers.append("We have done this." if rng.random() < 0.3 else "")
            covers = covers_of.get(school.urn, [])
            writer.writerow(
                [school.urn, day.strftime("%d/%m/%Y"), ";".join(map(str, covers)), *answers]
            )
            counts["rows"] += 1
            counts["answers"] += sum(1 for answer in answers if answer)
            counts["covered"] += len(covers)
    return counts


@dataclass(frozen=True)
class NationalFiles:
    gias: Path
    questionnaire: Path
    responses: Path
    schools: list[School]
    responses_written: dict[str, int]

    @property
    def in_scope(self) -> list[int]:
        return [school.urn for school in self.schools if school.in_scope]

    @property
    def la_codes(self) -> list[str]:
        return sorted({school.la_code for school in self.schools})


def generate(out: Path, scale: float = 1.0, seed: int = SEED) -> NationalFiles:
    out.mkdir(parents=True, exist_ok=True)
    gias, questions_path, responses = (
        out / "gias.csv",
        out / "questionnaire.csv",
        out / "responses.csv",
    )
    schools = write_gias(gias, scale, seed)
    questions = write_questionnaire(questions_path)
    written = write_responses(responses, schools, questions, seed)
    return NationalFiles(gias, questions_path, responses, schools, written)


def referral_dates(scale: float, today: datetime.date, seed: int = SEED) -> Iterator[datetime.date]:
    """When each of ~90,000 referrals over the ten years to ``today`` was received."""
    rng = random.Random(seed + 2)
    for _ in range(max(int(REFERRALS * scale), 10)):
        yield today - datetime.timedelta(days=rng.randrange(3_652))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    files = generate(args.out, args.scale, args.seed)
    print(
        f"{len(files.schools)} establishments ({len(files.in_scope)} in the audit's scope), "
        f"{files.responses_written['rows']} responses with {files.responses_written['answers']} "
        f"answers, covering {files.responses_written['covered']} more schools, in {args.out}"
    )
    for path in (files.gias, files.questionnaire, files.responses):
        print(f"  {path.name}: {path.stat().st_size / 1_000_000:.1f} MB")


if __name__ == "__main__":
    main()
