"""The catalogue module: categories, products, tags, stock and bulk import.

Other modules import only ``modules.catalogue.api``; the module's README describes its API,
its settings and the CSV import format.
"""
