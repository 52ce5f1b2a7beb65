"""Periodic jobs: housekeeping a module asks the kernel to run in every worker, on a schedule."""
