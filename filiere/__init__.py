"""filiere: turn several agencies' exports into one resolved, lawful picture of smuggling networks."""

__version__ = "0.1.0"
