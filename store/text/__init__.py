"""Text in: reading and decoding a report, cleaning it, its script (原文/简体/繁體) and word segmentation."""
