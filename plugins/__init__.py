"""cleankit's built-in cleaners, one module each, registered like third-party plugins.

Shipped as `cleankit.plugins`; import them only under that name.
"""
