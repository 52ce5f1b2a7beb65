"""What the service tells its operators: structured logs, the request log and Prometheus metrics."""
