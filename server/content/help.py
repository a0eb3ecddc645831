"""Get help now: the crisis lines by country, in content/help/lines.yaml.

Pure logic: no Flask. The file is read and checked once, at start-up.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, HttpUrl

from .parsing import ContentError, Source, Strict, read_model


class Contact(Strict):
    """A way to reach a line: a number to call or text."""

    kind: Literal["call", "text"]
    label: str = Field(min_length=1)
    number: str = Field(pattern=r"^\+?[0-9][0-9 \-]*$")
    body: str | None = None

    @property
    def href(self) -> str:
        """The tel: or sms: link for this contact."""
        digits = re.sub(r"[ \-]", "", self.number)
        if self.kind == "call":
            return f"tel:{digits}"
        return f"sms:{digits}" + (f"?body={self.body}" if self.body else "")


class Line(Strict):
    """One helpline."""

    name: str = Field(min_length=1)
    purpose: Literal["crisis", "referral", "support"]
    description: str = Field(min_length=1)
    hours: str = Field(min_length=1)
    url: HttpUrl | None = None
    contacts: list[Contact] = Field(min_length=1)


class Country(Strict):
    """The help available in one country."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    emergency: str = Field(pattern=r"^[0-9]{3}$")
    emergency_alt: str | None = Field(default=None, pattern=r"^[0-9]{3}$")
    lines: list[Line] = Field(min_length=1)

    def first_crisis_contact(self, kind: str) -> Contact | None:
        """The first call (or text) contact of a crisis line: the card's button."""
        for line in self.lines:
            if line.purpose == "crisis":
                for contact in line.contacts:
                    if contact.kind == kind:
                        return contact
        return None

    @property
    def main_call(self) -> Contact | None:
        """The crisis line to call first."""
        return self.first_crisis_contact("call")

    @property
    def main_text(self) -> Contact | None:
        """The crisis line to text first."""
        return self.first_crisis_contact("text")


class Directory(Strict):
    """The international directory for everywhere else."""

    name: str = Field(min_length=1)
    url: HttpUrl
    description: str = Field(min_length=1)


class HelpLines(Strict):
    """content/help/lines.yaml."""

    reviewed: dt.date
    sources: list[Source] = Field(min_length=1)
    international: Directory
    countries: list[Country] = Field(min_length=1)

    def country(self, code: str) -> Country | None:
        """Return the country with this ISO code, if listed."""
        return next((c for c in self.countries if c.code == code.upper()), None)


def load_help(path: Path) -> HelpLines:
    """Read and validate the crisis lines file."""
    lines = read_model(path, HelpLines, missing="the crisis lines file is missing")
    codes = [c.code for c in lines.countries]
    if len(set(codes)) != len(codes):
        raise ContentError(path, "a country is listed twice")
    for country in lines.countries:
        if not any(line.purpose == "crisis" for line in country.lines):
            raise ContentError(path, f"{country.code} has no crisis line")
    return lines
