"""Bulk import from CSV, through the endpoint and the CLI: a per-row report, and idempotence."""

from __future__ import annotations

import asyncio
import re
import textwrap
from typing import Any

import pytest
from click.testing import CliRunner

from core import Settings
from core.config.plugins_file import parse_plugins_document
from core.kernel.kernel import Kernel
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from modules.catalogue import plugin
from modules.catalogue.cli import catalogue_cli
from tests.modules.catalogue.conftest import API, catalogue_plugins
from tests.openapi_schemas import request_content

IMPORT = f"{API}/products/import"

MIXED = textwrap.dedent(
    """\
    sku,name,slug,price,category,description,stock,status,tags
    HAM-1,Hammer,hammer,15.00,tools,"Claw hammer, 500 g",4,active,steel
    RAKE-1,Rake,rake,22.5,tools,,0,draft,steel|wood
    BAD-1,Bad price,bad,-3,tools,,1,active,
    NOCAT,No category,no-cat,1,nowhere,,1,active,
    NOTAG,No tag,no-tag,1,tools,,1,active,ghost
    HAM-1,Twice,twice,1,tools,,1,active,

    SLUG-1,Slug taken,hammer,1,tools,,1,active,
    MULTI,Multi,multi,2,tools,"line one
    line two",3,active,wood
    SHORT,Too few fields
    """
)
EXPECTED_REJECTIONS = [
    (4, "BAD-1", "price"),
    (5, "NOCAT", "category"),
    (6, "NOTAG", "ghost"),
    (7, "HAM-1", "line 2"),
    (9, "SLUG-1", "hammer"),
    (12, "SHORT", "fields"),
]


@pytest.fixture
async def catalogue(category, make_tag):
    await make_tag("steel")
    await make_tag("wood")


def rejections(report: dict[str, Any]) -> list[tuple[int, str | None, str]]:
    return [(r["line"], r["sku"], r["reason"]) for r in report["rejections"]]


def assert_rejections(report: dict[str, Any]) -> None:
    found = rejections(report)
    assert [(line, sku) for line, sku, _ in found] == [
        (line, sku) for line, sku, _ in EXPECTED_REJECTIONS
    ]
    for (_, _, reason), (_, _, hint) in zip(found, EXPECTED_REJECTIONS, strict=True):
        assert hint in reason


async def post_csv(client, headers, content: str | bytes):
    return await client.post(
        IMPORT, content=content, headers=headers | {"Content-Type": "text/csv"}
    )


async def test_endpoint_reports_every_row(client, writer, catalogue):
    response = await post_csv(client, writer, MIXED)

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"], report["unchanged"]) == (3, 0, 0)
    assert report["rejected"] == 6
    assert_rejections(report)
    listed = (await client.get(f"{API}/products?sort=name&limit=100", headers=writer)).json()
    by_sku = {item["sku"]: item for item in listed["items"]}
    assert sorted(by_sku) == ["HAM-1", "MULTI", "RAKE-1"]
    assert by_sku["HAM-1"]["description"] == "Claw hammer, 500 g"
    assert by_sku["RAKE-1"]["price"] == "22.50"
    assert by_sku["RAKE-1"]["status"] == "draft"
    assert [t["slug"] for t in by_sku["RAKE-1"]["tags"]] == ["steel", "wood"]
    assert by_sku["MULTI"]["description"] == "line one\nline two"


async def test_running_the_same_file_again_changes_nothing(client, writer, catalogue):
    await post_csv(client, writer, MIXED)
    etags = {
        item["id"]: (await client.get(f"{API}/products/{item['id']}", headers=writer)).headers[
            "etag"
        ]
        for item in (await client.get(f"{API}/products", headers=writer)).json()["items"]
    }

    again = (await post_csv(client, writer, MIXED)).json()

    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert_rejections(again)
    for product_id, etag in etags.items():
        response = await client.get(f"{API}/products/{product_id}", headers=writer)
        assert response.headers["etag"] == etag


async def test_a_clean_file_rerun_is_all_unchanged(client, writer, catalogue):
    clean = "sku,name,slug,price,category\nA-1,A,a,1,tools\nB-1,B,b,2.50,tools\n"

    first = (await post_csv(client, writer, clean)).json()
    second = (await post_csv(client, writer, clean)).json()

    assert first == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "rejections": []}
    assert second == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0, "rejections": []}


