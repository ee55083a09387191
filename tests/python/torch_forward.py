"""Loads a Tunebench export (an HF-style folder: config.json + model.safetensors) into PyTorch and prints the
next-token logits for the token ids given, as JSON on stdout. Written against the Hugging Face model definitions
(GPT2LMHeadModel, LlamaForCausalLM) with plain torch ops, so it needs only Debian's python3-torch.

usage: torch_forward.py <export-folder> '<json list of token ids>'
"""
import json
import math
import struct
import sys

import torch

torch.set_num_threads(2)


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        body = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        assert entry["dtype"] == "F32", f"{name}: dtype {entry['dtype']}"
        begin, end = entry["data_offsets"]
        t = torch.frombuffer(bytearray(body[begin:end]), dtype=torch.float32)
        tensors[name] = t.reshape(entry["shape"])
    return tensors


def gpt2_logits(cfg, w, ids):
    C, H = cfg["n_embd"], cfg["n_head"]
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    T = len(ids)
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][:T]
    mask = torch.full((T, T), float("-inf")).triu(1)

    def ln(v, p):
        return torch.nn.functional.layer_norm(v, (C,), w[p + ".weight"], w[p + ".bias"], eps)

    def conv1d(v, p):  # HF Conv1D: weight (in, out)
        return v @ w[p + ".weight"] + w[p + ".bias"]

    for i in range(cfg["n_layer"]):
        p = f"transformer.h.{i}."
        q, k, v = conv1d(ln(x, p + "ln_1"), p + "attn.c_attn").split(C, dim=-1)
        q, k, v = (t.reshape(T, H, C // H).transpose(0, 1) for t in (q, k, v))
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(C // H) + mask, dim=-1)
        y = (att @ v).transpose(0, 1).reshape(T, C)
        x = x + conv1d(y, p + "attn.c_proj")
        h = torch.nn.functional.gelu(conv1d(ln(x, p + "ln_2"), p + "mlp.c_fc"), approximate="tanh")
        x = x + conv1d(h, p + "mlp.c_proj")
    x = ln(x, "transformer.ln_f")
    return x @ w["transformer.wte.weight"].T


def llama_logits(cfg, w, ids):
    C, H, Hkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hs, eps, theta = C // H, cfg["rms_norm_eps"], cfg.get("rope_theta", 10000.0)
    T = len(ids)
    x = w["model.embed_tokens.weight"][ids]
    inv = 1.0 / (theta ** (torch.arange(0, hs, 2, dtype=torch.float32) / hs))
    freqs = torch.outer(torch.arange(T, dtype=torch.float32), inv)
    cos, sin = torch.cat([freqs, freqs], -1).cos(), torch.cat([freqs, freqs], -1).sin()
    mask = torch.full((T, T), float("-inf")).triu(1)

    def rms(v, g):
        return v * torch.rsqrt(v.pow(2).mean(-1, keepdim=True) + eps) * g

    def rotate_half(v):
        a, b = v[..., : hs // 2], v[..., hs // 2 :]
        return torch.cat([-b, a], -1)

    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms(x, w[p + "input_layernorm.weight"])
        q = (h @ w[p + "self_attn.q_proj.weight"].T).reshape(T, H, hs).transpose(0, 1)
        k = (h @ w[p + "self_attn.k_proj.weight"].T).reshape(T, Hkv, hs).transpose(0, 1)
        v = (h @ w[p + "self_attn.v_proj.weight"].T).reshape(T, Hkv, hs).transpose(0, 1)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(H // Hkv, 0), v.repeat_interleave(H // Hkv, 0)
        att = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(hs) + mask, dim=-1)
        x = x + (att @ v).transpose(0, 1).reshape(T, C) @ w[p + "self_attn.o_proj.weight"].T
        h = rms(x, w[p + "post_attention_layernorm.weight"])
        gate = torch.nn.functional.silu(h @ w[p + "mlp.gate_proj.weight"].T)
        x = x + (gate * (h @ w[p + "mlp.up_proj.weight"].T)) @ w[p + "mlp.down_proj.weight"].T
    x = rms(x, w["model.norm.weight"])
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return x @ head.T


def main():
    folder, ids = sys.argv[1], json.loads(sys.argv[2])
    cfg = json.load(open(f"{folder}/config.json"))
    w = read_safetensors(f"{folder}/model.safetensors")
    forward = {"gpt2": gpt2_logits, "llama": llama_logits}[cfg["model_type"]]
    with torch.no_grad():
        logits = forward(cfg, w, torch.tensor(ids))
    print(json.dumps({"torch": torch.__version__, "logits": logits.tolist()}))


if __name__ == "__main__":
    main()
