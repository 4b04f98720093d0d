"""Data access per area. Every function takes a :class:`filiere.access.Scoped` and so applies the access rule."""
