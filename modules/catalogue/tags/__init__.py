"""Tags: labels products name by slug."""
