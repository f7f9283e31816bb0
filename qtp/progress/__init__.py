"""Progress: a participant's program, modules, knowledge checks and pre/post self-assessment."""
