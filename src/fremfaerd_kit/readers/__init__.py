"""Readers: content and decks from the files people write and send (YAML, CSV, Excel),
each through the reading gate, each keeping where every value came from for errors."""
