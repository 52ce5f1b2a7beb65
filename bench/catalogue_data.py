"""A realistic, reproducible catalogue: a category tree, tags, and products with plausible names,
descriptions, prices, stock levels, statuses and dates (one seed, same data every run)."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from modules.catalogue.models import search_text

SEED = 20_260_101


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# Root departments and their sections; each section gets the same kinds of ranges below it.
DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "Home & Kitchen": ("Cookware", "Tableware", "Storage", "Lighting", "Bedding"),
    "Garden & Outdoors": ("Planters", "Garden Tools", "Outdoor Furniture", "Barbecue", "Watering"),
    "Sports & Leisure": ("Cycling", "Camping", "Fitness", "Running", "Water Sports"),
    "Electronics": ("Audio", "Cables", "Chargers", "Smart Home", "Accessories"),
    "Tools & DIY": ("Hand Tools", "Power Tools", "Fasteners", "Measuring", "Workshop"),
    "Fashion": ("Bags", "Footwear", "Outerwear", "Knitwear", "Jewellery"),
}
RANGES = ("Essentials", "Premium", "Compact", "Professional")
ADJECTIVES = _words(
    "Classic|Rustic|Modern|Compact|Heavy-Duty|Lightweight|Foldable|Vintage|Ergonomic|"
    "Weatherproof|Insulated|Adjustable|Slimline|Nordic|Industrial|Handmade|"
    "Rechargeable|Stackable|Travel|Deluxe"
)
MATERIALS = _words(
    "Oak|Bamboo|Steel|Cast Iron|Ceramic|Linen|Wool|Leather|Copper|Walnut|Aluminium|"
    "Glass|Cotton|Recycled Plastic|Stoneware"
)
NOUNS = _words(
    "Side Table|Frying Pan|Lantern|Backpack|Water Bottle|Desk Lamp|Toolbox|"
    "Cutting Board|Planter|Bench|Headphone Stand|Throw Blanket|Shelf|Kettle|Coat Hook|"
    "Picnic Set|Storage Box|Tote Bag|Bike Light|Watering Can|Serving Bowl|Wall Clock|"
    "Camping Stool|Phone Charger|Tape Measure|Yoga Mat|Hammock|Spice Rack|"
    "Laundry Basket|Chopping Knife"
)
EDITIONS = ("", "", "", " Mk II", " Pro", " XL", " Mini", " 2.0")
USES = _words(
    "everyday use|small apartments|weekend trips|busy kitchens|the workshop|gifting|"
    "outdoor living|the home office"
)
FINISHES = ("matte", "brushed", "oiled", "powder-coated", "hand-polished", "natural")
TAGS = _words(
    "bestseller|new-arrival|eco-friendly|gift-idea|limited-edition|clearance|"
    "staff-pick|made-in-eu|vegan|recycled|waterproof|dishwasher-safe|award-winning|"
    "fair-trade|handmade|organic|bundle|back-in-stock|kids|pet-friendly|travel-size|"
    "low-energy|wireless|heavy-duty|lightweight|compact|premium|budget|outdoor|indoor|"
    "black|white|grey|blue|green|red|natural-wood|stainless|ceramic|linen|wool|"
    "leather|winter|summer|spring|autumn|sale|online-only"
)


def slugify(text: str) -> str:
    """Returns ``text`` as lower-case words joined by ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Rows for the catalogue's tables, ready for bulk ``INSERT`` (ids included)."""

    categories: list[dict[str, Any]]
    tags: list[dict[str, Any]]
    products: list[dict[str, Any]]
    product_tags: list[dict[str, Any]]

    def active_ids(self) -> list[int]:
        """Ids of the products an anonymous caller may read."""
        return [row["id"] for row in self.products if row["status"] == "active"]


def generate(products: int, *, tags_per_product: int, now: datetime | None = None) -> Catalogue:
    """Returns the catalogue: 6 departments, 30 sections, 120 leaf ranges, ``products``
    products spread over the leaves, each with ``tags_per_product`` distinct tags."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible sample data, not secrets
    now = now or datetime.now(UTC)
    categories, leaves = _categories(now)
    tags = [
        {"id": i, "slug": slug, "name": slug.replace("-", " ").title()}
        for i, slug in enumerate(TAGS, start=1)
    ]
    rows = [_product(rng, i, rng.choice(leaves), now) for i in range(1, products + 1)]
    links = [
        {"product_id": row["id"], "tag_id": tag["id"]}
        for row in rows
        for tag in rng.sample(tags, tags_per_product)
    ]
    return Catalogue(categories, tags, rows, links)


def _categories(now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rows: list[dict[str, Any]] = []
    leaves: list[dict[str, Any]] = []

    def add(name: str, slug: str, parent: int | None, position: int) -> dict[str, Any]:
        row = {
            "id": len(rows) + 1,
            "parent_id": parent,
            "slug": slug,
            "name": name,
            "position": position,
            "created_at": now - timedelta(days=400),
        }
        rows.append(row)
        return row

    for d, (department, sections) in enumerate(DEPARTMENTS.items()):
        root = add(department, slugify(department), None, d)
        for s, section in enumerate(sections):
            middle = add(section, slugify(section), root["id"], s)
            for r, kind in enumerate(RANGES):
                name = f"{kind} {section}"
                leaves.append(add(name, slugify(name), middle["id"], r))
    return rows, leaves


def _product(rng: random.Random, i: int, leaf: dict[str, Any], now: datetime) -> dict[str, Any]:
    adjective, material, noun = rng.choice(ADJECTIVES), rng.choice(MATERIALS), rng.choice(NOUNS)
    name = f"{adjective} {material} {noun}{rng.choice(EDITIONS)}"
    description = " ".join(_sentences(rng, material.lower(), noun.lower()))
    created = now - timedelta(seconds=rng.uniform(3600, 365 * 86400))
    updated = created + (now - created) * rng.random() * 0.5
    status = rng.choices(("active", "draft", "archived"), weights=(90, 6, 4))[0]
    return {
        "id": i,
        "sku": f"{slugify(leaf['slug'])[:3].upper()}-{i:06d}",
        "slug": f"{slugify(name)}-{i}",
        "name": name,
        "description": description,
        "price": _price(rng),
        "stock": 0 if rng.random() < 0.1 else rng.randint(1, 500),
        "status": status,
        "category_id": leaf["id"],
        "search_text": search_text(name, description),
        "version": 1,
        "created_at": created,
        "updated_at": updated,
    }


def _sentences(rng: random.Random, material: str, noun: str) -> Iterator[str]:
    yield f"A {noun} in {material} with a {rng.choice(FINISHES)} finish."
    yield f"Designed for {rng.choice(USES)} and built to last for years."
    if rng.random() < 0.7:
        size = f"{rng.randint(10, 120)} x {rng.randint(10, 80)} cm"
        yield f"Measures {size} and weighs {rng.randint(1, 40) / 4:.2f} kg."
    if rng.random() < 0.5:
        yield f"Covered by a {rng.choice((2, 3, 5, 10))}-year guarantee; spare parts available."


def _price(rng: random.Random) -> Decimal:
    """Log-uniform between 2 and 1500, often ending in .99 as shop prices do."""
    value = math.exp(rng.uniform(math.log(2), math.log(1500)))
    cents = Decimal("0.99") if rng.random() < 0.6 else Decimal(rng.randint(0, 99)) / 100
    return Decimal(int(value)) + cents
