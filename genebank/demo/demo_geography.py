"""Where demo material was collected: per country, a bounding box, the elevation range of
its farmland, and a few towns, so that a site "12 km north of Kaolack" is in Senegal, at
Senegal's coordinates and elevations.

Figures are rounded from public atlases (country extents in WGS84 degrees; town positions
and heights to about a kilometre and 50 m). They only need to be right enough that a
curator looking at the demo sees nothing absurd.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class Town:
    name: str
    latitude: float
    longitude: float
    elevation: int  # metres


@dataclass(frozen=True, slots=True)
class Region:
    """A country's extent, the elevations its collecting sites span, and its towns."""

    south: float
    north: float
    west: float
    east: float
    lowest: int
    highest: int
    towns: tuple[Town, ...]
    reach_km: int = 40  # how far from a town a site may be (narrow countries: less)

    def contains(self, latitude: float, longitude: float) -> bool:
        return self.south <= latitude <= self.north and self.west <= longitude <= self.east


def _region(box: tuple[float, float, float, float], heights: tuple[int, int],
            *towns: tuple[str, float, float, int], reach_km: int = 40) -> Region:
    return Region(*box, *heights, tuple(Town(*town) for town in towns), reach_km)


# box: (south, north, west, east); heights: (lowest, highest) metres of collecting sites
REGIONS: dict[str, Region] = {
    "KAZ": _region((40.6, 55.4, 46.5, 87.3), (-28, 2500), ("Almaty", 43.24, 76.89, 800),
                   ("Shymkent", 42.32, 69.59, 500), ("Taraz", 42.90, 71.37, 600),
                   ("Kostanay", 53.21, 63.62, 170)),
    "UZB": _region((37.2, 45.6, 56.0, 73.1), (60, 2500), ("Tashkent", 41.30, 69.24, 450),
                   ("Samarkand", 39.65, 66.96, 700), ("Fergana", 40.38, 71.79, 580),
                   ("Nukus", 42.46, 59.61, 75)),
    "KGZ": _region((39.2, 43.3, 69.3, 80.3), (400, 3600), ("Bishkek", 42.87, 74.59, 800),
                   ("Osh", 40.53, 72.80, 1000), ("Naryn", 41.43, 75.99, 2040)),
    "TJK": _region((36.7, 41.0, 67.3, 75.2), (300, 4000), ("Dushanbe", 38.56, 68.79, 800),
                   ("Khujand", 40.28, 69.62, 300), ("Kulob", 37.91, 69.78, 600)),
    "TKM": _region((35.1, 42.8, 52.4, 66.7), (-25, 2000), ("Ashgabat", 37.95, 58.38, 220),
                   ("Mary", 37.59, 61.83, 220), ("Dashoguz", 41.84, 59.97, 90)),
    "AZE": _region((38.4, 41.9, 44.8, 50.4), (-28, 2500), ("Ganja", 40.68, 46.36, 400),
                   ("Shaki", 41.19, 47.17, 700), ("Lankaran", 38.75, 48.85, 0), reach_km=25),
    "TUR": _region((35.8, 42.1, 26.0, 44.8), (0, 2500), ("Konya", 37.87, 32.48, 1000),
                   ("Erzurum", 39.90, 41.27, 1900), ("Ankara", 39.93, 32.86, 940),
                   ("Diyarbakir", 37.91, 40.24, 650)),
    "IRN": _region((25.1, 39.8, 44.0, 63.3), (-28, 3000), ("Isfahan", 32.65, 51.67, 1570),
                   ("Mashhad", 36.30, 59.61, 1000), ("Tabriz", 38.08, 46.29, 1350),
                   ("Shiraz", 29.59, 52.58, 1500)),
    "AFG": _region((29.4, 38.5, 60.5, 74.9), (250, 3500), ("Kabul", 34.53, 69.17, 1790),
                   ("Herat", 34.35, 62.20, 920), ("Mazar-i-Sharif", 36.71, 67.11, 380)),
    "PAK": _region((23.7, 37.1, 60.9, 77.8), (0, 3500), ("Quetta", 30.18, 66.98, 1680),
                   ("Faisalabad", 31.42, 73.08, 185), ("Peshawar", 34.01, 71.58, 330),
                   ("Multan", 30.16, 71.52, 120)),
    "BGD": _region((20.7, 26.6, 88.0, 92.7), (0, 300), ("Sylhet", 24.90, 91.87, 35),
                   ("Rajshahi", 24.37, 88.60, 20), ("Mymensingh", 24.75, 90.41, 20),
                   reach_km=25),
    "MYS": _region((0.85, 7.4, 99.6, 119.3), (0, 1500), ("Ipoh", 4.60, 101.08, 40),
                   ("Kuala Lipis", 4.18, 102.05, 80), ("Keningau", 5.34, 116.16, 300),
                   reach_km=25),
    "IDN": _region((-11.0, 6.1, 95.0, 141.0), (0, 2000), ("Bogor", -6.60, 106.80, 260),
                   ("Malang", -7.98, 112.63, 450), ("Bukittinggi", -0.31, 100.37, 930),
                   reach_km=15),
    "SAU": _region((16.4, 32.2, 34.5, 55.7), (0, 2500), ("Buraydah", 26.33, 43.97, 600),
                   ("Abha", 18.22, 42.51, 2270), ("Al-Kharj", 24.15, 47.31, 430)),
    "YEM": _region((12.1, 19.0, 42.5, 54.0), (0, 3000), ("Sanaa", 15.37, 44.19, 2250),
                   ("Dhamar", 14.54, 44.40, 2400), ("Ibb", 13.97, 44.18, 2050), reach_km=25),
    "OMN": _region((16.6, 26.4, 52.0, 59.9), (0, 2500), ("Nizwa", 22.93, 57.53, 500),
                   ("Ibri", 23.23, 56.51, 320), ("Rustaq", 23.39, 57.42, 320), reach_km=25),
    "JOR": _region((29.2, 33.4, 34.9, 39.3), (-400, 1500), ("Irbid", 32.56, 35.85, 620),
                   ("Madaba", 31.72, 35.79, 780), ("Karak", 31.18, 35.70, 930), reach_km=15),
    "SYR": _region((32.3, 37.3, 35.7, 42.4), (0, 2000), ("Aleppo", 36.20, 37.13, 380),
                   ("Homs", 34.73, 36.71, 500), ("Hasakah", 36.50, 40.75, 300), reach_km=25),
    "IRQ": _region((29.1, 37.4, 38.8, 48.6), (0, 2000), ("Erbil", 36.19, 44.01, 420),
                   ("Mosul", 36.34, 43.13, 220), ("Diwaniyah", 31.99, 44.93, 20)),
    "LBN": _region((33.05, 34.7, 35.1, 36.6), (0, 2000), ("Zahle", 33.85, 35.90, 950),
                   ("Baalbek", 34.01, 36.21, 1150), reach_km=10),
    "EGY": _region((22.0, 31.7, 24.7, 36.9), (-20, 600), ("Assiut", 27.18, 31.18, 55),
                   ("Minya", 28.11, 30.74, 40), ("Luxor", 25.69, 32.64, 80), reach_km=10),
    "SDN": _region((8.7, 22.2, 21.8, 38.6), (300, 1500), ("Kassala", 15.45, 36.40, 500),
                   ("Wad Medani", 14.40, 33.52, 400), ("El Obeid", 13.18, 30.22, 570)),
    "LBY": _region((19.5, 33.2, 9.3, 25.2), (0, 1000), ("Gharyan", 32.17, 13.02, 700),
                   ("Sabha", 27.04, 14.43, 430), ("Bayda", 32.76, 21.76, 620), reach_km=20),
    "TUN": _region((30.2, 37.5, 7.5, 11.6), (0, 1500), ("Beja", 36.73, 9.18, 250),
                   ("Kairouan", 35.68, 10.10, 60), ("Siliana", 36.08, 9.37, 450),
                   reach_km=25),
    "DZA": _region((18.9, 37.1, -8.7, 12.0), (0, 2500), ("Setif", 36.19, 5.41, 1100),
                   ("Tlemcen", 34.88, -1.31, 800), ("Biskra", 34.85, 5.73, 120),
                   reach_km=25),
    "MAR": _region((27.6, 35.9, -13.2, -1.0), (0, 3000), ("Meknes", 33.89, -5.55, 550),
                   ("Fes", 34.03, -5.00, 410), ("Marrakesh", 31.63, -8.01, 470),
                   ("Settat", 33.00, -7.62, 370), reach_km=30),
    "MRT": _region((14.7, 27.3, -17.1, -4.8), (0, 800), ("Kaedi", 16.15, -13.50, 20),
                   ("Kiffa", 16.62, -11.40, 100), ("Rosso", 16.51, -15.81, 10),
                   reach_km=20),
    "SEN": _region((12.3, 16.7, -17.6, -11.3), (0, 580), ("Kaolack", 14.15, -16.07, 10),
                   ("Tambacounda", 13.77, -13.67, 50), ("Kolda", 12.89, -14.94, 40),
                   reach_km=25),
    "MLI": _region((10.1, 25.0, -12.3, 4.3), (200, 1100), ("Segou", 13.43, -6.26, 290),
                   ("Sikasso", 11.32, -5.67, 375), ("Mopti", 14.49, -4.19, 270)),
    "NER": _region((11.7, 23.5, 0.1, 16.0), (150, 2000), ("Zinder", 13.81, 8.99, 460),
                   ("Maradi", 13.50, 7.10, 370), ("Tahoua", 14.89, 5.27, 390), reach_km=25),
    "BFA": _region((9.4, 15.1, -5.5, 2.4), (200, 750), ("Ouagadougou", 12.37, -1.52, 300),
                   ("Bobo-Dioulasso", 11.18, -4.30, 430), ("Ouahigouya", 13.58, -2.42, 330)),
    "TCD": _region((7.4, 23.5, 13.5, 24.0), (200, 1500), ("Moundou", 8.57, 16.08, 420),
                   ("Sarh", 9.14, 18.39, 360), ("Abeche", 13.83, 20.83, 550), reach_km=25),
    "NGA": _region((4.3, 13.9, 2.7, 14.7), (0, 1500), ("Kano", 12.00, 8.52, 480),
                   ("Ibadan", 7.38, 3.94, 230), ("Jos", 9.90, 8.86, 1220),
                   ("Zaria", 11.09, 7.71, 650)),
    "CMR": _region((1.65, 13.1, 8.5, 16.2), (0, 2500), ("Maroua", 10.59, 14.32, 400),
                   ("Bamenda", 5.96, 10.15, 1200), ("Garoua", 9.30, 13.40, 240),
                   reach_km=20),
    "GIN": _region((7.2, 12.7, -15.1, -7.6), (0, 1500), ("Labe", 11.32, -12.28, 1000),
                   ("Kankan", 10.39, -9.31, 380), ("Mamou", 10.38, -12.09, 800),
                   reach_km=25),
    "SLE": _region((6.9, 10.0, -13.3, -10.3), (0, 1900), ("Bo", 7.96, -11.74, 70),
                   ("Makeni", 8.88, -12.05, 120), ("Kenema", 7.88, -11.19, 190),
                   reach_km=20),
    "GMB": _region((13.06, 13.83, -16.83, -13.8), (0, 60), ("Farafenni", 13.57, -15.60, 10),
                   ("Basse Santa Su", 13.31, -14.21, 20), reach_km=8),
    "BEN": _region((6.2, 12.4, 0.8, 3.85), (0, 650), ("Parakou", 9.34, 2.63, 350),
                   ("Abomey", 7.18, 1.99, 230), ("Kandi", 11.13, 2.94, 290), reach_km=25),
    "TGO": _region((6.1, 11.1, -0.15, 1.8), (0, 900), ("Sokode", 8.98, 1.13, 380),
                   ("Kara", 9.55, 1.19, 330), ("Atakpame", 7.53, 1.13, 400), reach_km=15),
    "CIV": _region((4.35, 10.75, -8.6, -2.5), (0, 800), ("Bouake", 7.69, -5.03, 350),
                   ("Korhogo", 9.46, -5.63, 380), ("Daloa", 6.88, -6.45, 270)),
    "UGA": _region((-1.5, 4.2, 29.6, 35.0), (620, 2500), ("Mbarara", -0.61, 30.65, 1450),
                   ("Gulu", 2.77, 32.30, 1100), ("Mbale", 1.08, 34.18, 1150), reach_km=25),
    "MOZ": _region((-26.9, -10.5, 30.2, 40.8), (0, 1500), ("Nampula", -15.12, 39.27, 430),
                   ("Chimoio", -19.12, 33.48, 700), ("Lichinga", -13.31, 35.24, 1350),
                   reach_km=25),
    "ETH": _region((3.4, 14.9, 33.0, 48.0), (500, 3200), ("Bishoftu", 8.75, 38.98, 1900),
                   ("Gondar", 12.60, 37.47, 2130), ("Jimma", 7.67, 36.83, 1750)),
    "IND": _region((6.7, 35.5, 68.1, 97.4), (0, 3500), ("Hyderabad", 17.39, 78.49, 540),
                   ("Nagpur", 21.15, 79.09, 310), ("Ludhiana", 30.90, 75.85, 250),
                   ("Jodhpur", 26.24, 73.02, 230)),
    "CHN": _region((18.2, 53.6, 73.5, 134.8), (-150, 4500), ("Xi'an", 34.34, 108.94, 400),
                   ("Lanzhou", 36.06, 103.83, 1520), ("Kunming", 25.04, 102.71, 1890),
                   ("Harbin", 45.80, 126.53, 150)),
    "RUS": _region((41.2, 81.9, 19.6, 179.9), (-28, 2500), ("Saratov", 51.53, 46.03, 50),
                   ("Krasnodar", 45.04, 38.98, 30), ("Omsk", 54.99, 73.37, 90),
                   ("Stavropol", 45.04, 41.97, 600)),
    "ARM": _region((38.8, 41.3, 43.4, 46.6), (400, 3000), ("Gyumri", 40.79, 43.85, 1550),
                   ("Armavir", 40.15, 44.04, 870), ("Sisian", 39.52, 46.03, 1600),
                   reach_km=15),
    "GEO": _region((41.05, 43.6, 40.0, 46.7), (0, 2500), ("Telavi", 41.92, 45.47, 570),
                   ("Kutaisi", 42.27, 42.70, 130), ("Gori", 41.98, 44.11, 600), reach_km=20),
    "MEX": _region((14.5, 32.7, -118.4, -86.7), (0, 3000), ("Oaxaca", 17.07, -96.73, 1550),
                   ("Toluca", 19.29, -99.66, 2660), ("Guadalajara", 20.67, -103.35, 1560),
                   ("Chihuahua", 28.63, -106.07, 1440)),
    "PER": _region((-18.4, -0.03, -81.4, -68.6), (0, 4500), ("Cusco", -13.53, -71.97, 3400),
                   ("Huancayo", -12.07, -75.21, 3260), ("Cajamarca", -7.16, -78.51, 2750),
                   ("Puno", -15.84, -70.02, 3830), reach_km=25),
    "USA": _region((24.5, 49.4, -124.8, -66.9), (-80, 3500), ("Ames", 42.03, -93.62, 290),
                   ("Pullman", 46.73, -117.18, 780), ("Fort Collins", 40.59, -105.08, 1520),
                   ("Griffin", 33.25, -84.26, 300)),
}

