"""Data shipped inside the package: the question bank (questions, categories, presets, rubrics, the
calibration set) and the LLM prompts. Read through `app.paths` (importlib.resources), never by a path
relative to the repository, so an installed wheel finds them too."""
