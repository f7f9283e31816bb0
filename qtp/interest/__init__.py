"""The International Interest Survey: visitors tell the program where and how they would take part."""
