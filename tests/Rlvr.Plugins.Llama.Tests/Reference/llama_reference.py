"""An independent Llama forward in plain PyTorch, written from the published equations, that writes tiny
Hugging Face-layout checkpoints and what they compute, as fixtures for the C# tests.

    /usr/bin/python3 llama_reference.py OUT_FOLDER

For each model below, OUT_FOLDER/<name>/ gets config.json, the weights (model.safetensors, or shards with
model.safetensors.index.json) and expected.json: logits for fixed token ids, and a greedy continuation of a prompt
computed by full forwards (no cache). Needs only torch and the standard library: safetensors is written by hand.
"""
import json
import math
import os
import struct
import sys

import torch

# Three shapes: Llama 2 style (F32, two shards), Qwen2 style (q/k/v biases, tied embeddings, F16) and Llama 3.1
# style (llama3 rotary scaling, BF16).
MODELS = {
    "llama": dict(config=dict(model_type="llama", architectures=["LlamaForCausalLM"], hidden_size=32, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=2, intermediate_size=64, vocab_size=64,
                              max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=10000.0,
                              tie_word_embeddings=False, attention_bias=False, torch_dtype="float32"),
                  dtype=torch.float32, shards=2, seed=1),
    "qwen2": dict(config=dict(model_type="qwen2", architectures=["Qwen2ForCausalLM"], hidden_size=32, num_hidden_layers=2,
                              num_attention_heads=4, num_key_value_heads=2, intermediate_size=48, vocab_size=72,
                              max_position_embeddings=64, rms_norm_eps=1e-6, rope_theta=1000000.0,
                              tie_word_embeddings=True, torch_dtype="float16"),
                  dtype=torch.float16, shards=1, seed=2),
    "llama3": dict(config=dict(model_type="llama", architectures=["LlamaForCausalLM"], hidden_size=32, num_hidden_layers=2,
                               num_attention_heads=4, num_key_value_heads=1, intermediate_size=64, vocab_size=64,
                               max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=500000.0,
                               rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                                 original_max_position_embeddings=16),
                               tie_word_embeddings=False, attention_bias=False, torch_dtype="bfloat16"),
                   dtype=torch.bfloat16, shards=1, seed=3),
}

IDS = [[1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45], [2, 60, 3, 40, 7, 7, 7, 11, 50, 0, 63, 30]]
PROMPT = [1, 17, 4, 33, 8]
NEW_TOKENS = 10

SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def has_bias(c):
    return c.get("attention_bias", c["model_type"] == "qwen2")


def random_weights(c, seed):
    """Hugging Face names and shapes; N(0, 0.02) weights (larger where that keeps greedy continuations varied)."""
    g = torch.Generator().manual_seed(seed)
    d, hd = c["hidden_size"], c["hidden_size"] // c["num_attention_heads"]
    q, kv, ff, v = c["num_attention_heads"] * hd, c["num_key_value_heads"] * hd, c["intermediate_size"], c["vocab_size"]
    normal = lambda *shape, std=0.02: torch.randn(*shape, generator=g) * std
    w = {"model.embed_tokens.weight": normal(v, d, std=0.3 if c["tie_word_embeddings"] else 1.0)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = 1 + normal(d, std=0.1)
        for name, rows in (("q", q), ("k", kv), ("v", kv)):
            w[p + f"self_attn.{name}_proj.weight"] = normal(rows, d, std=0.3)
            if has_bias(c):
                w[p + f"self_attn.{name}_proj.bias"] = normal(rows, std=0.1)
        w[p + "self_attn.o_proj.weight"] = normal(d, q, std=0.3)
        w[p + "post_attention_layernorm.weight"] = 1 + normal(d, std=0.1)
        w[p + "mlp.gate_proj.weight"] = normal(ff, d, std=0.3)
        w[p + "mlp.up_proj.weight"] = normal(ff, d, std=0.3)
        w[p + "mlp.down_proj.weight"] = normal(d, ff, std=0.3)
    w["model.norm.weight"] = 1 + normal(d, std=0.1)
    if not c["tie_word_embeddings"]:
        w["lm_head.weight"] = normal(v, d, std=0.3)
    return w


def write_safetensors(path, tensors):
    """8-byte little-endian header length, a JSON header of dtype/shape/data_offsets, then raw little-endian data."""
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().view(torch.uint8).numpy().tobytes() if t.dtype != torch.bfloat16 else \
            t.contiguous().view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_checkpoint(folder, weights, shards):
    names = list(weights)
    if shards == 1:
        write_safetensors(os.path.join(folder, "model.safetensors"), weights)
        return
    per = math.ceil(len(names) / shards)
    weight_map = {}
    for s in range(shards):
        file = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
        part = {n: weights[n] for n in names[s * per:(s + 1) * per]}
        write_safetensors(os.path.join(folder, file), part)
        weight_map.update({n: file for n in part})
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=2)


