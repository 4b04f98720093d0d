"""Clustering honours must-link and cannot-link judgements, and otherwise equals connected components."""

from __future__ import annotations

import random

import networkx as nx

from filiere.resolve.clusters import cluster


def groups(labels) -> set[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for node, lab in enumerate(labels):
        out.setdefault(int(lab), set()).add(node)
    return {frozenset(g) for g in out.values()}


def test_cannot_link_breaks_a_chain_at_its_weakest_link() -> None:
    # 0-1 strong, 1-2 weaker, 0 and 2 judged different: 2 must leave, 0 and 1 stay together
    res = cluster(3, [0, 1], [1, 2], [0.99, 0.95], cannot_link=[(0, 2)])
    assert groups(res.labels) == {frozenset({0, 1}), frozenset({2})}
    assert res.refused_edges == 1


def test_must_link_joins_unconnected_mentions() -> None:
    res = cluster(4, [0], [1], [0.97], must_link=[(2, 3), (1, 3)])
    assert groups(res.labels) == {frozenset({0, 1, 2, 3})}


def test_must_link_contradicting_cannot_link_is_refused() -> None:
    res = cluster(3, [], [], [], must_link=[(0, 1), (1, 2)], cannot_link=[(0, 2)])
    assert groups(res.labels) == {frozenset({0, 1}), frozenset({2})}
    assert res.refused_same == [(1, 2)]


def test_judgements_win_over_the_model() -> None:
    # the model joins 0-1; the analyst says 1 is 2 and 0 is not 2: the model edge gives way
    res = cluster(3, [0], [1], [0.999], must_link=[(1, 2)], cannot_link=[(0, 2)])
    assert groups(res.labels) == {frozenset({1, 2}), frozenset({0})}
    assert res.refused_same == []


def test_inferred_cannot_link_splits_what_the_model_joined() -> None:
    # three namesakes chained by the model; numbers show 0 and 2 phoned each other: 2 leaves at the weakest link
    res = cluster(3, [0, 1], [1, 2], [0.99, 0.95], inferred_cannot_link=[(0, 2)])
    assert groups(res.labels) == {frozenset({0, 1}), frozenset({2})}


def test_an_analysts_same_wins_over_inferred_cannot_link() -> None:
    # the analyst says 0 and 2 are one man although their numbers called each other: honoured
    res = cluster(3, [0], [1], [0.99], must_link=[(0, 2)], inferred_cannot_link=[(0, 2), (1, 2)])
    assert groups(res.labels) == {frozenset({0, 2}), frozenset({1})}
    assert res.refused_same == []
    # whereas an analyst's own 'different' still refuses a contradicting 'same'
    res = cluster(3, [], [], [], must_link=[(0, 2)], cannot_link=[(0, 2)])
    assert res.refused_same == [(0, 2)]


def test_labels_are_smallest_member() -> None:
    res = cluster(5, [4, 3], [3, 1], [0.99, 0.99])
    assert list(res.labels) == [0, 1, 2, 1, 1]


def test_random_graphs_match_connected_components_and_never_join_cannot_links() -> None:
    rng = random.Random(3)
    for _ in range(30):
        n = rng.randrange(5, 60)
        m = rng.randrange(0, 2 * n)
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(m)]
        edges = [(a, b) for a, b in edges if a != b]
        probs = [rng.uniform(0.9, 1.0) for _ in edges]
        res = cluster(n, [a for a, _ in edges], [b for _, b in edges], probs)
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)
        assert groups(res.labels) == {frozenset(c) for c in nx.connected_components(g)}

        cannot = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randrange(1, 6))]
        cannot = [(a, b) for a, b in cannot if a != b]
        constrained = cluster(n, [a for a, _ in edges], [b for _, b in edges], probs, cannot_link=cannot)
        for a, b in cannot:
            assert constrained.labels[a] != constrained.labels[b]
        # constraints only split: every constrained cluster lies inside one unconstrained component
        for grp in groups(constrained.labels):
            assert len({int(res.labels[i]) for i in grp}) == 1


def test_a_victims_record_and_a_suspects_are_never_one_person_on_the_models_word() -> None:
    # 0, 1: a migrant's records (class 1); 2, 3: an organiser's (class 2); 4: a record of no category.
    # The model chains them all (the organiser shares the migrant's birth date); the weakest link between the
    # two sides gives way, and the uncategorised record stays with the side it is most strongly tied to.
    classes = [1, 1, 2, 2, 0]
    res = cluster(5, [0, 1, 2, 3], [1, 2, 3, 4], [0.99, 0.93, 0.99, 0.97], apart_class=classes)
    assert groups(res.labels) == {frozenset({0, 1}), frozenset({2, 3, 4})}
    assert res.refused_edges == 1 and res.split_by_class == 1
    # without the classes the model's chain stands: one person
    assert groups(cluster(5, [0, 1, 2, 3], [1, 2, 3, 4], [0.99, 0.93, 0.99, 0.97]).labels) == {
        frozenset(range(5))}


def test_an_uncategorised_record_cannot_bridge_a_victim_and_a_suspect() -> None:
    # 0 victim - 2 unknown - 1 suspect, the suspect's link the weaker: 1 stays out
    res = cluster(3, [0, 2], [2, 1], [0.98, 0.95], apart_class=[1, 2, 0])
    assert groups(res.labels) == {frozenset({0, 2}), frozenset({1})}


def test_an_analysts_same_joins_a_victim_and_a_suspect_and_the_persons_other_records_follow() -> None:
    # a migrant charged with steering the boat: the analyst judges his victim record 0 and suspect record 1 one
    # man; his other victim record 2 (tied to 0 by the model) and an uncategorised record 3 (tied to 1) follow
    res = cluster(4, [0, 1], [2, 3], [0.99, 0.99], must_link=[(0, 1)], apart_class=[1, 2, 1, 0])
    assert groups(res.labels) == {frozenset({0, 1, 2, 3})}
    assert res.refused_same == [] and res.refused_edges == 0 and res.split_by_class == 0
    # without the judgement the victim's records and the suspect's stay two persons
    res = cluster(4, [0, 1, 2], [2, 3, 3], [0.99, 0.99, 0.95], apart_class=[1, 2, 1, 0])
    assert groups(res.labels) == {frozenset({0, 2}), frozenset({1, 3})}


def test_classes_apart_leave_components_of_one_class_alone() -> None:
    rng = random.Random(5)
    for _ in range(20):
        n = rng.randrange(5, 50)
        edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randrange(0, 2 * n))]
        edges = [(a, b) for a, b in edges if a != b]
        probs = [rng.uniform(0.9, 1.0) for _ in edges]
        classes = [rng.choice([0, 0, 1, 2]) for _ in range(n)]
        plain = cluster(n, [a for a, _ in edges], [b for _, b in edges], probs)
        kept = cluster(n, [a for a, _ in edges], [b for _, b in edges], probs, apart_class=classes)
        for grp in groups(kept.labels):
            assert not ({classes[i] for i in grp} >= {1, 2})
            assert len({int(plain.labels[i]) for i in grp}) == 1  # only splits
        for grp in groups(plain.labels):
            if not ({classes[i] for i in grp} >= {1, 2}):
                assert grp in groups(kept.labels)  # untouched
