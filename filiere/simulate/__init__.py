"""The scenario simulator: a synthetic smuggling world, exported as several agencies' files, with its answer key.

Entry point: :func:`filiere.simulate.run.simulate`.  The modules each do one job:

* :mod:`.config` — sizes and options; :mod:`.streams` — seeded random streams;
* :mod:`.names`, :mod:`.phones`, :mod:`.plates` — identities, numbers and plates, and how agencies write them;
* :mod:`.world` — people, roles, phone lines and burners, call ties; :mod:`.population` — networks, members,
  the background population, vehicles;
* :mod:`.journeys` — migrants' journeys: recruitment, payments, crossings, interviews;
* :mod:`.calls` — call records generated in time windows with numpy, streamed to disk;
* :mod:`.agencies` — each agency's language, formats and grading; :mod:`.render` — a person as an agency writes them;
* :mod:`.exports_fr`, :mod:`.exports_uk`, :mod:`.exports_be` — what each agency holds;
* :mod:`.writer` — CSV/mapping writing; :mod:`.answer_key`; :mod:`.dirty` — deliberately malformed rows.
"""