async def test_cells_are_read_around_their_spaces(client, writer, catalogue):
    spaced = "sku,name,slug,price,category,stock\nA-1, A ,a, 1.5 ,tools, 3 \n"

    report = (await post_csv(client, writer, spaced)).json()

    assert report["created"] == 1, report
    item = (await client.get(f"{API}/products?q=a", headers=writer)).json()["items"][0]
    assert (item["name"], item["price"], item["stock"]) == ("A", "1.50", 3)


async def test_updates_by_sku_and_keeps_columns_the_file_lacks(client, writer, catalogue):
    await post_csv(client, writer, MIXED)

    changed = (
        "sku,name,slug,price,category\n"
        "HAM-1,Big hammer,hammer,18,tools\n"
        "RAKE-1,Rake,rake,22.50,tools\n"
    )
    report = (await post_csv(client, writer, changed)).json()

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 1)
    items = (await client.get(f"{API}/products?q=hammer", headers=writer)).json()["items"]
    assert items[0]["name"] == "Big hammer"
    assert items[0]["price"] == "18.00"
    assert items[0]["stock"] == 4  # no stock column: kept
    assert [t["slug"] for t in items[0]["tags"]] == ["steel"]  # no tags column: kept


async def test_multipart_upload(client, writer, catalogue):
    files = {"file": ("products.csv", MIXED.encode(), "text/csv")}

    response = await client.post(IMPORT, files=files, headers=writer)

    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    assert_rejections(response.json())


async def test_multipart_without_the_file_field_is_400(client, writer, catalogue):
    response = await client.post(
        IMPORT, data={"other": "x"}, files={"x": ("a.csv", b"a")}, headers=writer
    )

    assert response.status_code == 400
    assert response.json()["code"] == "catalogue.invalid_import_file"


@pytest.mark.parametrize(
    ("data", "extra_files"),
    [({"a": "1", "b": "2"}, {}), ({}, {"second": ("b.csv", b"sku\n", "text/csv")})],
)
async def test_a_form_with_more_than_the_file_is_400_under_the_import_code(
    client, writer, catalogue, data, extra_files
):
    files = {"file": ("products.csv", MIXED.encode(), "text/csv"), **extra_files}

    response = await client.post(IMPORT, data=data, files=files, headers=writer)

    assert response.status_code == 400, response.text
    assert response.json()["code"] == "catalogue.invalid_import_file"
    assert "'file'" in response.json()["detail"]
    form = (await client.get("/openapi.json")).json()["paths"][IMPORT]["post"]["requestBody"]
    assert form["content"]["multipart/form-data"]["schema"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        ("", "header"),
        ("sku,name,slug,price\nA,a,a,1\n", "category"),
        ("sku,name,slug,price,category,colour\n", "colour"),
        ("sku,sku,name,slug,price,category\n", "once"),
        (b"sku,name,slug,price,category\nA,\xff\xfe,a,1,tools\n", "UTF-8"),
    ],
)
async def test_an_unreadable_file_imports_nothing(client, writer, catalogue, content, hint):
    valid_first = "sku,name,slug,price,category\nOK-1,Ok,ok,1,tools\n"
    response = await post_csv(client, writer, content)
    await post_csv(client, writer, valid_first)  # the app still works afterwards

    assert response.status_code == 400
    assert response.json()["code"] == "catalogue.invalid_import_file"
    assert hint in response.json()["detail"]
    skus = [i["sku"] for i in (await client.get(f"{API}/products", headers=writer)).json()["items"]]
    assert skus == ["OK-1"]


async def test_a_bom_and_crlf_line_ends_are_fine(client, writer, catalogue):
    content = "\ufeffsku,name,slug,price,category\r\nA-1,A,a,1,tools\r\n".encode()

    response = await post_csv(client, writer, content)

    assert response.json()["created"] == 1


async def test_the_document_says_the_file_is_utf8_csv(client):
    document = (await client.get("/openapi.json")).json()
    content = request_content(document, "POST", IMPORT)

    assert set(content) == {"text/csv; charset=utf-8", "multipart/form-data"}
    form = content["multipart/form-data"]
    assert form["encoding"] == {"file": {"contentType": "text/csv; charset=utf-8"}}
    assert form["schema"]["properties"]["file"] == {
        "type": "string",
        "contentMediaType": "text/csv; charset=utf-8",
    }


@pytest.mark.parametrize("media_type", ["text/csv; charset=utf-8", "text/csv; charset=UTF-8"])
async def test_a_body_declared_utf8_is_read(client, writer, catalogue, media_type):
    response = await client.post(
        IMPORT, content=MIXED.encode(), headers=writer | {"Content-Type": media_type}
    )

    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3


