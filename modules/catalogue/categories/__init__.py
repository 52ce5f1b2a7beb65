"""Categories: the tree products are filed in."""
