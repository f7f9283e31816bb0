"""Licensed content: licensee institutions, licence agreements and their named seats (and, to come, the
content bundles seat holders download)."""
