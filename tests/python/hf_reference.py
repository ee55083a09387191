"""Independent PyTorch reference forward pass for a Hugging Face model folder (config.json + model.safetensors, or a
sharded model-0000i-of-0000K.safetensors set with model.safetensors.index.json). F32, F16 and BF16 weights are
upcast; everything is computed in float32 (or float64) on CPU with plain torch ops, following the conventions of
transformers' modeling_llama / qwen2 / qwen3 / gemma3 / gpt2 (mistral is read as llama with a sliding window).

usage: hf_reference.py DIR --ids 1,2,3 [--greedy N] [--last-only] [--dtype-compute f32|f64]
prints one JSON document: {"model_type": str, "logits": [[V floats] per position (only the last with --last-only)],
                           "greedy": [N ids, each the argmax (first maximum) of a full no-cache forward]}
"""
import argparse
import json
import math
import os
import struct

import torch

F = torch.nn.functional
ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.int16, "F64": torch.float64}
DTYPE = torch.float32


def read_safetensors(path, out):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        body = f.read()
    for name, e in header.items():
        if name == "__metadata__":
            continue
        begin, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(body[begin:end]), dtype=ST_DTYPES[e["dtype"]]) if end > begin else torch.zeros(0)
        if e["dtype"] == "BF16":
            t = t.view(torch.bfloat16)
        out[name] = t.to(DTYPE).reshape(e["shape"])


def load_weights(folder):
    w, index = {}, os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        for fname in sorted(set(json.load(open(index))["weight_map"].values())):
            read_safetensors(os.path.join(folder, fname), w)
    else:
        read_safetensors(os.path.join(folder, "model.safetensors"), w)
    renamed = {}
    for name, t in w.items():  # multimodal Gemma3 (old and new layouts) and prefixed GPT-2 names
        for old, new in (("language_model.model.", "model."), ("model.language_model.", "model."),
                         ("language_model.lm_head.", "lm_head."), ("transformer.", "")):
            if name.startswith(old):
                name = new + name[len(old):]
                break
        renamed[name] = t
    return renamed


def activation(name):
    return {"silu": F.silu, "swish": F.silu, "relu": F.relu, "gelu": F.gelu,
            "gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
            "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x.pow(3.0)))),
            }[name]


# ---- RoPE (modeling_rope_utils) -------------------------------------------------------------------------------

def inv_freq(params, dim, max_pos, seq_len):
    rope_type = params.get("rope_type", params.get("type", "default"))
    base = float(params["rope_theta"])
    if rope_type == "dynamic" and seq_len > max_pos:  # NTK base grows only past max_position_embeddings
        factor = params["factor"]
        base = base * ((factor * seq_len / max_pos) - (factor - 1)) ** (dim / (dim - 2))
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).to(torch.float32) / dim))
    if rope_type == "linear":
        inv = inv / params["factor"]
    elif rope_type == "llama3":
        factor, low, high = params["factor"], params["low_freq_factor"], params["high_freq_factor"]
        old_ctx = params["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old_ctx / low, old_ctx / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old_ctx / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        inv = torch.where(medium, smoothed, scaled)
    elif rope_type not in ("default", "dynamic"):
        raise SystemExit(f"rope_type {rope_type!r} is not implemented in this reference")
    return inv


def cos_sin(params, dim, max_pos, T):
    freqs = torch.outer(torch.arange(T, dtype=torch.float32), inv_freq(params, dim, max_pos, T))
    emb = torch.cat([freqs, freqs], -1)
    return emb.cos().to(DTYPE), emb.sin().to(DTYPE)  # default/linear/dynamic/llama3: attention_factor 1


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], -1)


# ---- per-family settings ------------------------------------------------------------------------------------

def scaling_dict(cfg):
    """rope_scaling with its BC 'type' key read as 'rope_type'; {'rope_type': 'default'} when null."""
    s = dict(cfg.get("rope_scaling") or {})
    s["rope_type"] = s.pop("rope_type", s.pop("type", "default"))
    return s


