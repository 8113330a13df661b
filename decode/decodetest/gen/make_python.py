#!/usr/bin/env python3
"""Writes the Python-made fixtures of decode's corpus (decode/decodetest/corpus/py_*.bin).

Run from decode/decodetest/gen: python3 make_python.py. The fixtures are committed because
CI may have no python3; rerun after changing what they hold.
"""
import gzip
import json
import pickle
import zlib
from collections import OrderedDict


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


DOC = {
    "name": "Ada",
    "age": 36,
    "ratio": 0.5,
    "tags": ["math", "engines"],
    "active": True,
    "nothing": None,
    "blob": b"\x00\x01\xff",
    "big": 2**80,
    "neg": -70000,
    "pair": (1, "two"),
    "set": {3},
    "ordered": OrderedDict([("b", 1), ("a", 2)]),
    "where": Point(3, 4),
}

JSON_DOC = json.dumps({"user": "ada", "roles": ["admin", "dev"], "n": 1.25}).encode()


def write(name, data):
    with open("../corpus/" + name, "wb") as f:
        f.write(data)


for proto in (0, 2, 4, 5):
    write(f"py_pickle_p{proto}.bin", pickle.dumps(DOC, protocol=proto))
shared = [1, 2]
write("py_pickle_shared.bin", pickle.dumps({"a": shared, "b": shared}, protocol=2))
write("py_zlib9_json.bin", zlib.compress(JSON_DOC, 9))
write("py_zlib1_json.bin", zlib.compress(JSON_DOC, 1))
write("py_gzip_json.bin", gzip.compress(JSON_DOC, mtime=0))
write("py_zlib_pickle.bin", zlib.compress(pickle.dumps(DOC, protocol=4)))
