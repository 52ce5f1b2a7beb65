"""Schemathesis over the whole OpenAPI document of every installed module, in process.

Every operation is exercised with positive and negative data in every phase Schemathesis runs for
an outside user: examples, coverage and fuzzing (``test_api``, one item per operation), then
stateful sequences that follow the links between operations (``test_api_workflows``). Every
response is judged by all of Schemathesis's default checks (server errors, status codes, content
types, headers, response schemas, acceptance of valid and rejection of invalid input, unsupported
methods, resources used after deletion, ...). Nothing is excluded: a failure means the API or its
OpenAPI document is wrong. The few operations taking opaque values the API issued are described in
``OPAQUE_VALUE_REFUSALS``.

Every operation runs twice: as an anonymous client, and with the bearer token of an administrator
(created with ``mosaic users create-admin``, logged in through the password flow), so the routes
that need a permission are exercised past their 401.

Each run draws new data from a new seed, so runs explore more than one fixed sample. The seed is
printed in the report header (and after the failures); to replay a run, set it again, for instance
``MOSAIC_SCHEMATHESIS_SEED=1234 pytest tests/test_api_schemathesis.py -k "POST and
bookmarks/items]"``.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import hypothesis
import pytest
import schemathesis
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis import Case, CheckContext, CheckFunction, Response
from schemathesis.config import PositiveDataAcceptanceConfig
from sqlalchemy.engine import make_url

from core.kernel.discovery import discover_plugins
from tests.schemathesis_app import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    APP_UNDER_TEST,
    build_migrated_app,
    create_administrator,
    database_kind,
    openapi_document,
    schemathesis_seed,
)

# Opaque values: the API issues them and takes them back, and nothing else. Their schemas say what
# they look like (alphabet, length), but a value that looks right may still be none the API issued,
# and the API then refuses it with a documented error, which no schema can rule out beforehand.
# For these operations only, Schemathesis's `positive_data_acceptance` check takes that status as
# an answer to schema-valid data, and `opaque_value_refused` below checks it is that refusal: the
# problem's code must be this operation's, so no other error (a validation failure, say) passes.
# Anything a better schema can describe is described by the schema instead, never listed here.
OPAQUE_VALUE_REFUSALS: dict[str, tuple[int, frozenset[str]]] = {
    # `cursor` is the `next` of an earlier page: the encoded position (sort, sort key and id of
    # the page's last product) the listing resumes from. A string of the same alphabet and length
    # that does not decode to one, or was issued for another `sort`, gets 400.
    "GET /api/v1/catalogue/products": (400, frozenset({"core.invalid_cursor"})),
    # The same for the accounts listing's `cursor` (created_at and id of the page's last account),
    # also refused with 400 (the listing needs `users:admin`: the administrator runs reach it).
    "GET /api/v1/users": (400, frozenset({"core.invalid_cursor"})),
    # The same for the audit trail's `cursor` (administrators only).
    "GET /api/v1/audit/entries": (400, frozenset({"core.invalid_cursor"})),
    # `refresh_token` is a signed token this API issued; any other string is an invalid grant
    # (RFC 6749 §5.2). The token endpoint (`POST /api/v1/auth/token`: passwords, and refresh
    # tokens with `grant_type=refresh_token`) is not listed: it is the `tokenUrl` of the OAuth2
    # security scheme, where Schemathesis itself expects the credentials it draws to be refused
    # (`positive_data_acceptance` takes 400 and 422 there).
    "POST /api/v1/auth/refresh": (400, frozenset({"auth.invalid_grant"})),
    # `token` is the single-use token of a mailed link (43 URL-safe characters, as the schema
    # says); any other, and one used or expired, is refused with 400.
    "POST /api/v1/users/verify": (400, frozenset({"users.invalid_verification_token"})),
    "POST /api/v1/users/password-reset/confirm": (400, frozenset({"users.invalid_reset_token"})),
    # The current password is a secret no schema can know: any other is 422.
    "POST /api/v1/users/me/password": (422, frozenset({"users.wrong_password"})),
    # Roles are the deployment's (plugins.toml), not the document's: an unknown one is 422.
    "PATCH /api/v1/users/{user_id}": (422, frozenset({"users.unknown_role"})),
    # A category or tag named by id or slug must exist: one that does not is 422.
    "POST /api/v1/catalogue/categories": (422, frozenset({"catalogue.unknown_category"})),
    "POST /api/v1/catalogue/products": (
        422,
        frozenset({"catalogue.unknown_category", "catalogue.unknown_tag"}),
    ),
    # The same for the orders listing's `cursor` (created_at and id of the page's last order).
    "GET /api/v1/orders": (400, frozenset({"core.invalid_cursor"})),
    # A line names a product by the id or SKU the catalogue issued: one it does not have, or does
    # not offer, is 422. So are the rules no schema states: each product on one line only (by id
    # or SKU alike), at least one line, and the deployment's `max_lines` and `max_quantity`
    # (settings, which the schema's bounds only cap).
    "POST /api/v1/orders": (
        422,
        frozenset(
            {
                "orders.unknown_product",
                "orders.product_unavailable",
                "orders.duplicate_line",
                "orders.empty_order",
                "orders.too_many_lines",
                "orders.quantity_limit",
            }
        ),
    ),
    # `If-Match` names the order's `ETag`, which the API issued: any other is 412.
    **{
        f"POST /api/v1/orders/{{order_id}}/{action}": (412, frozenset({"orders.version_mismatch"}))
        for action in ("pay", "cancel", "fulfil", "refund")
    },
    # The file's content is CSV whose rows no schema describes; an empty or headerless file is 400.
    "POST /api/v1/catalogue/products/import": (400, frozenset({"catalogue.invalid_import_file"})),
}
# What valid data may get everywhere: Schemathesis's default.
POSITIVE_DATA_STATUSES = PositiveDataAcceptanceConfig().expected_statuses

# Bounded, and reproducible from the run's seed (`tests/conftest.py` draws it once per run, for
# every xdist worker alike). No example database, and Hypothesis's caches go to the temporary
# directory, so nothing is written into the working tree.
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": schemathesis_seed(),
        "generation": {
            "mode": "all",
            "max-examples": 25,
            "database": "none",
        },
        "operations": [
            {
                "include-name": operation,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [*POSITIVE_DATA_STATUSES, str(status)]
                    }
                },
            }
            for operation, (status, _code) in OPAQUE_VALUE_REFUSALS.items()
        ],
    }
)
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "mosaic-hypothesis")

# Every installed module: the example module today, each new one as soon as it is installed.
PLUGINS = discover_plugins()
DOCUMENT = openapi_document(PLUGINS)
# Schemathesis parametrizes at collection time, before any database exists; the document is the
# one every test's application serves (checked below), and requests reach that application in
# process, through ``APP_UNDER_TEST``. (``schemathesis.pytest.from_fixture`` would load it from a
# fixture instead, but Schemathesis 4.32 reads ``request.node._nodeid``, which pytest 9.2 removed.)
schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT), config=CONFIG)
schema.app = APP_UNDER_TEST


# Each operation runs as an anonymous client, then as an administrator, whose token opens the
# routes that need a permission: past their 401, their own rules and refusals are exercised too.
CREDENTIALS = ["anonymous", "administrator"]


@pytest.fixture
def app_under_test(
    database: str, credentials: str, mosaic_database_url: str, tmp_path: Path
) -> Iterator[None]:
    """Binds a fresh application, every installed module enabled, over a migrated database (with
    an administrator's account for the ``administrator`` runs)."""
    assert make_url(mosaic_database_url).get_backend_name() == database
    app = build_migrated_app(mosaic_database_url, PLUGINS)
    assert app.openapi() == DOCUMENT
    if credentials == "administrator":
        create_administrator(mosaic_database_url, PLUGINS, tmp_path)
    with APP_UNDER_TEST.bound(app):
        yield


def token_url() -> str:
    """The path where the API's OAuth2 password flow issues tokens, as its OpenAPI says."""
    [url] = {
        scheme["flows"]["password"]["tokenUrl"]
        for scheme in DOCUMENT["components"]["securitySchemes"].values()
        if scheme["type"] == "oauth2" and "password" in scheme["flows"]
    }
    return f"/{url.lstrip('/')}"


# The headers the current test's requests carry (set by the ``credentials_sent`` fixture). Not a
# fixture argument: Hypothesis refuses those of function scope, as it calls the test per example.
HEADERS: dict[str, str] = {}


@pytest.fixture
def credentials_sent(app_under_test: None, credentials: str) -> Iterator[None]:
    """Fills ``HEADERS`` for the test: an administrator's bearer token, obtained once through
    the password flow as a client does, or nothing for an anonymous client."""
    if credentials == "administrator":
        login = schema[token_url()]["POST"].Case(
            body={"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
            media_type="application/x-www-form-urlencoded",
        )
        response = login.call()
        assert response.status_code == 200, response.text
        HEADERS["Authorization"] = f"Bearer {response.json()['access_token']}"
    try:
        yield
    finally:
        HEADERS.clear()


# The parameter names the database in each test id, ``test_api[GET /health/live][sqlite]``. It
# also keeps the ids distinct: pytest 9.2 builds an item's id from its original name and its
# parameters only, so without one every operation's item would be ``test_api`` (and pytest-xdist
# would run and report the wrong items).
@pytest.mark.parametrize("credentials", CREDENTIALS)
@pytest.mark.parametrize("database", [database_kind()])
@pytest.mark.usefixtures("credentials_sent")
@schema.parametrize()
def test_api(case: Case[Any]) -> None:
    case.call_and_validate(headers=dict(HEADERS), additional_checks=[opaque_value_refused])


# The stateful phase runs `max-examples` scenarios in all, in suites of its own seeds; a suite can
# end early (see `test_api_workflows`), so there are at most this many.
MAX_WORKFLOW_SUITES = 5


@pytest.mark.parametrize("credentials", CREDENTIALS)
@pytest.mark.parametrize("database", [database_kind()])
@pytest.mark.usefixtures("credentials_sent")
def test_api_workflows() -> None:
    settings = CONFIG.projects.default.get_hypothesis_settings(phase="stateful")

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        scenarios: ClassVar[int] = 0

        def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
            return {"headers": dict(HEADERS)}

        def validate_response(
            self,
            response: Response,
            case: Case[Any],
            additional_checks: list[CheckFunction] | None = None,
            **kwargs: Any,
        ) -> None:
            checks = [*(additional_checks or []), opaque_value_refused]
            super().validate_response(response, case, additional_checks=checks, **kwargs)

        def teardown(self) -> None:
            Workflow.scenarios += 1
            super().teardown()

    for suite in range(MAX_WORKFLOW_SUITES):
        if Workflow.scenarios >= settings.max_examples:
            break
        Workflow.rule_order_seed = CONFIG.seed + suite
        try:
            hypothesis.seed(CONFIG.seed + suite)(Workflow).run(settings=settings)
        except FlakyStrategyDefinition:
            # The API's data outlives a scenario, so one may find empty a bundle that an earlier
            # one, drawn alike, found full (an account registered twice is a 409 the second time).
            # Schemathesis's own runner ends the suite there too, and starts another.
            continue


def test_every_phase_runs_from_the_runs_seed() -> None:
    project = CONFIG.projects.default
    phases = project.phases

    assert phases.examples.enabled
    assert phases.coverage.enabled
    assert phases.fuzzing.enabled
    assert phases.stateful.enabled
    assert not project.generation.deterministic
    assert CONFIG.seed == schemathesis_seed()


def opaque_value_refused(_ctx: CheckContext, response: Response, case: Case[Any]) -> None:
    """Valid data refused with an operation's extra status (``OPAQUE_VALUE_REFUSALS``) must be
    refused as an opaque value the API did not issue: with that operation's code."""
    refusal = OPAQUE_VALUE_REFUSALS.get(case.operation.label)
    if refusal is None or case.meta is None or not case.meta.generation.mode.is_positive:
        return
    status, codes = refusal
    if response.status_code == status:
        problem = response.json()
        assert problem.get("code") in codes, (
            f"Valid data got {status} {problem.get('code')!r}; with this status, only "
            f"{', '.join(sorted(codes))} (a value no schema can rule out) may answer it."
        )