@pytest.mark.parametrize("charset", ["latin-1", "utf-16"])
async def test_a_body_in_another_charset_is_415(client, writer, catalogue, charset):
    response = await client.post(
        IMPORT,
        content=MIXED.encode(charset),
        headers=writer | {"Content-Type": f"text/csv; charset={charset}"},
    )

    assert response.status_code == 415
    assert response.json()["code"] == "core.unsupported_media_type"
    assert "charset=utf-8" in response.json()["detail"]


async def test_other_media_types_are_415(client, writer, catalogue):
    response = await client.post(IMPORT, json={"sku": "x"}, headers=writer)

    assert response.status_code == 415
    assert response.json()["code"] == "core.unsupported_media_type"


async def test_a_file_above_the_limit_is_413(mosaic_app, mosaic_client, mosaic_token):
    app = await mosaic_app(catalogue_plugins(), settings={"catalogue": {"import_max_bytes": 1024}})
    client = await mosaic_client(app)
    headers = {"Authorization": f"Bearer {await mosaic_token(app, 'catalogue:write')}"}

    async def body():
        yield b"sku,name,slug,price,category\n"
        for n in range(100):
            yield f"S-{n},N,n-{n},1,tools\n".encode()

    response = await client.post(
        IMPORT, content=body(), headers=headers | {"Content-Type": "text/csv"}
    )

    assert response.status_code == 413
    assert response.json()["code"] == "catalogue.import_too_large"


def large_file(size: int) -> bytes:
    """A CSV file of at least ``size`` bytes, in rows with long descriptions."""
    header = "sku,name,slug,price,category,description,stock,status,tags\n"
    lines: list[str] = []
    total = len(header)
    while total < size:
        n = len(lines)
        lines.append(f"BIG-{n},Big {n},big-{n},1.00,tools,{'d' * 8000},1,active,steel\n")
        total += len(lines[-1])
    return (header + "".join(lines)).encode()


@pytest.mark.parametrize("multipart", [False, True], ids=["text/csv", "multipart"])
async def test_a_file_larger_than_the_kernel_body_limit_imports(
    client, writer, catalogue, multipart
):
    content = large_file(1_700_000)
    assert len(content) > 1024 * 1024  # MOSAIC_MAX_BODY_SIZE's default

    if multipart:
        files = {"file": ("products.csv", content, "text/csv")}
        response = await client.post(IMPORT, files=files, headers=writer)
    else:
        response = await post_csv(client, writer, content)

    assert response.status_code == 200, response.text
    assert response.json()["created"] == content.count(b"\nBIG-")


async def test_a_body_over_the_import_limit_is_413_naming_its_setting(
    mosaic_app, mosaic_client, mosaic_token
):
    app = await mosaic_app(catalogue_plugins(), settings={"catalogue": {"import_max_bytes": 2048}})
    client = await mosaic_client(app)
    headers = {"Authorization": f"Bearer {await mosaic_token(app, 'catalogue:write')}"}

    response = await post_csv(client, headers, large_file(200_000))

    assert response.status_code == 413
    assert response.json()["code"] == "core.request_too_large"
    assert "import_max_bytes in [modules.catalogue]" in response.json()["detail"]
    assert "MOSAIC_MODULES__CATALOGUE__IMPORT_MAX_BYTES" in response.json()["detail"]


async def test_other_catalogue_routes_keep_the_kernel_body_limit(client, writer, category):
    body = {"sku": "X-1", "name": "X", "slug": "x", "price": "1", "category_id": category["id"]}

    response = await client.post(
        f"{API}/products", json=body | {"description": "d" * (1024 * 1024)}, headers=writer
    )

    assert response.status_code == 413
    assert response.json()["code"] == "core.request_too_large"
    assert response.json()["detail"].endswith("set by MOSAIC_MAX_BODY_SIZE.")


async def test_import_needs_catalogue_write(client, reader, catalogue):
    anonymous = await post_csv(client, {}, MIXED)
    without = await post_csv(client, reader, MIXED)

    assert anonymous.status_code == 401
    assert without.status_code == 403
    assert (await client.get(f"{API}/products")).json()["items"] == []


def rows(count: int, start: int = 0) -> str:
    lines = [
        f"S-{n},Name {n},name-{n},{n}.50,tools,,{n},active,steel|wood"
        for n in range(start, start + count)
    ]
    return "sku,name,slug,price,category,description,stock,status,tags\n" + "\n".join(lines)


