"""Run in a fresh interpreter by ``bench/startup.py``: times building the application.

Prints one JSON line: seconds for importing the kernel, loading the modules and building the
application (``create_app``), then seconds for the first OpenAPI document, and the number of
enabled modules and routes. The configuration comes from the environment, as for ``mosaic serve``.
"""

import time

started = time.perf_counter()

import json  # noqa: E402 - the imports are part of what is timed

from core.app import create_app  # noqa: E402
from core.testing.kernel import kernel_of  # noqa: E402

app = create_app()
built = time.perf_counter()
document = app.openapi()
documented = time.perf_counter()
print(
    json.dumps(
        {
            "load_build_s": built - started,
            "openapi_s": documented - built,
            "modules": len(kernel_of(app).enabled),
            "paths": len(document["paths"]),
        }
    )
)
