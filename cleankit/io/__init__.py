"""Reading corpora and writing outputs."""
