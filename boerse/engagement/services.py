"""What the "Mein Engagement" page shows in one call: the record, progress and certificates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.engagement.certificates import CertificateData, certificates_of
from boerse.engagement.progress import WindowProgress, progress
from boerse.engagement.record import EngagementRecord, engagement_record
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.settings import get_settings


def today() -> dt.date:
    """The town's date: a report or a period ends "today" in Europe/Berlin, not in UTC."""
    return local(utcnow()).date()


@dataclass(frozen=True)
class Overview:
    record: EngagementRecord
    progress: tuple[WindowProgress, ...]
    certificates: tuple[CertificateData, ...]
    today: dt.date

    @property
    def has_last_year(self) -> bool:
        return any(entry.last_day.year == self.today.year - 1 for entry in self.record.entries)


async def overview(user_id: int) -> Overview:
    """Three queries: attended dates, reports, certificates."""
    day = today()
    record = await engagement_record(user_id)
    dated = [(entry.last_day, entry.hours) for entry in record.entries]
    return Overview(
        record=record,
        progress=progress(get_settings(), day, dated),
        certificates=tuple(await certificates_of(user_id)),
        today=day,
    )
