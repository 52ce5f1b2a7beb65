"""Crafted cursors, against both listings: products (catalogue) and accounts (users).

The attack sent cursors its author had built: an id of 2^31, a price key of ``1e999999``, dates
in year 1 or 9999, NUL characters and lone surrogates. Each decoded into a position that failed
in the query, a 500. Cursors are signed now: a cursor the listing did not issue, and a signed one
whose values do not fit the columns, are the listing's 400, never a server error.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import CursorCodec
from core.errors import BadRequest
from core.testing.auth import STATIC_AUTH, static_auth_plugin
from core.testing.cursors import signed_cursor
from modules.catalogue.products.cursor import PURPOSE as PRODUCTS
from modules.users import plugin as users_plugin
from modules.users.cursor import PURPOSE as ACCOUNTS
from modules.users.dependencies import CURSOR_MAX_LENGTH as ACCOUNTS_CURSOR_LENGTH
from tests.modules.catalogue.conftest import catalogue_plugins
from tests.modules.users.conftest import FAST_HASHING, PASSWORD

SORTS = ["name", "-name", "price", "-price", "newest"]
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# Bounded and reproducible: the same examples on every run, nothing written to the working tree.
# One app and client serve every example of a test: the requests only read.
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@dataclass
class Listing:
    """One listing under attack: how to ask it for a page, and how it refuses a cursor."""

    app: Any
    client: httpx.AsyncClient
    url: str
    headers: dict[str, str]
    purpose: str
    code: str
    max_length: int
    sorted_by: bool  # whether the listing takes `sort`

    async def get(self, cursor: str | None = None, *, sort: str = "name", **params: Any) -> Any:
        query = {**params, **({"sort": sort} if self.sorted_by else {})}
        if cursor is not None:
            query["cursor"] = cursor
        return await self.client.get(self.url, params=query, headers=self.headers)

    async def get_raw(self, query: str) -> httpx.Response:
        """Sends ``query`` as it is written, percent-escapes included."""
        return await self.client.get(f"{self.url}?{query}", headers=self.headers)

    def sign(self, payload: bytes) -> str:
        return signed_cursor(self.app, self.purpose, payload)

    def assert_refused(self, response: httpx.Response) -> None:
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == self.code


@pytest.fixture
async def products(mosaic_app, mosaic_client, mosaic_token) -> Listing:
    """The product listing, over products sharing names and prices."""
    app = await mosaic_app(catalogue_plugins())
    client = await mosaic_client(app)
    writer = {"Authorization": f"Bearer {await mosaic_token(app, 'catalogue:write')}"}
    category = await client.post(
        "/api/v1/catalogue/categories", json={"slug": "tools", "name": "Tools"}, headers=writer
    )
    for sku, name, price in [("A", "pear", "3"), ("B", "apple", "1"), ("C", "pear", "3.50")]:
        body = {
            "sku": sku,
            "slug": sku.lower(),
            "name": name,
            "price": price,
            "stock": 1,
            "status": "active",
            "category_id": category.json()["id"],
        }
        created = await client.post("/api/v1/catalogue/products", json=body, headers=writer)
        assert created.status_code == 201, created.text
    return Listing(
        app,
        client,
        "/api/v1/catalogue/products",
        {},
        PRODUCTS,
        "core.invalid_cursor",
        max_length=2048,
        sorted_by=True,
    )


@pytest.fixture
async def accounts(mosaic_app, mosaic_client, mosaic_token) -> Listing:
    """The accounts listing, called by an administrator, over three accounts."""
    app = await mosaic_app(
        {"users": users_plugin, STATIC_AUTH: static_auth_plugin()},
        settings={"users": FAST_HASHING},
    )
    client = await mosaic_client(app)
    for name in ("ada", "bob", "cy"):
        body = {"email": f"{name}@example.com", "password": PASSWORD}
        assert (await client.post("/api/v1/users", json=body)).status_code == 201
    admin = {"Authorization": f"Bearer {await mosaic_token(app, 'users:admin')}"}
    return Listing(
        app,
        client,
        "/api/v1/users",
        admin,
        ACCOUNTS,
        "core.invalid_cursor",
        max_length=ACCOUNTS_CURSOR_LENGTH,
        sorted_by=False,
    )


@pytest.fixture(params=["products", "accounts"])
def listing(request: pytest.FixtureRequest) -> Listing:
    found: Listing = request.getfixturevalue(request.param)
    return found


async def first_cursor(listing: Listing, sort: str = "name") -> str:
    page = (await listing.get(sort=sort, limit=1)).json()
    cursor: str = page["next"]
    return cursor


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# --- what the attack sent ----------------------------------------------------------------------

# Values that fit no column: beyond PostgreSQL's integer, not finite, not representable in UTC.
HUGE_INTEGERS = st.sampled_from([2**31, 2**32, 2**63, 2**64, 10**400, -(2**63) - 1, 0, -1])
BAD_DECIMALS = st.sampled_from(
    [
        *("1e999999", "1E+999999", "-1e999999", "1e-999999", "1e2"),
        *("NaN", "sNaN", "Infinity", "-Infinity"),
        *("12345678901", "0.001", "1_000", " 1", "0x10", ""),
    ]
)
BAD_DATES = st.sampled_from(
    [
        "0001-01-01T00:00:00+01:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59-01:00",
        "9999-12-31T23:59:59.999999-14:00",
        "9999-12-31T23:59:59",
        "10000-01-01T00:00:00+00:00",
        "2026-02-30T00:00:00+00:00",
        "2026-01-01T24:00:01+00:00",
        "yesterday",
    ]
)
BAD_TEXTS = st.sampled_from(["a\x00b", "\x00", "\ud800", "x\udfffy", "\udc00\ud800"]) | st.text(
    min_size=201, max_size=260
)
BAD_IDS = st.sampled_from(["", "0" * 31, "0" * 33, "Z" * 32, "A" * 32, "{" + "0" * 32 + "}"])

# Offsets of up to a day: some times of year 1 and 9999 are then outside what UTC can write.
OFFSETS = st.timedeltas(min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23))
EDGE_DATES = st.builds(
    lambda moment, offset: moment.replace(tzinfo=timezone(offset)).isoformat(),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 3))
    | st.datetimes(min_value=datetime(9999, 12, 30), max_value=datetime(9999, 12, 31, 23, 59)),
    OFFSETS,
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | HUGE_INTEGERS
    | st.floats()
    | st.text(max_size=12)
    | BAD_TEXTS
    | BAD_DECIMALS
    | BAD_DATES
    | EDGE_DATES
    | st.sampled_from(SORTS)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
# Payloads JSON cannot produce from Python values: numbers out of float range, deep nesting.
LITERALS = st.sampled_from(
    [
        b"[1e999999]",
        b'["price",1e999999,1]',
        b'["newest","2026-01-01T00:00:00+00:00",1e999999]',
        b'["name","a",-1e999999]',
        b"[" * 3000,
        b'["name","a",' + b"9" * 5000 + b"]",
        b'\xef\xbb\xbf["name","a",1]',
        b'["name","a\xed\xa0\x80",1]',
        b"[NaN]",
    ]
)
PAYLOADS = JSON.map(lambda value: json.dumps(value).encode()) | LITERALS | st.binary(max_size=120)


@st.composite
def spoiled_positions(draw: st.DrawFn, purpose: str) -> tuple[str, bytes]:
    """A listing's position, in its own format, with one value that fits no column: the sort
    to ask for and the payload."""
    if purpose == ACCOUNTS:
        when, id_hex = "2026-01-02T03:04:05+00:00", "0" * 32
        spoiled = draw(st.sampled_from(["when", "id", "extra", "type"]))
        values: list[object] = [
            draw(BAD_DATES | st.integers()) if spoiled == "when" else when,
            draw(BAD_IDS | st.integers() | st.none()) if spoiled == "id" else id_hex,
        ]
        if spoiled == "extra":
            values.append(draw(SCALARS))
        if spoiled == "type":
            values = [values[0]]
        return "name", json.dumps(values).encode()
    sort = draw(st.sampled_from(SORTS))
    good_keys = {"name": "pear", "price": "3.00", "newest": "2026-01-02T03:04:05+00:00"}
    bad_keys = {"name": BAD_TEXTS, "price": BAD_DECIMALS, "newest": BAD_DATES}
    kind = sort.lstrip("-")
    spoiled = draw(st.sampled_from(["key", "id", "sort"]))
    key = draw(bad_keys[kind] | st.integers() | st.none()) if spoiled == "key" else good_keys[kind]
    last = draw(HUGE_INTEGERS | st.booleans() | st.text(max_size=3)) if spoiled == "id" else 1
    issued_for = (
        draw(st.text(max_size=8).filter(lambda s: s != sort)) if spoiled == "sort" else sort
    )
    return sort, json.dumps([issued_for, key, last]).encode()


# --- cursors the listing did not sign ----------------------------------------------------------

UNSIGNED = (
    st.from_regex(r"[A-Za-z0-9_-]{1,300}", fullmatch=True)
    | st.binary(min_size=1, max_size=150).map(b64)
    | PAYLOADS.filter(bool).map(b64)
)


@EXAMPLES
@given(cursor=UNSIGNED, sort=st.sampled_from(SORTS))
@example(cursor=b64(b'["name","pear",2147483648]'), sort="name")
@example(cursor=b64(b'{"sort":"price","key":"1e999999","id":1}'), sort="price")
@example(cursor=b64(b'["0001-01-01T00:00:00+01:00","' + b"0" * 32 + b'"]'), sort="name")
async def test_a_cursor_the_listing_did_not_sign_is_refused(listing, cursor, sort):
    if len(cursor) > listing.max_length:
        cursor = cursor[: listing.max_length]

    listing.assert_refused(await listing.get(cursor, sort=sort))


@EXAMPLES
@given(text=st.text(max_size=80))
@example(text="a\x00b")
@example(text="\ud800")
@example(text="x" * 3000)
async def test_any_text_is_refused_as_a_cursor_or_as_a_parameter(listing, text):
    # Sent as bytes: UTF-8, with lone surrogates written as they would be in WTF-8.
    escaped = quote(text.encode("utf-8", "surrogatepass"), safe="")

    response = await listing.get_raw(f"cursor={escaped}")

    if response.status_code == 422:
        problem = response.json()
        assert problem["code"] == "core.validation_failed"
        assert [error["pointer"] for error in problem["errors"]] == ["/cursor"]
    else:
        listing.assert_refused(response)


@EXAMPLES
@given(data=st.data())
async def test_a_cursor_signed_with_another_key_is_refused(listing, data):
    secret = data.draw(st.text(min_size=1, max_size=64), label="secret")
    stranger = CursorCodec(secret, purpose=listing.purpose, error=BadRequest)
    genuine = json.loads(base64.urlsafe_b64decode(await first_cursor(listing) + "===")[16:])

    listing.assert_refused(await listing.get(stranger._seal(json.dumps(genuine).encode())))


async def test_a_cursor_of_the_other_listing_is_refused(listing):
    other = ACCOUNTS if listing.purpose == PRODUCTS else PRODUCTS
    payload = base64.urlsafe_b64decode(await first_cursor(listing) + "===")[16:]

    listing.assert_refused(await listing.get(signed_cursor(listing.app, other, payload)))


# --- cursors signed with the key, holding what fits no column ----------------------------------


@EXAMPLES
@given(data=st.data())
async def test_a_signed_position_out_of_range_is_refused(listing, data):
    sort, payload = data.draw(spoiled_positions(listing.purpose), label="position")
    cursor = listing.sign(payload)
    if len(cursor) <= listing.max_length:
        listing.assert_refused(await listing.get(cursor, sort=sort))


@EXAMPLES
@given(payload=PAYLOADS, sort=st.sampled_from(SORTS))
@example(payload=b'["price","1e999999",1]', sort="price")
@example(payload=b'["newest","0001-01-01T00:00:00+01:00",1]', sort="newest")
@example(payload=b'["newest","9999-12-31T23:59:59-01:00",1]', sort="newest")
@example(payload=b'["name","pear",2147483648]', sort="name")
@example(payload=b'["name","a\\u0000b",1]', sort="name")
@example(payload=b'["name","\\ud800",1]', sort="name")
@example(payload=b'["0001-01-01T00:00:00+01:00","' + b"0" * 32 + b'"]', sort="name")
@example(payload=b'["9999-12-31T23:59:59-01:00","' + b"0" * 32 + b'"]', sort="name")
async def test_whatever_a_signed_cursor_holds_the_answer_is_never_a_server_error(
    listing, payload, sort
):
    cursor = listing.sign(payload)
    if len(cursor) > listing.max_length:
        return

    response = await listing.get(cursor, sort=sort)

    if response.status_code != 200:
        listing.assert_refused(response)


@EXAMPLES
@given(
    moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    offset=OFFSETS,
)
async def test_a_signed_timestamp_anywhere_in_the_calendar_is_answered(listing, moment, offset):
    when = moment.replace(tzinfo=timezone(offset)).isoformat()
    payload = (
        ["newest", when, 1] if listing.purpose == PRODUCTS else [when, "0" * 32]
    )  # a position in the listing's own format
    response = await listing.get(listing.sign(json.dumps(payload).encode()), sort="newest")

    try:
        moment.replace(tzinfo=timezone(offset)).astimezone(UTC)
    except OverflowError:
        listing.assert_refused(response)
    else:
        assert response.status_code == 200, response.text


# --- genuine cursors ---------------------------------------------------------------------------


@pytest.mark.parametrize("sort", SORTS)
async def test_a_genuine_cursor_still_pages_through_everything(listing, sort):
    everything = (await listing.get(sort=sort, limit=100)).json()["items"]
    seen, cursor = [], None
    while True:
        page = (await listing.get(cursor, sort=sort, limit=1)).json()
        seen += page["items"]
        cursor = page["next"]
        if cursor is None:
            break

    assert seen == everything
    assert len(seen) == 3


async def test_a_genuine_cursor_with_its_payload_edited_is_refused(listing):
    cursor = await first_cursor(listing)
    raw = base64.urlsafe_b64decode(cursor + "===")
    tag, values = raw[:16], json.loads(raw[16:])
    edits: list[Callable[[list[Any]], object]] = [
        lambda v: [*v[:-1], 2**31] if isinstance(v[-1], int) else [v[0], "f" * 32],
        lambda v: (
            [v[0], "1e999999", *v[2:]] if len(v) == 3 else ["0001-01-01T00:00:00+01:00", v[1]]
        ),
        lambda v: [*v, 1],
        lambda v: v[:-1],
    ]

    for edit in edits:
        forged = b64(tag + json.dumps(edit(values), separators=(",", ":")).encode())
        listing.assert_refused(await listing.get(forged))


@EXAMPLES
@given(data=st.data())
async def test_a_genuine_cursor_with_one_character_changed_is_refused(listing, data):
    cursor = await first_cursor(listing)
    index = data.draw(st.integers(min_value=0, max_value=len(cursor) - 1), label="index")
    replacement = data.draw(st.sampled_from(ALPHABET.replace(cursor[index], "")))

    listing.assert_refused(await listing.get(cursor[:index] + replacement + cursor[index + 1 :]))
