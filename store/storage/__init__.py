"""Storage: the TinyDB records file, the CRC'd texts file beside it, and the writer lock."""
