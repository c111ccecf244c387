"""Loads an exported Rlvr transformer (model.safetensors and config.json, as docs/real-models.md describes them) into
a GPT forward written here in plain PyTorch, and prints the logits of the given token ids as JSON.

    /usr/bin/python3 gpt_export_reference.py EXPORT_FOLDER '[[1, 5, 9], [2, 7, 3]]'

Needs only torch and the standard library: safetensors is read by hand.
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", entry
        begin, end = entry["data_offsets"]
        tensors[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return tensors


def rotary(x, positions, theta):
    # x (B, nh, T, hs): rotate the head's two halves by position · θ_i, θ_i = theta^(−2i/hs).
    hs = x.shape[-1]
    inv = theta ** (-torch.arange(0, hs, 2, dtype=torch.float64) / hs)
    angles = positions.to(torch.float64)[:, None] * inv[None, :]              # (T, hs/2)
    cos, sin = angles.cos().float(), angles.sin().float()
    x1, x2 = x[..., : hs // 2], x[..., hs // 2 :]
    return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)


def forward(w, c, ids):
    B, T = ids.shape
    C, nh = c["n_embd"], c["n_head"]
    hs = C // nh
    positions = torch.arange(T)
    x = w["wte.weight"][ids]
    if c["positions"] == "learned":
        x = x + w["wpe.weight"][positions]
    injected = x
    eps = c["layer_norm_eps"]
    for loop in range(c["n_loop"]):
        if loop > 0 and c["input_injection"]:
            x = x + injected
        for n in range(c["n_block"]):
            p = lambda name: w[f"h.{n}.{name}"]
            h = F.layer_norm(x, (C,), p("ln_1.weight"), p("ln_1.bias"), eps)
            q, k, v = (h @ p("attn.c_attn.weight").T + p("attn.c_attn.bias")).split(C, dim=-1)
            q, k, v = (t.view(B, T, nh, hs).transpose(1, 2) for t in (q, k, v))
            if c["positions"] == "rope":
                q, k = rotary(q, positions, c["rope_theta"]), rotary(k, positions, c["rope_theta"])
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(hs)
            scores = scores.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), float("-inf"))
            y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C)
            x = x + y @ p("attn.c_proj.weight").T + p("attn.c_proj.bias")
            h = F.layer_norm(x, (C,), p("ln_2.weight"), p("ln_2.bias"), eps)
            h = F.gelu(h @ p("mlp.c_fc.weight").T + p("mlp.c_fc.bias"))
            x = x + h @ p("mlp.c_proj.weight").T + p("mlp.c_proj.bias")
    x = F.layer_norm(x, (C,), w["ln_f.weight"], w["ln_f.bias"], eps)
    return x @ w["wte.weight"].T


def main():
    folder, ids = sys.argv[1], torch.tensor(json.loads(sys.argv[2]))
    with open(os.path.join(folder, "config.json")) as f:
        config = json.load(f)
    assert config["model_type"] == "rlvr-gpt", config
    with torch.no_grad():
        logits = forward(read_safetensors(os.path.join(folder, "model.safetensors")), config, ids)
    json.dump(logits.tolist(), sys.stdout)


if __name__ == "__main__":
    main()
