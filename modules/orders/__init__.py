"""Orders: checkout with stock reservation, payment states and expiry. Other modules import only
``modules.orders.api``."""