def rope_for_layers(cfg, family):
    """{layer_type: rope params dict with rope_type and rope_theta}."""
    rp = cfg.get("rope_parameters")
    if family == "gemma3":
        if isinstance(rp, dict) and ("full_attention" in rp or "sliding_attention" in rp):
            full = dict(rp.get("full_attention") or {"rope_type": "default"})
            local = dict(rp.get("sliding_attention") or {"rope_type": "default"})
            full.setdefault("rope_theta", 1_000_000.0)
            local.setdefault("rope_theta", 10_000.0)
        else:
            full = {**scaling_dict(cfg), "rope_theta": cfg.get("rope_theta", 1_000_000.0)}
            local = {"rope_type": "default", "rope_theta": cfg.get("rope_local_base_freq", 10_000.0)}
        return {"full_attention": full, "sliding_attention": local}
    if isinstance(rp, dict) and rp:
        params = dict(rp)
    else:
        params = scaling_dict(cfg)
    params.setdefault("rope_theta", cfg.get("rope_theta", 10000.0))
    return {"full_attention": params, "sliding_attention": params}


def layer_plan(cfg, family):
    """Per layer: (layer_type, sliding window or None)."""
    L = cfg["num_hidden_layers"]
    if family == "gemma3":
        pattern = cfg.get("sliding_window_pattern", cfg.get("_sliding_window_pattern", 6))
        types = cfg.get("layer_types") or ["sliding_attention" if (i + 1) % pattern else "full_attention"
                                           for i in range(L)]
        window = cfg.get("sliding_window", 4096)
    elif family in ("qwen2", "qwen3"):
        window = cfg.get("sliding_window", 4096) if cfg.get("use_sliding_window", False) else None
        types = cfg.get("layer_types") or ["sliding_attention" if window is not None and
                                           i >= cfg.get("max_window_layers", 28) else "full_attention"
                                           for i in range(L)]
    elif family == "mistral":
        window = cfg.get("sliding_window", 4096)
        types = cfg.get("layer_types") or ["sliding_attention" if window is not None else "full_attention"] * L
    else:
        window, types = None, ["full_attention"] * L
    if len(types) < L:
        raise SystemExit(f"layer_types lists {len(types)} layers, num_hidden_layers is {L}")
    return [(t, window if t == "sliding_attention" else None) for t in types[:L]]


def attention_mask(T, window, bidirectional=False):
    i, j = torch.arange(T)[:, None], torch.arange(T)[None, :]
    allowed = torch.ones(T, T, dtype=torch.bool) if bidirectional else j <= i
    if window is not None:  # masking_utils sliding_window_overlay: kv_idx > q_idx - sliding_window
        allowed &= ((i - j).abs() if bidirectional else (i - j)) < window
    return torch.zeros(T, T, dtype=DTYPE).masked_fill(~allowed, float("-inf"))


# ---- decoder-only RMSNorm families: llama, mistral, qwen2, qwen3, gemma3 --------------------------------------

