"""Published national statistics (DfE's LAIT, Explore Education Statistics): read, recognise, import, compare."""
