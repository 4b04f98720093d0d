"""HTTP routers: each translates requests to one data-access area and back, nothing more."""
