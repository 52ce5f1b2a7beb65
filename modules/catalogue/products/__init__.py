"""Products: browsing, reading and writing them, their stock, and the CSV import."""