SITES = (  # (text, direction in degrees clockwise from north, or None: any; far or near)
    ("{n} km north of {c}", 0.0, True), ("{n} km south of {c}", 180.0, True),
    ("{n} km east of {c}", 90.0, True), ("{n} km west of {c}", 270.0, True),
    ("village market, {c}", None, False), ("farmer's field near {c}", None, False),
    ("roadside, {n} km from {c}", None, True),
)


@dataclass(frozen=True, slots=True)
class Site:
    text: str
    latitude: float
    longitude: float
    elevation: float


def collecting_site(rng: random.Random, country: str) -> Site:
    """A site described from one of the country's towns, placed where the text says, kept
    inside the country's box, at an elevation near the town's within the country's range."""
    region = REGIONS[country]
    town = rng.choice(region.towns)
    text, bearing, far = rng.choice(SITES)
    distance = rng.randint(2, max(3, region.reach_km)) if far else rng.uniform(0.2, 3.0)
    angle = math.radians(bearing if bearing is not None else rng.uniform(0, 360))
    north_km, east_km = distance * math.cos(angle), distance * math.sin(angle)
    latitude = town.latitude + north_km / KM_PER_DEGREE
    longitude = town.longitude + east_km / (KM_PER_DEGREE * math.cos(math.radians(latitude)))
    latitude = round(min(max(latitude, region.south), region.north), 4)
    longitude = round(min(max(longitude, region.west), region.east), 4)
    return Site(text.format(n=round(distance), c=town.name), latitude, longitude,
                float(site_elevation(rng, region, town, distance)))


def site_elevation(rng: random.Random, region: Region, town: Town, distance: float) -> int:
    """Metres above sea level for a site ``distance`` km from ``town``: near the town's
    height, further off the further the site, inside the band :func:`elevation_band` allows.

    A value drawn outside the band is drawn again (then, rarely, the town's own height):
    clipping it to the band's edge would pile sites onto one height, as the old clip to the
    country's lowest point put 0 m sites around Jodhpur, Nagpur or Biskra."""
    low, high = elevation_band(region, town)
    spread = 30 + distance * 8 + town.elevation * 0.05
    for _ in range(8):
        elevation = round(town.elevation + rng.gauss(0, spread))
        if low <= elevation <= high:
            return elevation
    return town.elevation


def elevation_band(region: Region, town: Town) -> tuple[int, int]:
    """The heights a site near ``town`` may have: within the country's range, and not below
    half the town's height, since an inland plain does not fall to sea level within the
    tens of kilometres a demo site lies from its town (only coastal and below-sea-level
    towns have sites near 0 m)."""
    return max(region.lowest, town.elevation // 2), region.highest
