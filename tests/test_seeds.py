import pytest

from augreg import base_seed, experiment_seeds


def test_base_seed_reads_the_environment(monkeypatch):
    monkeypatch.delenv("AUGREG_SEED", raising=False)
    assert base_seed() == 0
    monkeypatch.setenv("AUGREG_SEED", " 3 ")
    assert base_seed() == 3
    for bad in ("-1", "one", "1.5"):
        monkeypatch.setenv("AUGREG_SEED", bad)
        with pytest.raises(ValueError, match="AUGREG_SEED must be a non-negative integer"):
            base_seed()


def test_experiment_seeds_never_overlap_between_bases(monkeypatch):
    monkeypatch.setenv("AUGREG_SEED", "2")
    assert experiment_seeds(5) == [2000, 2001, 2002, 2003, 2004]
    assert experiment_seeds(5, base=0) == [0, 1, 2, 3, 4]
    runs = [set(experiment_seeds(20, base=b)) for b in range(4)]
    assert all(not (runs[i] & runs[j]) for i in range(4) for j in range(i + 1, 4))


@pytest.mark.parametrize("n, base", [(0, 0), (1000, 0), (2.0, 0), (True, 0), (5, -1), (5, 1.5)])
def test_experiment_seeds_rejects_bad_arguments(n, base):
    with pytest.raises((TypeError, ValueError)):
        experiment_seeds(n, base=base)
