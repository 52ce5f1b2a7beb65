"""The README's shell example of an account and its login, run against the application.

Each ``curl`` line of the example is read as curl reads it (``-H``, ``-d``, ``--data-urlencode``;
a body makes it a POST, form-encoded unless a ``Content-Type`` says otherwise) and sent, so the
documented token request cannot drift from what the endpoint accepts.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit

from tests.core.installed import ROOT

# The fenced shell blocks of the README, with their indentation.
_BLOCK = re.compile(r"^( *)```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


@dataclass
class Curl:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    data: list[str] = field(default_factory=list)

    @property
    def method(self) -> str:
        return "POST" if self.data else "GET"

    @property
    def body(self) -> str:
        return "&".join(self.data)


def parse_curl(line: str) -> Curl:
    words = shlex.split(line)
    assert words[0] == "curl", line
    curl = Curl(url="")
    arguments = iter(words[1:])
    for word in arguments:
        if word == "-s":
            continue
        if word == "-H":
            name, _, value = next(arguments).partition(":")
            curl.headers[name.strip()] = value.strip()
        elif word in {"-d", "--data"}:
            curl.data.append(next(arguments))
        elif word == "--data-urlencode":
            name, _, value = next(arguments).partition("=")
            curl.data.append(f"{name}={quote(value, safe='')}")
        else:
            assert word.startswith("http"), f"the test does not read curl's {word!r}"
            curl.url = word
    if curl.data:  # curl's default for -d
        curl.headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return curl


def readme_token_example() -> list[str]:
    """The curl commands of the README block that asks for a token, continued lines joined."""
    readme = (ROOT / "README.md").read_text()
    blocks = [body for _, body in _BLOCK.findall(readme) if "/api/v1/auth/token" in body]
    assert len(blocks) == 1, "the README shows one token request"
    text = re.sub(r"\\\n\s*", "", blocks[0])
    return [line.strip() for line in text.splitlines() if line.strip().startswith("curl")]


def test_the_example_sends_the_whole_password_form():
    [token] = [parse_curl(line) for line in readme_token_example() if "/auth/token" in line]

    form = parse_qs(token.body)
    assert set(form) == {"grant_type", "username", "password"}
    assert form["grant_type"] == ["password"]


async def test_the_readme_example_registers_logs_in_and_reads_the_account(client):
    access_token = ""
    answers = []
    for line in readme_token_example():
        curl = parse_curl(line.replace("$ACCESS_TOKEN", access_token))
        response = await client.request(
            curl.method, urlsplit(curl.url).path, content=curl.body or None, headers=curl.headers
        )
        answers.append(response)
        access_token = response.json().get("access_token", access_token)

    registered, token, me = answers
    assert registered.status_code == 201, registered.text
    assert token.status_code == 200, token.text
    assert me.status_code == 200, me.text
    assert me.json()["email"] == registered.json()["email"]
