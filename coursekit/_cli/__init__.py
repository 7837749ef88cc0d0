"""Commands of the ``course`` CLI, one module per area; each defines ``register(group)``."""
