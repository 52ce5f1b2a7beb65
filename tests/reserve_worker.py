"""One process of the oversell test: COUNT concurrent reservations of one unit of PRODUCT_ID.

Prints one word per attempt, ``reserved`` or ``out_of_stock``.
"""

from __future__ import annotations

import asyncio
import sys

from core.kernel.kernel import Kernel
from modules.catalogue.api import Catalogue, OutOfStock


async def attempt(kernel: Kernel, product_id: int) -> str:
    try:
        async with kernel.database.unit_of_work() as uow:
            await Catalogue.of(kernel, uow).reserve_stock(product_id=product_id, quantity=1)
    except OutOfStock:
        return "out_of_stock"
    return "reserved"


async def main(product_id: int, count: int) -> None:
    kernel = Kernel.load()
    try:
        results = await asyncio.gather(*(attempt(kernel, product_id) for _ in range(count)))
    finally:
        await kernel.database.dispose()
    print(" ".join(results))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
