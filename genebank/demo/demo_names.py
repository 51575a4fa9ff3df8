"""Names for demo participants that fit their country and gender: a Senegalese woman is
"Awa Ndiaye", a Kazakh man "Nurlan Seitkaliyev" (Нурлан Сейткалиев), a Kyrgyz woman
"Aida Bekova", a Malaysian man "Hafiz bin Ismail".

Each country has one or more pools (Nigeria: Hausa, Yoruba and Igbo names); a person's given
and family names come from one pool. Family names that change with gender (Central Asian
-ov/-ova, Malay bin/binti) are stored as (man's form, woman's form). The original script is
kept where the country writes names in another one (Cyrillic, Arabic), else left empty.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

Name = tuple[str, str]  # (Latin transcription, original script or "")


@dataclass(frozen=True, slots=True)
class NamePool:
    women: tuple[Name, ...]
    men: tuple[Name, ...]
    families: tuple[tuple[Name, Name], ...]  # (man's form, woman's form)


@dataclass(frozen=True, slots=True)
class PersonName:
    full_name: str
    original_name: str
    gender: str  # "female" or "male"


def _names(text: str) -> tuple[Name, ...]:
    """``"Aigerim=Айгерим, Nurlan=Нурлан"`` or ``"Awa, Moussa"`` as (Latin, original)."""
    return tuple((latin.strip(), original.strip()) for latin, _, original in
                 (part.partition("=") for part in text.split(",")))


def _gendered(text: str) -> tuple[tuple[Name, Name], ...]:
    """``"Karimov/Karimova=Каримов/Каримова"``: a family name's man's and woman's forms."""
    pairs = []
    for latin, original in _names(text):
        man, _, woman = latin.partition("/")
        man_original, _, woman_original = original.partition("/")
        pairs.append(((man, man_original), (woman or man, woman_original or man_original)))
    return tuple(pairs)


def _same(text: str) -> tuple[tuple[Name, Name], ...]:
    return tuple((name, name) for name in _names(text))


def _malay(text: str) -> tuple[tuple[Name, Name], ...]:
    """Malay patronymics: "bin" (son of) for men, "binti" (daughter of) for women."""
    return tuple(((f"bin {father}", ""), (f"binti {father}", "")) for father, _ in _names(text))


SAHEL_WOMEN = "Aminata, Fatoumata, Mariama, Awa, Kadiatou, Aissata, Rokia"
SAHEL_MEN = "Moussa, Ibrahim, Oumar, Abdoulaye, Boubacar, Seydou, Mamadou"
ARAB_WOMEN = ("Fatima=فاطمة, Mariam=مريم, Layla=ليلى, Amina=أمينة, Salma=سلمى, "
              "Nour=نور, Huda=هدى")
ARAB_MEN = ("Ahmed=أحمد, Omar=عمر, Youssef=يوسف, Khaled=خالد, Hassan=حسن, Mohamed=محمد, "
            "Karim=كريم")


def _arab(families: str) -> tuple[NamePool, ...]:
    return (NamePool(_names(ARAB_WOMEN), _names(ARAB_MEN), _same(families)),)


def _sahel(families: str) -> tuple[NamePool, ...]:
    return (NamePool(_names(SAHEL_WOMEN), _names(SAHEL_MEN), _same(families)),)


