"""`tinygen demo`: the whole product on a dataset that ships with scikit-learn."""
