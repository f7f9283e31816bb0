"""Licensed-content bundles, built from the files in courses/: per product and language, the slide decks
(PowerPoint and PDF), and a manifest of every file with its size and SHA-256."""
