from .cast import cast  # noqa: F401  (the fixed cast of regions, organisations and users)