POOLS: dict[str, tuple[NamePool, ...]] = {
    "KAZ": (NamePool(
        _names("Aigerim=Айгерим, Gulnara=Гульнара, Madina=Мадина, Dana=Дана, Saule=Сауле"),
        _names("Nurlan=Нурлан, Yerlan=Ерлан, Daniyar=Данияр, Askar=Аскар, Marat=Марат"),
        _gendered("Seitkaliyev/Seitkaliyeva=Сейткалиев/Сейткалиева, "
                  "Nurlanov/Nurlanova=Нурланов/Нурланова, Tokhtarov/Tokhtarova=Тохтаров/"
                  "Тохтарова, Abenov/Abenova=Абенов/Абенова, Zhaksylykov/Zhaksylykova="
                  "Жаксылыков/Жаксылыкова")),),
    "KGZ": (NamePool(
        _names("Aida=Аида, Aizada=Айзада, Cholpon=Чолпон, Nazgul=Назгуль"),
        _names("Bakyt=Бакыт, Azamat=Азамат, Talant=Талант, Kubat=Кубат"),
        _gendered("Bekov/Bekova=Беков/Бекова, Asanov/Asanova=Асанов/Асанова, "
                  "Toktogulov/Toktogulova=Токтогулов/Токтогулова, "
                  "Osmonov/Osmonova=Осмонов/Осмонова")),),
    "UZB": (NamePool(
        _names("Dilnoza=Дилноза, Nodira=Нодира, Gulnora=Гулнора, Madina=Мадина"),
        _names("Sardor=Сардор, Rustam=Рустам, Farrukh=Фаррух, Jasur=Жасур"),
        _gendered("Karimov/Karimova=Каримов/Каримова, Rakhimov/Rakhimova=Рахимов/Рахимова, "
                  "Abdullaev/Abdullaeva=Абдуллаев/Абдуллаева, "
                  "Ismailov/Ismailova=Исмаилов/Исмаилова")),),
    "TJK": (NamePool(
        _names("Zarina=Зарина, Mehrona=Меҳрона, Firuza=Фируза, Nigina=Нигина"),
        _names("Jamshed=Ҷамшед, Farrukh=Фаррух, Rustam=Рустам, Firdavs=Фирдавс"),
        _gendered("Rahimov/Rahimova=Раҳимов/Раҳимова, Saidov/Saidova=Саидов/Саидова, "
                  "Nazarov/Nazarova=Назаров/Назарова")),),
    "AZE": (NamePool(  # written in the Latin alphabet: no second script
        _names("Leyla, Aynur, Günel, Nigar"), _names("Elvin, Rashad, Tural, Orkhan"),
        _gendered("Aliyev/Aliyeva, Mammadov/Mammadova, Huseynov/Huseynova")),),
    "SEN": _sahel("Diop, Ndiaye, Fall, Sow, Diallo, Faye"),
    "MLI": _sahel("Traoré, Keita, Coulibaly, Diarra, Cissé, Koné"),
    "NER": _sahel("Issoufou, Hamani, Abdou, Souley, Maïga, Garba"),
    "BFA": _sahel("Ouédraogo, Sawadogo, Compaoré, Kaboré, Zongo, Ilboudo"),
    "NGA": (NamePool(_names("Aisha, Hauwa, Zainab, Fatima"), _names("Musa, Abubakar, Sani"),
                     _same("Bello, Abubakar, Usman, Sani")),  # Hausa
            NamePool(_names("Funmilayo, Adaeze, Folake, Bisi"), _names("Tunde, Femi, Segun"),
                     _same("Adeyemi, Ogunleye, Adebayo, Olawale")),  # Yoruba
            NamePool(_names("Ngozi, Chiamaka, Ifeoma, Nneka"), _names("Chinedu, Emeka, Obinna"),
                     _same("Okafor, Eze, Nwosu, Okonkwo"))),  # Igbo
    "EGY": _arab("El-Sayed=السيد, Mansour=منصور, Abdelrahman=عبد الرحمن, Farouk=فاروق"),
    "MAR": _arab("Benali=بن علي, El Idrissi=الإدريسي, Alaoui=العلوي, Bennani=بناني"),
    "JOR": _arab("Haddad=حداد, Khalil=خليل, Nasser=ناصر, Al-Masri=المصري"),
    "TUN": _arab("Ben Salah=بن صالح, Trabelsi=الطرابلسي, Gharbi=الغربي, Jebali=الجبالي"),
    "SDN": _arab("Osman=عثمان, Abdalla=عبد الله, Elamin=الأمين, Babiker=بابكر"),
    "TUR": (NamePool(_names("Ayşe, Elif, Zeynep, Fatma, Emine"),
                     _names("Emre, Mehmet, Mustafa, Ali, Hakan"),
                     _same("Yılmaz, Demir, Kaya, Şahin, Çelik, Aydın")),),
    "PAK": (NamePool(_names("Ayesha, Sana, Nazia, Saima"), _names("Imran, Usman, Bilal, Asif"),
                     _same("Khan, Malik, Hussain, Qureshi, Butt")),),
    "BGD": (NamePool(_names("Nusrat, Farhana, Sharmin, Taslima"),
                     _names("Kamal, Arif, Mahmud, Rafiq"),
                     _same("Rahman, Hossain, Islam, Chowdhury, Uddin")),),
    "IDN": (NamePool(_names("Siti, Dewi, Sri, Rina"), _names("Budi, Agus, Eko, Hendra"),
                     _same("Santoso, Wijaya, Saputra, Hidayat, Nugroho")),),
    "MYS": (NamePool(_names("Nurul, Aisyah, Farah, Siti"), _names("Ahmad, Hafiz, Azman, Faizal"),
                     _malay("Ismail, Abdullah, Hassan, Rahman, Yusof")),),
}


def draw_name(rng: random.Random, country: str) -> PersonName:
    """A name for a person from ``country``: a pool of that country, a gender, then a given
    name and the family name's form for that gender, from the same pool."""
    pool = rng.choice(POOLS[country])
    gender = "female" if rng.random() < 0.45 else "male"
    given = rng.choice(pool.women if gender == "female" else pool.men)
    family = rng.choice(pool.families)[gender == "female"]
    original = f"{given[1] or given[0]} {family[1] or family[0]}" if given[1] else ""
    return PersonName(f"{given[0]} {family[0]}", original, gender)
