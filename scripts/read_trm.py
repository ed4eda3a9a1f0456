#!/usr/bin/env python3
"""Reads a TotalRecall model file (.trm) with numpy alone; docs/MODEL_FORMAT.md describes the bytes.

    python3 scripts/read_trm.py model.trm      # prints a JSON summary
    from read_trm import read; m = read("model.trm"); m["users"] @ m["items"].T
"""
import json, struct, sys
import numpy as np

def _ids(buf, n_expected):
    kind, count = buf[0], struct.unpack_from("<I", buf, 1)[0]
    if kind == 0:
        return [str(k) for k in range(count)]
    ids, pos = [], 5
    for _ in range(count):
        (length,) = struct.unpack_from("<I", buf, pos)
        ids.append(buf[pos + 4:pos + 4 + length].decode("utf-8"))
        pos += 4 + length
    return ids

def read(path):
    data = open(path, "rb").read()
    if data[:8] != b"TRMODEL\0":
        raise ValueError(f"{path}: not a TotalRecall model (bad magic)")
    (version,) = struct.unpack_from("<I", data, 8)
    sections, pos = {}, 16
    while True:
        tag, length = struct.unpack_from("<IQ", data, pos)
        payload = data[pos + 16:pos + 16 + length]
        pos += 16 + length + 4
        if tag == 0xFFFFFFFF:
            break
        sections[tag] = payload
    meta = json.loads(sections[1].decode("utf-8"))
    n_users, n_items, dim = meta["model"]["numUsers"], meta["model"]["numItems"], meta["model"]["dim"]
    model = {"version": version, "meta": meta,
             "user_ids": _ids(sections[2], n_users), "item_ids": _ids(sections[3], n_items),
             "users": np.frombuffer(sections[4], dtype="<f4").reshape(n_users, dim),
             "items": np.frombuffer(sections[5], dtype="<f4").reshape(n_items, dim)}
    if 7 in sections:
        model["h"] = np.frombuffer(sections[7], dtype="<f4")
    return model

if __name__ == "__main__":
    m = read(sys.argv[1])
    print(json.dumps({"version": m["version"], "scorer": m["meta"]["model"]["scorer"], "users": len(m["user_ids"]),
                      "items": len(m["item_ids"]), "dim": int(m["users"].shape[1]), "firstUserId": m["user_ids"][0],
                      "lastItemId": m["item_ids"][-1], "userSum": float(m["users"].astype(np.float64).sum()),
                      "itemSum": float(m["items"].astype(np.float64).sum())}))
