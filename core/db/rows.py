"""The type of a row a read returns: whatever columns its statement selects."""

from typing import Any

from sqlalchemy import Row

#: A row of any statement; its columns are read by name (``row.price``), as a response schema
#: reads them (:func:`core.answer`).
AnyRow = Row[*tuple[Any, ...]]