def decoder_logits(cfg, w, ids, family):
    C, H = cfg["hidden_size"], cfg["num_attention_heads"]
    Hkv = cfg.get("num_key_value_heads") or H
    hd = cfg.get("head_dim") or C // H
    eps = cfg.get("rms_norm_eps", 1e-6)
    gemma = family == "gemma3"
    T = len(ids)
    qkv_bias = family == "qwen2" or cfg.get("attention_bias", False)
    o_bias = family != "qwen2" and cfg.get("attention_bias", False)
    act = activation(cfg.get("hidden_activation") or "gelu_pytorch_tanh") if gemma else \
        activation(cfg.get("hidden_act", "silu"))
    scaling = cfg.get("query_pre_attn_scalar", 256) ** -0.5 if gemma else hd ** -0.5
    attn_cap = cfg.get("attn_logit_softcapping") if gemma else None
    bidir = gemma and cfg.get("use_bidirectional_attention", False)
    max_pos = cfg.get("max_position_embeddings", 2048)

    def norm(v, name):  # Llama: x * rsqrt(mean x^2 + eps) * w; Gemma: ... * (1 + w)
        g = w[name]
        v = v * torch.rsqrt(v.pow(2).mean(-1, keepdim=True) + eps)
        return v * (1.0 + g) if gemma else g * v

    def linear(v, name, bias):
        out = v @ w[name + ".weight"].T
        return out + w[name + ".bias"] if bias else out

    ropes = {t: cos_sin(p, hd, max_pos, T) for t, p in rope_for_layers(cfg, family).items()}
    x = w["model.embed_tokens.weight"][ids]
    if gemma:  # Gemma3TextScaledWordEmbedding: * hidden_size**0.5 (a tensor cast to the weight dtype)
        x = x * torch.tensor(C ** 0.5, dtype=DTYPE)
    for i, (layer_type, window) in enumerate(layer_plan(cfg, family)):
        p = f"model.layers.{i}."
        cos, sin = ropes[layer_type]
        h = norm(x, p + "input_layernorm.weight")
        q = linear(h, p + "self_attn.q_proj", qkv_bias).reshape(T, H, hd)
        k = linear(h, p + "self_attn.k_proj", qkv_bias).reshape(T, Hkv, hd)
        v = linear(h, p + "self_attn.v_proj", qkv_bias).reshape(T, Hkv, hd)
        if family in ("qwen3", "gemma3"):  # per-head RMSNorm over head_dim, before RoPE
            q, k = norm(q, p + "self_attn.q_norm.weight"), norm(k, p + "self_attn.k_norm.weight")
        q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        k, v = k.repeat_interleave(H // Hkv, 0), v.repeat_interleave(H // Hkv, 0)  # repeat_kv
        scores = (q @ k.transpose(1, 2)) * scaling
        if attn_cap:
            scores = torch.tanh(scores / attn_cap) * attn_cap
        att = torch.softmax(scores + attention_mask(T, window, bidir), dim=-1)
        o = linear((att @ v).transpose(0, 1).reshape(T, H * hd), p + "self_attn.o_proj", o_bias)
        if gemma:
            o = norm(o, p + "post_attention_layernorm.weight")
        x = x + o
        h = norm(x, p + ("pre_feedforward_layernorm.weight" if gemma else "post_attention_layernorm.weight"))
        mlp_bias = cfg.get("mlp_bias", False)
        m = linear(act(linear(h, p + "mlp.gate_proj", mlp_bias)) * linear(h, p + "mlp.up_proj", mlp_bias),
                   p + "mlp.down_proj", mlp_bias)
        if gemma:
            m = norm(m, p + "post_feedforward_layernorm.weight")
        x = x + m
    x = norm(x, "model.norm.weight")
    tied = cfg.get("tie_word_embeddings", gemma)  # LlamaConfig/Qwen2Config/Qwen3Config default False
    logits = x @ w["model.embed_tokens.weight" if tied else "lm_head.weight"].T
    cap = cfg.get("final_logit_softcapping") if gemma else None
    return torch.tanh(logits / cap) * cap if cap else logits


# ---- GPT-2 --------------------------------------------------------------------------------------------------

def gpt2_logits(cfg, w, ids):
    C, H = cfg.get("n_embd", 768), cfg.get("n_head", 12)
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    act = activation(cfg.get("activation_function", "gelu_new"))
    T = len(ids)
    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    mask = attention_mask(T, None)

    def ln(v, p):
        return F.layer_norm(v, (C,), w[p + ".weight"], w[p + ".bias"], eps)

    def conv1d(v, p):  # transformers Conv1D: weight (in, out)
        return v @ w[p + ".weight"] + w[p + ".bias"]

    for i in range(cfg.get("n_layer", 12)):
        p = f"h.{i}."
        q, k, v = conv1d(ln(x, p + "ln_1"), p + "attn.c_attn").split(C, dim=-1)
        q, k, v = (t.reshape(T, H, C // H).transpose(0, 1) for t in (q, k, v))
        scores = q @ k.transpose(1, 2)
        if cfg.get("scale_attn_weights", True):
            scores = scores / math.sqrt(C // H)
        if cfg.get("scale_attn_by_inverse_layer_idx", False):
            scores = scores / float(i + 1)
        att = torch.softmax(scores + mask, dim=-1)
        x = x + conv1d((att @ v).transpose(0, 1).reshape(T, C), p + "attn.c_proj")
        x = x + conv1d(act(conv1d(ln(x, p + "ln_2"), p + "mlp.c_fc")), p + "mlp.c_proj")
    return ln(x, "ln_f") @ w.get("lm_head.weight", w["wte.weight"]).T


# ---- entry point --------------------------------------------------------------------------------------------

GEMMA3_TEXT_DEFAULTS = {"vocab_size": 262208, "hidden_size": 2304, "intermediate_size": 9216,
                        "num_hidden_layers": 26, "num_attention_heads": 8, "num_key_value_heads": 4, "head_dim": 256,
                        "max_position_embeddings": 131072, "sliding_window": 4096, "tie_word_embeddings": True}


def text_config(cfg):
    if cfg.get("model_type") == "gemma3":  # Gemma3ForConditionalGeneration: the text model's own config
        sub = dict(cfg.get("text_config") or {})
        if "tie_word_embeddings" in cfg:
            sub.setdefault("tie_word_embeddings", cfg["tie_word_embeddings"])
        cfg = {**sub, "model_type": "gemma3_text"}
    if cfg.get("model_type") == "gemma3_text":  # Gemma3TextConfig defaults (head_dim is 256, not hidden/heads)
        cfg = {**GEMMA3_TEXT_DEFAULTS, **cfg}
    return cfg


def forward_fn(cfg):
    family = {"llama": "llama", "mistral": "mistral", "qwen2": "qwen2", "qwen3": "qwen3",
              "gemma3_text": "gemma3", "gpt2": "gpt2"}.get(cfg.get("model_type"))
    if family is None:
        raise SystemExit(f"model_type {cfg.get('model_type')!r} is not supported")
    if family == "gpt2":
        return gpt2_logits
    return lambda c, w, ids: decoder_logits(c, w, ids, family)


def main():
    global DTYPE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--ids", required=True, help="token ids: 1,2,3 or a JSON list")
    ap.add_argument("--greedy", type=int, default=0)
    ap.add_argument("--last-only", action="store_true")
    ap.add_argument("--dtype-compute", default="f32", choices=["f32", "f64"])
    args = ap.parse_args()
    DTYPE = torch.float64 if args.dtype_compute == "f64" else torch.float32
    text = args.ids.strip()
    ids = json.loads(text) if text.startswith("[") else [int(s) for s in text.split(",") if s.strip()]

    cfg = text_config(json.load(open(os.path.join(args.folder, "config.json"))))
    w = load_weights(args.folder)
    forward = forward_fn(cfg)
    with torch.no_grad():
        logits = forward(cfg, w, torch.tensor(ids, dtype=torch.long))
        seq, greedy = list(ids), []
        last = logits[-1]
        for _ in range(args.greedy):
            nxt = int(torch.argmax(last))
            greedy.append(nxt)
            seq.append(nxt)
            if len(greedy) < args.greedy:
                last = forward(cfg, w, torch.tensor(seq, dtype=torch.long))[-1]
    rows = logits[-1:] if args.last_only else logits
    print(json.dumps({"model_type": cfg["model_type"], "logits": rows.tolist(), "greedy": greedy}))


if __name__ == "__main__":
    torch.set_num_threads(2)
    main()
