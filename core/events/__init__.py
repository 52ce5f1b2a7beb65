"""Events between modules: a publication registry in the Unit of Work, delivered after commit."""
