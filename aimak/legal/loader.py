"""Reading the legal-acts data files (data/legal-acts/*.jsonl) into plain records.

Pure parsing and validation: nothing here writes to the database. Every problem of a file
is collected, so one run reports all of them (and services.legal_acts_load saves nothing).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .models import ActStatus, ActType, LinkKind

DATA_DIR = Path(settings.BASE_DIR) / "data" / "legal-acts"
DEFAULT_FILES = [DATA_DIR / "acts.jsonl", DATA_DIR / "acts_metadata_only.jsonl"]

TYPES: dict[str, str] = {
    "закон": ActType.LAW,
    "кодекс": ActType.CODE,
    "закон (о внесении изменений)": ActType.AMENDING_LAW,
    "указ": ActType.DECREE,
    "постановление": ActType.GOVERNMENT_RESOLUTION,
    "приказ": ActType.ORDER,
    "приказ (руководство)": ActType.ORDER,
    "приказ (типовое положение)": ActType.ORDER,
    "токтом айылдык кеңеша (местный НПА)": ActType.COUNCIL_RESOLUTION,
    "токтом шаардык кеңеша (местный НПА)": ActType.COUNCIL_RESOLUTION,
    "регламент местного кенеша (местный НПА)": ActType.COUNCIL_RULES,
}
STATUSES: dict[str, str] = {
    "in force": ActStatus.IN_FORCE,
    "lapsed": ActStatus.LAPSED,
    "amended": ActStatus.AMENDED,
    "unknown": ActStatus.UNKNOWN,
}

# Issuing bodies: (key, names ky/ru/en, how the issuer field of the data begins).
BODIES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("jogorku-kenesh", "Кыргыз Республикасынын Жогорку Кеңеши",
     "Жогорку Кенеш Кыргызской Республики", "Jogorku Kenesh of the Kyrgyz Republic",
     ("Жогорку Кенеш",)),
    ("president", "Кыргыз Республикасынын Президенти", "Президент Кыргызской Республики",
     "President of the Kyrgyz Republic", ("Президент",)),
    ("government", "Кыргыз Республикасынын Өкмөтү", "Правительство Кыргызской Республики",
     "Government of the Kyrgyz Republic", ("Правительство",)),
    ("cabinet", "Кыргыз Республикасынын Министрлер Кабинети",
     "Кабинет Министров Кыргызской Республики", "Cabinet of Ministers of the Kyrgyz Republic",
     ("Кабинет Министров",)),
    ("minfin", "Кыргыз Республикасынын Финансы министрлиги",
     "Министерство финансов Кыргызской Республики", "Ministry of Finance of the Kyrgyz Republic",
     ("Министерство финансов",)),
    ("gamsumo", "Жергиликтүү өз алдынча башкаруу иштери жана этностор аралык мамилелер боюнча "
     "мамлекеттик агенттик (ГАМСУМО)",
     "Государственное агентство по делам местного самоуправления и межэтнических отношений "
     "(ГАМСУМО)",
     "State Agency for Local Self-Government and Interethnic Relations (GAMSUMO)",
     ("ГАМСУМО", "Государственное агентство по делам местного самоуправления")),
    ("bishkek-city-kenesh", "Бишкек шаардык кеңеши", "Бишкекский городской кенеш",
     "Bishkek City Kenesh", ("Бишкекский городской кенеш",)),
    ("kara-balta-city-kenesh", "Кара-Балта шаардык кеңеши", "Кара-Балтинский городской кенеш",
     "Kara-Balta Town Kenesh", ("Кара-Балтинский городской кенеш",)),
    ("min-bulak-ayil-kenesh", "Миң-Булак айылдык кеңеши", "Мин-Булакский айылный кенеш",
     "Min-Bulak Ayil Kenesh", ("Мин-Булакский айылный кенеш",)),
    ("bash-kayyndy-ayil-kenesh", "Баш-Кайыңды айылдык кеңеши", "Баш-Кайыңдинский айылный кенеш",
     "Bash-Kayyndy Ayil Kenesh", ("Баш-Кайыңдинский айылный кенеш",)),
)  # fmt: skip

# Links between acts, from the notes and replaced_by fields of acts.jsonl
# (source, kind, target): the source amends / is replaced by / is based on the target.
LINKS: tuple[tuple[str, str, str], ...] = (
    ("kr-law-2011-101", LinkKind.REPLACED_BY, "kr-law-2021-123"),
    ("kr-law-2012-149", LinkKind.AMENDS, "kr-law-2011-101"),
    ("kr-law-2013-59", LinkKind.AMENDS, "kr-law-2000-3"),
    ("kr-law-2013-59", LinkKind.AMENDS, "kr-law-2011-101"),
    ("kr-law-2013-144", LinkKind.AMENDS, "kr-law-2007-67"),
    ("kr-law-2018-21", LinkKind.AMENDS, "kr-law-2011-101"),
    ("kr-law-2018-69", LinkKind.AMENDS, "kr-budget-code-2016-59"),
    ("kr-law-2019-115", LinkKind.AMENDS, "kr-law-2011-101"),
    ("kr-gamsumo-order-2019-01-18-84", LinkKind.BASED_ON, "kr-law-2011-101"),
    ("kr-gov-res-2003-15", LinkKind.BASED_ON, "kr-law-2002-5"),
    ("kr-law-2003-215", LinkKind.REPLACED_BY, "kr-budget-code-2016-59"),
    ("kg-local-bishkek-2024-116", LinkKind.BASED_ON, "kr-law-2002-37"),
    ("kr-gov-res-2017-653", LinkKind.BASED_ON, "kr-budget-code-2016-59"),
)


class LegalActsFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems[:5]))
        self.problems = problems


@dataclass
class ActRecord:
    key: str
    act_type: str
    number: str
    date: datetime.date
    body: str
    title_ru: str
    title_ky: str
    text_ru: str
    text_ky: str
    status: str
    status_note: str
    partial: bool
    source_url: str
    note: str


@dataclass
class LegalActsData:
    acts: list[ActRecord] = field(default_factory=list)
    links: tuple[tuple[str, str, str], ...] = LINKS
    bodies: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = BODIES


def _body_for(issuer: str) -> str | None:
    for key, _ky, _ru, _en, prefixes in BODIES:
        if issuer.startswith(prefixes):
            return key
    return None


def _record(raw: dict, where: str, problems: list[str]) -> ActRecord | None:
    before = len(problems)
    key = str(raw.get("id") or "").strip()
    if not key:
        problems.append(f"{where}: no id")
    act_type = TYPES.get(str(raw.get("type")))
    if act_type is None:
        problems.append(f"{where}: unknown type {raw.get('type')!r}")
    status = STATUSES.get(str(raw.get("status")))
    if status is None:
        problems.append(f"{where}: unknown status {raw.get('status')!r}")
    body = _body_for(str(raw.get("issuer") or ""))
    if body is None:
        problems.append(f"{where}: unknown issuing body {raw.get('issuer')!r}")
    try:
        date = datetime.date.fromisoformat(str(raw.get("date")))
    except ValueError:
        problems.append(f"{where}: bad date {raw.get('date')!r}")
    number = str(raw.get("number") or "").strip()
    title_ru = (raw.get("title_ru") or "").strip()
    title_ky = (raw.get("title_ky") or "").strip()
    if not number:
        problems.append(f"{where}: no number")
    if not (title_ru or title_ky):
        problems.append(f"{where}: no title")
    if len(problems) > before:
        return None
    text_ru = (raw.get("text_ru") or "").strip()
    text_ky = (raw.get("text_ky") or "").strip()
    return ActRecord(
        key=key,
        act_type=str(act_type),
        number=number,
        date=date,
        body=str(body),
        title_ru=title_ru,
        title_ky=title_ky,
        text_ru=text_ru,
        text_ky=text_ky,
        status=str(status),
        status_note=(raw.get("replaced_by") or "").strip()[:500],
        # An act with no stored text is partial too: the official source has it.
        partial=bool(raw.get("partial", True)) or not (text_ru or text_ky),
        source_url=(raw.get("source_url") or raw.get("evidence_url") or "").strip(),
        note=(raw.get("notes") or "").strip(),
    )


def legal_acts_read(*, paths: list[Path]) -> LegalActsData:
    """Read and check the files; raise LegalActsFileError listing every problem."""
    problems: list[str] = []
    data = LegalActsData()
    seen: set[str] = set()
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: cannot be read ({exc})")
            continue
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path.name}, line {number}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc.msg})")
                continue
            if not isinstance(raw, dict):
                problems.append(f"{where}: not a JSON object")
                continue
            record = _record(raw, where, problems)
            if record is None:
                continue
            if record.key in seen:
                problems.append(f"{where}: id {record.key} appears twice")
                continue
            seen.add(record.key)
            data.acts.append(record)
    if problems:
        raise LegalActsFileError(problems)
    return data