@pytest.mark.parametrize("settings", [{"import_batch_size": 50}])
async def test_statements_grow_with_batches_not_rows(app, client, writer, catalogue):
    engine = kernel_of(app).database.engine

    with count_statements(engine) as one_batch:
        first = await post_csv(client, writer, rows(50))
    with count_statements(engine) as four_batches:
        second = await post_csv(client, writer, rows(200, start=50))

    assert first.json()["created"] == 50
    assert second.json()["created"] == 200
    # Each batch: products by SKU, slugs taken, categories, tags, then one INSERT of the new
    # products and one of their tag links.
    assert len(one_batch) == 6, "\n".join(s[:70] for s in one_batch.statements)
    assert len(four_batches) == 4 * 6, four_batches


def cli_kernel(database_url: str, tmp_path) -> Kernel:
    config = parse_plugins_document(
        {"modules": {"enabled": ["catalogue"], "catalogue": {"import_batch_size": 2}}},
        path=tmp_path / "plugins.toml",
        environ={},
    )
    return Kernel.load(
        Settings(database_url=database_url), config=config, plugins={"catalogue": plugin}
    )


async def run_cli(kernel: Kernel, *args: str, env: dict[str, str] | None = None):
    # In a thread: the command runs its own event loop, as it does from a terminal.
    return await asyncio.to_thread(
        CliRunner().invoke, catalogue_cli, list(args), obj=kernel, catch_exceptions=False, env=env
    )


async def test_cli_reports_every_row_and_is_idempotent(
    client, writer, catalogue, mosaic_database_url, tmp_path
):
    path = tmp_path / "products.csv"
    path.write_text(MIXED, encoding="utf-8")
    kernel = cli_kernel(mosaic_database_url, tmp_path)

    first = await run_cli(kernel, "import", str(path))
    second = await run_cli(kernel, "import", str(path))

    assert first.exit_code == 1  # rows were rejected
    lines = first.stdout.splitlines()
    for line, sku, hint in EXPECTED_REJECTIONS:
        assert any(
            out.startswith(f"line {line}: rejected ({sku}):") and hint in out for out in lines
        ), (line, first.stdout)
    assert lines[-1] == "created: 3, updated: 0, unchanged: 0, rejected: 6"
    assert second.stdout.splitlines()[-1] == "created: 0, updated: 0, unchanged: 3, rejected: 6"
    listed = (await client.get(f"{API}/products", headers=writer)).json()["items"]
    assert sorted(item["sku"] for item in listed) == ["HAM-1", "MULTI", "RAKE-1"]


async def test_cli_exits_0_on_a_clean_file(catalogue, mosaic_database_url, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text(rows(5), encoding="utf-8")

    result = await run_cli(cli_kernel(mosaic_database_url, tmp_path), "import", str(path))

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "created: 5, updated: 0, unchanged: 0, rejected: 0"


async def test_cli_refuses_an_unreadable_file(catalogue, mosaic_database_url, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("name,price\n", encoding="utf-8")

    result = await run_cli(cli_kernel(mosaic_database_url, tmp_path), "import", str(path))

    assert result.exit_code == 1
    assert "nothing was imported" in result.stderr


# Rich draws for a terminal when told one is there (TTY_COMPATIBLE), this wide (COLUMNS).
TERMINAL = {"TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "200"}
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


async def test_cli_progress_counts_rows_on_one_line_of_80_columns(
    catalogue, mosaic_database_url, tmp_path
):
    path = tmp_path / "products.csv"
    path.write_text(rows(40) + "\nBAD,Bad,bad,-1,tools,,1,active,", encoding="utf-8")

    result = await run_cli(
        cli_kernel(mosaic_database_url, tmp_path), "import", str(path), env=TERMINAL
    )

    assert result.exit_code == 1, result.output
    frames = [
        frame for frame in re.split(r"[\r\n]", _CONTROL.sub("", result.stderr)) if frame.strip()
    ]
    assert frames, "no progress was drawn"
    assert all(len(frame) <= 80 for frame in frames), frames
    assert re.search(r"100% +41 rows +1 rejected", frames[-1]), frames[-1]


async def test_cli_draws_no_progress_when_stderr_is_not_a_terminal(
    catalogue, mosaic_database_url, tmp_path
):
    path = tmp_path / "products.csv"
    path.write_text(rows(40), encoding="utf-8")

    result = await run_cli(cli_kernel(mosaic_database_url, tmp_path), "import", str(path))

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == ["created: 40, updated: 0, unchanged: 0, rejected: 0"]


def test_the_command_is_registered():
    (group,) = plugin.mosaic_describe_module().commands

    assert group.name == "catalogue"
    assert "import" in group.commands  # type: ignore[attr-defined]
