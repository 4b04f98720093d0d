"""Reading published edge lists: declared sizes, numeric ids, clear errors."""

from __future__ import annotations

import pytest

from filiere.analyze.dismantle.edgelist import read_edge_list
from filiere.errors import InputError


def test_declared_size_keeps_isolated_vertices(tmp_path):
    path = tmp_path / "g.el"
    path.write_text("# undirected; N=5\n0 1\n1 2\n2 1\n")
    g = read_edge_list(path)
    assert g.vcount() == 5
    assert g.ecount() == 2  # the reversed duplicate is merged


def test_numeric_names_keep_numeric_order(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("10\t2\t1\n2\t3\t4\n")
    g = read_edge_list(path)
    assert g.vs["name"] == ["2", "3", "10"]
    assert g.are_adjacent(0, 2)


def test_bad_row_names_file_and_row(tmp_path):
    path = tmp_path / "bad.el"
    path.write_text("# N=3\n0 1\n1 7\n")
    with pytest.raises(InputError) as err:
        read_edge_list(path)
    assert "bad.el" in str(err.value) and "row 3" in str(err.value)
    path.write_text("0 1\nlonely\n")
    with pytest.raises(InputError, match="row 2"):
        read_edge_list(path)


def test_csv_with_header_and_spaces_in_names(tmp_path):
    path = tmp_path / "edges.csv"
    path.write_text("source,target,weight\nALBANESE Giuseppe,CAMMARERI Annunziato,1\nCAMMARERI Annunziato,X Y,2\n")
    g = read_edge_list(path)
    assert g.vcount() == 3
    assert g.vs["name"][0] == "ALBANESE Giuseppe"
