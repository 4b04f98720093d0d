"""The link graph: person–person edges aggregated in SQL from the resolved tables, loaded into igraph."""
