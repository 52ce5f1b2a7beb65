"""The bookmarks module. Other modules import only ``mosaic_bookmarks.api``."""