def inverse_frequencies(c, hd):
    """θ_i = base^(−2i/hd); with llama3 scaling, long wavelengths are divided by factor and the middle band blended."""
    inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, hd, 2, dtype=torch.float64) / hd))
    s = c.get("rope_scaling")
    if s is None:
        return inv
    factor, low, high, old = s["factor"], s["low_freq_factor"], s["high_freq_factor"], s["original_max_position_embeddings"]
    out = []
    for f in inv.tolist():
        wavelength = 2 * math.pi / f
        if wavelength < old / high:
            out.append(f)
        elif wavelength > old / low:
            out.append(f / factor)
        else:
            smooth = (old / wavelength - low) / (high - low)
            out.append((1 - smooth) * f / factor + smooth * f)
    return torch.tensor(out, dtype=torch.float64)


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rotate(x, cos, sin):
    """x·cos + rotate_half(x)·sin with rotate_half(x1, x2) = (−x2, x1), halves of the head dimension."""
    half = x.shape[-1] // 2
    return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin


def forward(c, w, ids):
    """ids (B, T) -> logits (B, T, V), causal, positions 0..T-1."""
    B, T = ids.shape
    nh, nkv = c["num_attention_heads"], c["num_key_value_heads"]
    hd = c["hidden_size"] // nh
    angles = torch.outer(torch.arange(T, dtype=torch.float64), inverse_frequencies(c, hd))
    cos = torch.cat([angles.cos(), angles.cos()], -1).float()
    sin = torch.cat([angles.sin(), angles.sin()], -1).float()
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    x = w["model.embed_tokens.weight"][ids]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], c["rms_norm_eps"])
        proj = lambda n: h @ w[p + f"self_attn.{n}_proj.weight"].T + w.get(p + f"self_attn.{n}_proj.bias", 0)
        q = rotate(proj("q").view(B, T, nh, hd).transpose(1, 2), cos, sin)
        k = rotate(proj("k").view(B, T, nkv, hd).transpose(1, 2), cos, sin)
        v = proj("v").view(B, T, nkv, hd).transpose(1, 2)
        k, v = k.repeat_interleave(nh // nkv, 1), v.repeat_interleave(nh // nkv, 1)   # query head j reads kv head j // (nh/nkv)
        scores = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        y = scores.masked_fill(~causal, float("-inf")).softmax(-1) @ v
        x = x + y.transpose(1, 2).reshape(B, T, nh * hd) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], c["rms_norm_eps"])
        gate, up = h @ w[p + "mlp.gate_proj.weight"].T, h @ w[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], c["rms_norm_eps"])
    return x @ w.get("lm_head.weight", w["model.embed_tokens.weight"]).T


def greedy(c, w, prompt, n):
    ids = list(prompt)
    for _ in range(n):
        ids.append(int(forward(c, w, torch.tensor([ids]))[0, -1].argmax()))
    return ids[len(prompt):]


def main(out):
    torch.set_num_threads(1)
    for name, spec in MODELS.items():
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        c = spec["config"]
        stored = {n: t.to(spec["dtype"]) for n, t in random_weights(c, spec["seed"]).items()}
        write_checkpoint(folder, stored, spec["shards"])
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(c, f, indent=2)
        with torch.no_grad():
            w = {n: t.float() for n, t in stored.items()}   # computed in fp32 from the stored values
            logits = forward(c, w, torch.tensor(IDS))
            expected = {"ids": IDS, "logits": [[[round(v, 7) for v in row] for row in seq] for seq in logits.tolist()],
                        "prompt": PROMPT, "greedy": greedy(c, w, PROMPT, NEW_TOKENS)}
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump(expected, f, separators=(",", ":"))


if __name__ == "__main__":
    main(sys.argv[1])
