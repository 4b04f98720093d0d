"""Entity resolution: persons, phones, vehicles and accounts resolved across agencies with evidence."""
