# Loads the course's pytest plugin, so that `pytest exercises/` grades the exercise files listed in course.toml.
pytest_plugins = ["coursekit.pytest_plugin"]
