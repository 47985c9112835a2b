"""The portfolio on a dask.distributed cluster gives exactly the serial result.

A ``LocalCluster`` of two worker processes (one thread each, no dashboard, on the loopback
interface) and a ``Client`` on it: the client is the executor (it has ``submit``; its futures
have ``result()``). The example portfolio is loaded and evaluated through it, and a portfolio
sweep run on it; the JSON dumps equal the serial ones byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from foerdermittel.portfolio import (
    compare_portfolio,
    evaluate_portfolio,
    load_portfolio,
    slip,
    sweep_portfolio,
)

distributed = pytest.importorskip("distributed")

AS_OF = date(2025, 6, 30)
EXAMPLE = "examples/portfolio/portfolio.toml"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


def test_portfolio_on_a_cluster_is_the_serial_result(client: Any) -> None:
    serial = evaluate_portfolio(load_portfolio(EXAMPLE), AS_OF)
    on_cluster = evaluate_portfolio(load_portfolio(EXAMPLE, client), AS_OF, executor=client)
    assert on_cluster.to_json() == serial.to_json()
    assert sorted({f.code for f in on_cluster.findings if f.severity == "error"}) == [
        "double-claim",
        "own-share-above-appropriation",
    ]


def test_sweep_and_compare_on_a_cluster_are_the_serial_result(client: Any) -> None:
    portfolio = load_portfolio(EXAMPLE)
    grid = {"delay_months": [0, 6], "extend": [True, False]}
    serial = sweep_portfolio(portfolio, grid, as_of=AS_OF)
    assert sweep_portfolio(portfolio, grid, as_of=AS_OF, executor=client).to_json() == (
        serial.to_json()
    )
    compared = compare_portfolio(portfolio, [slip(6)], as_of=AS_OF, executor=client)
    assert compared.to_json() == compare_portfolio(portfolio, [slip(6)], as_of=AS_OF).to_json()
