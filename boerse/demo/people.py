"""Fictional residents of the region, drawn from a seeded generator so every load is the same.

Names come from our own lists (no faker); homes are real postcodes of the Leipzig region with
the gazetteer's coarse coordinates rounded to two decimals, as the profile form would keep them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from boerse.lib.geo import place_of_postcode
from boerse.profiles.taxonomy import CURATED_SKILLS, FIELDS_OF_ACTION, TIME_WINDOWS

RESIDENT_DOMAIN = "post.example"

# (first names, languages spoken besides German with their probability)
NAME_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, float], ...]], ...] = (
    (
        (
            "Anna",
            "Lena",
            "Laura",
            "Julia",
            "Sarah",
            "Katharina",
            "Monika",
            "Petra",
            "Sabine",
            "Ursula",
            "Renate",
            "Brigitte",
            "Karin",
            "Heike",
            "Andrea",
            "Claudia",
            "Nicole",
            "Stefanie",
            "Jana",
            "Franziska",
            "Marie",
            "Sophie",
            "Emma",
            "Mia",
            "Hannah",
            "Lea",
            "Ines",
            "Doreen",
            "Kerstin",
            "Gisela",
            "Ingrid",
            "Christine",
            "Birgit",
            "Susanne",
        ),
        (
            "Thomas",
            "Michael",
            "Andreas",
            "Stefan",
            "Frank",
            "Jörg",
            "Uwe",
            "Matthias",
            "Christian",
            "Daniel",
            "Tobias",
            "Sebastian",
            "Florian",
            "Jan",
            "Lukas",
            "Felix",
            "Paul",
            "Jonas",
            "Leon",
            "Max",
            "Klaus",
            "Dieter",
            "Wolfgang",
            "Peter",
            "Rainer",
            "Holger",
            "Steffen",
            "Ronny",
            "Martin",
            "Tim",
            "Niklas",
            "Erik",
        ),
        (
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Meyer",
            "Weber",
            "Wagner",
            "Becker",
            "Schulz",
            "Hoffmann",
            "Koch",
            "Richter",
            "Klein",
            "Wolf",
            "Schröder",
            "Neumann",
            "Schwarz",
            "Zimmermann",
            "Braun",
            "Krüger",
            "Hofmann",
            "Hartmann",
            "Lange",
            "Werner",
            "Krause",
            "Lehmann",
            "Köhler",
            "Herrmann",
            "Walter",
            "König",
            "Mayer",
            "Huber",
            "Kaiser",
            "Fuchs",
            "Peters",
            "Lang",
            "Scholz",
            "Möller",
            "Weiß",
            "Jung",
            "Hahn",
            "Vogel",
            "Friedrich",
            "Keller",
            "Günther",
            "Frank",
            "Berger",
            "Winkler",
            "Roth",
            "Beck",
            "Lorenz",
            "Baumann",
            "Franke",
            "Albrecht",
            "Ludwig",
            "Böhm",
            "Seidel",
        ),
        (("en", 0.35), ("fr", 0.05), ("es", 0.04), ("ru", 0.05), ("ls", 0.02), ("dgs", 0.01)),
    ),
    (
        ("Ayşe", "Elif", "Zeynep", "Fatma", "Merve", "Emine"),
        ("Mehmet", "Mustafa", "Emre", "Can", "Yusuf", "Murat"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan", "Doğan"),
        (("tr", 0.9), ("en", 0.4)),
    ),
    (
        ("Olena", "Iryna", "Natalia", "Tetiana", "Oksana"),
        ("Andrii", "Oleksandr", "Dmytro", "Serhii", "Mykola"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Melnyk", "Tkachenko", "Kravchenko"),
        (("uk", 0.95), ("ru", 0.6), ("en", 0.3)),
    ),
    (
        ("Fatima", "Amira", "Layla", "Nour", "Rania"),
        ("Ahmad", "Omar", "Khaled", "Samir", "Yousef"),
        ("Al-Hassan", "Haddad", "Khalil", "Nasser", "Saleh", "Mansour"),
        (("ar", 0.95), ("en", 0.45), ("fr", 0.1)),
    ),
    (
        ("Svetlana", "Tatjana", "Jelena", "Irina"),
        ("Alexander", "Dmitri", "Sergej", "Viktor"),
        ("Becker", "Schäfer", "Iwanow", "Petrow", "Wolkow"),
        (("ru", 0.9), ("en", 0.2)),
    ),
    (
        ("Agnieszka", "Katarzyna", "Magdalena"),
        ("Piotr", "Tomasz", "Krzysztof"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik"),
        (("pl", 0.95), ("en", 0.4)),
    ),
    (
        ("Maryam", "Shirin", "Parisa"),
        ("Reza", "Ali", "Hamid"),
        ("Ahmadi", "Hosseini", "Karimi", "Rahimi"),
        (("fa", 0.95), ("en", 0.5)),
    ),
)
GROUP_WEIGHTS = (0.74, 0.07, 0.06, 0.05, 0.04, 0.02, 0.02)

TOWN_POSTCODES = ("04177", "04178", "04179")
CITY_POSTCODES = (
    "04103",
    "04105",
    "04107",
    "04109",
    "04129",
    "04155",
    "04157",
    "04159",
    "04205",
    "04207",
    "04209",
    "04229",
    "04249",
    "04275",
    "04277",
    "04279",
    "04289",
    "04299",
    "04315",
    "04317",
    "04318",
    "04328",
    "04347",
    "04356",
)
REGION_POSTCODES = (
    "04416",
    "04420",
    "04425",
    "04435",
    "04442",
    "04451",
    "04463",
    "04509",
    "04519",
    "04552",
    "04564",
    "04571",
    "04668",
    "04683",
    "04821",
    "04827",
)
TRAVEL_RADII = (3, 5, 5, 10, 10, 10, 15, 20, 30)
HOURS_PER_MONTH = (2, 4, 4, 6, 8, 8, 10, 12, 16, 20)

_TRANSLITERATION = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ı": "i",
        "ş": "s",
        "ç": "c",
        "ğ": "g",
        "ś": "s",
        "ń": "n",
        "ó": "o",
        "-": "",
        " ": "",
    }
)


@dataclass
class Resident:
    first_name: str
    last_name: str
    email: str
    postcode: str
    locality: str
    latitude: float
    longitude: float
    birth_year: int
    travel_radius_km: int
    hours_per_month: int
    time_windows: list[str]
    languages: list[str]
    skills: list[str]
    interests: list[str]
    contact_ok: bool
    verified: bool = True

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def email_local_part(first: str, last: str) -> str:
    return f"{first}.{last}".lower().translate(_TRANSLITERATION)


def home(postcode: str) -> tuple[str, float, float]:
    """Locality and coarse coordinates as the profile form stores them."""
    place = place_of_postcode(postcode)
    if place is None:
        raise ValueError(f"postcode {postcode} is missing from the gazetteer")
    return place.locality, round(place.latitude, 2), round(place.longitude, 2)


def demo_resident() -> Resident:
    """The documented demo login: a complete profile in town."""
    locality, latitude, longitude = home("04177")
    return Resident(
        first_name="Anna",
        last_name="Weber",
        email=f"anna.weber@{RESIDENT_DOMAIN}",
        postcode="04177",
        locality=locality,
        latitude=latitude,
        longitude=longitude,
        birth_year=1986,
        travel_radius_km=10,
        hours_per_month=8,
        time_windows=["wed-afternoon", "thu-evening", "sat-morning", "sat-afternoon"],
        languages=["de", "en"],
        skills=["reading-aloud", "gardening", "photography", "organising"],
        interests=["environment", "education", "elderly"],
        contact_ok=True,
    )


def mail_language(index: int, resident: Resident) -> str:
    """Some residents who speak English read their mails in English, so the demo's mail
    history shows mails in each recipient's language. Derived from the generated data (no
    random draw), so the rest of the demo town stays the same; the documented login
    (index 0) stays German."""
    return "en" if index % 5 == 1 and "en" in resident.languages else "de"


def generate_residents(rng: random.Random, count: int) -> list[Resident]:
    """`count` residents including the demo login first; e-mail addresses are unique."""
    residents = [demo_resident()]
    taken = {residents[0].email}
    while len(residents) < count:
        resident = _random_resident(rng)
        base, number = resident.email.split("@")[0], 2
        while resident.email in taken:
            resident.email = f"{base}{number}@{RESIDENT_DOMAIN}"
            number += 1
        taken.add(resident.email)
        residents.append(resident)
    return residents


def _random_resident(rng: random.Random) -> Resident:
    female, male, surnames, extra_languages = rng.choices(NAME_GROUPS, GROUP_WEIGHTS)[0]
    first = rng.choice(female if rng.random() < 0.55 else male)
    last = rng.choice(surnames)
    postcode = _random_postcode(rng)
    locality, latitude, longitude = home(postcode)
    birth_year = rng.randint(1942, 2008)
    return Resident(
        first_name=first,
        last_name=last,
        email=f"{email_local_part(first, last)}@{RESIDENT_DOMAIN}",
        postcode=postcode,
        locality=locality,
        latitude=latitude,
        longitude=longitude,
        birth_year=birth_year,
        travel_radius_km=rng.choice(TRAVEL_RADII),
        hours_per_month=rng.choice(HOURS_PER_MONTH),
        time_windows=_time_windows(rng, birth_year),
        languages=_languages(rng, extra_languages),
        skills=sorted(rng.sample([slug for slug, _ in CURATED_SKILLS], rng.randint(1, 5))),
        interests=sorted(rng.sample([slug for slug, _ in FIELDS_OF_ACTION], rng.randint(1, 4))),
        contact_ok=rng.random() < 0.6,
        verified=rng.random() > 0.02,
    )


def _random_postcode(rng: random.Random) -> str:
    pool = rng.choices((TOWN_POSTCODES, CITY_POSTCODES, REGION_POSTCODES), (0.35, 0.4, 0.25))[0]
    return rng.choice(pool)


def _time_windows(rng: random.Random, birth_year: int) -> list[str]:
    """Working-age people are mostly free in the evenings and at weekends, retirees any time."""
    retired = birth_year < 1960
    candidates = [
        window
        for window in TIME_WINDOWS
        if retired or window.endswith("evening") or window.startswith(("sat", "sun"))
    ]
    picked = rng.sample(candidates, min(len(candidates), rng.randint(2, 6)))
    return [window for window in TIME_WINDOWS if window in picked]


def _languages(rng: random.Random, extra: tuple[tuple[str, float], ...]) -> list[str]:
    return ["de"] + [code for code, probability in extra if rng.random() < probability]
