"""Writes a random-weight Hugging Face model folder laid out like the real download: config.json (the real
model's fields, with the layer count and vocabulary overridden), generation_config.json, and model.safetensors or
model-0000i-of-0000K.safetensors + model.safetensors.index.json. Tensor names and (out, in) shapes are those of the
real checkpoints. Needs only torch; the same flags always give the same bytes.

usage: make_hf_model.py --shape NAME --out DIR [--layers N] [--vocab V] [--dtype f32|f16|bf16] [--shards K]
                        [--seed S] [--tied | --untied] [--set key=JSON]... [--transformer-prefix] [--tokenizer-config]
shapes: smollm2-135m llama-3.2-1b tinyllama-1.1b qwen2.5-0.5b qwen3-0.6b gemma-3-270m gemma-3-270m-new gpt2-124m
(--rope-parameters turns gemma-3-270m into gemma-3-270m-new: RoPE given as a per-layer-type rope_parameters dict.)
"""
import argparse
import copy
import json
import os
import struct

import torch

LLAMA_COMMON = {"architectures": ["LlamaForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
                "hidden_act": "silu", "initializer_range": 0.02, "mlp_bias": False, "model_type": "llama",
                "pretraining_tp": 1, "rms_norm_eps": 1e-05, "torch_dtype": "bfloat16", "use_cache": True}

SHAPES = {
    "smollm2-135m": dict(family="llama", config={
        **LLAMA_COMMON, "bos_token_id": 0, "eos_token_id": 0, "hidden_size": 576, "initializer_range": 0.041666666666666664,
        "intermediate_size": 1536, "is_llama_config": True, "max_position_embeddings": 8192, "num_attention_heads": 9,
        "num_hidden_layers": 30, "num_key_value_heads": 3, "rope_interleaved": False, "rope_scaling": None,
        "rope_theta": 100000, "tie_word_embeddings": True, "transformers_version": "4.40.1", "vocab_size": 49152},
        generation={"_from_model_config": True, "bos_token_id": 0, "eos_token_id": 0, "transformers_version": "4.40.1"},
        tokenizer={"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                   "unk_token": "<|endoftext|>", "model_max_length": 8192}),
    "llama-3.2-1b": dict(family="llama", config={
        **LLAMA_COMMON, "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_size": 2048,
        "intermediate_size": 8192, "max_position_embeddings": 131072, "num_attention_heads": 32,
        "num_hidden_layers": 16, "num_key_value_heads": 8,
        "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                         "original_max_position_embeddings": 8192, "rope_type": "llama3"},
        "rope_theta": 500000.0, "tie_word_embeddings": True, "transformers_version": "4.45.0.dev0",
        "vocab_size": 128256},
        generation={"_from_model_config": True, "bos_token_id": 128000, "do_sample": True, "eos_token_id": 128001,
                    "temperature": 0.6, "top_p": 0.9, "transformers_version": "4.45.0.dev0"},
        tokenizer={"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|begin_of_text|>",
                   "eos_token": "<|end_of_text|>", "model_max_length": 131072}),
    "tinyllama-1.1b": dict(family="llama", config={
        **LLAMA_COMMON, "bos_token_id": 1, "eos_token_id": 2, "hidden_size": 2048, "intermediate_size": 5632,
        "max_position_embeddings": 2048, "num_attention_heads": 32, "num_hidden_layers": 22, "num_key_value_heads": 4,
        "rope_scaling": None, "rope_theta": 10000.0, "tie_word_embeddings": False, "transformers_version": "4.35.0",
        "vocab_size": 32000},
        generation={"bos_token_id": 1, "eos_token_id": 2, "max_length": 2048, "pad_token_id": 0,
                    "transformers_version": "4.35.0"},
        tokenizer={"tokenizer_class": "LlamaTokenizer", "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                   "pad_token": "</s>", "add_bos_token": True, "add_eos_token": False, "model_max_length": 2048}),
    "qwen2.5-0.5b": dict(family="qwen2", config={
        "architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
        "eos_token_id": 151643, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
        "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 24, "model_type": "qwen2",
        "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06,
        "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": True, "torch_dtype": "bfloat16",
        "transformers_version": "4.40.1", "use_cache": True, "use_mrope": False, "use_sliding_window": False,
        "vocab_size": 151936},
        generation={"bos_token_id": 151643, "do_sample": False, "eos_token_id": 151643, "max_new_tokens": 2048,
                    "transformers_version": "4.37.0"},
        tokenizer={"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|endoftext|>",
                   "pad_token": "<|endoftext|>", "model_max_length": 131072}),
    "qwen3-0.6b": dict(family="qwen3", config={
        "architectures": ["Qwen3ForCausalLM"], "attention_bias": False, "attention_dropout": 0.0,
        "bos_token_id": 151643, "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024,
        "initializer_range": 0.02, "intermediate_size": 3072, "max_position_embeddings": 40960,
        "max_window_layers": 28, "model_type": "qwen3", "num_attention_heads": 16, "num_hidden_layers": 28,
        "num_key_value_heads": 8, "rms_norm_eps": 1e-06, "rope_scaling": None, "rope_theta": 1000000,
        "sliding_window": None, "tie_word_embeddings": True, "torch_dtype": "bfloat16",
        "transformers_version": "4.51.0", "use_cache": True, "use_sliding_window": False, "vocab_size": 151936},
        generation={"bos_token_id": 151643, "do_sample": True, "eos_token_id": [151645, 151643],
                    "pad_token_id": 151643, "temperature": 0.6, "top_k": 20, "top_p": 0.95,
                    "transformers_version": "4.51.0"},
        tokenizer={"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
                   "pad_token": "<|endoftext|>", "model_max_length": 131072}),
    "gemma-3-270m": dict(family="gemma3", config={
        "_sliding_window_pattern": 6, "architectures": ["Gemma3ForCausalLM"], "attention_bias": False,
        "attention_dropout": 0.0, "attn_logit_softcapping": None, "bos_token_id": 2, "eos_token_id": 1,
        "final_logit_softcapping": None, "head_dim": 256, "hidden_activation": "gelu_pytorch_tanh",
        "hidden_size": 640, "initializer_range": 0.02, "intermediate_size": 2048, "layer_types": None,
        "max_position_embeddings": 32768, "model_type": "gemma3_text", "num_attention_heads": 4,
        "num_hidden_layers": 18, "num_key_value_heads": 1, "pad_token_id": 0, "query_pre_attn_scalar": 256,
        "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000.0, "rope_scaling": None, "rope_theta": 1000000.0,
        "sliding_window": 512, "torch_dtype": "bfloat16", "transformers_version": "4.55.0.dev0",
        "use_bidirectional_attention": False, "use_cache": True, "vocab_size": 262144},
        generation={"bos_token_id": 2, "cache_implementation": "hybrid", "do_sample": True, "eos_token_id": [1, 106],
                    "pad_token_id": 0, "top_k": 64, "top_p": 0.95, "transformers_version": "4.55.0.dev0"},
        tokenizer={"tokenizer_class": "GemmaTokenizer", "bos_token": "<bos>", "eos_token": "<eos>",
                   "pad_token": "<pad>", "unk_token": "<unk>", "add_bos_token": True, "model_max_length": 32768}),
    "gpt2-124m": dict(family="gpt2", config={
        "activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
        "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12,
        "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "summary_activation": None,
        "summary_first_dropout": 0.1, "summary_proj_to_labels": True, "summary_type": "cls_index",
        "summary_use_proj": True, "task_specific_params": {"text-generation": {"do_sample": True, "max_length": 50}},
        "vocab_size": 50257},
        generation={"_from_model_config": True, "bos_token_id": 50256, "eos_token_id": 50256,
                    "transformers_version": "4.26.0.dev0"},
        tokenizer={"tokenizer_class": "GPT2Tokenizer", "bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>",
                   "unk_token": "<|endoftext|>", "model_max_length": 1024}),
}
# transformers v5 style: RoPE per layer type in rope_parameters, "dtype" instead of "torch_dtype".
_new = copy.deepcopy(SHAPES["gemma-3-270m"])
for _k in ("rope_theta", "rope_local_base_freq", "rope_scaling", "torch_dtype"):
    del _new["config"][_k]
_new["config"].update({"dtype": "bfloat16", "transformers_version": "5.0.0", "rope_parameters": {
    "full_attention": {"rope_type": "default", "rope_theta": 1000000.0},
    "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}}})
SHAPES["gemma-3-270m-new"] = _new

DTYPES = {"f32": (torch.float32, "F32", "float32"), "f16": (torch.float16, "F16", "float16"),
          "bf16": (torch.bfloat16, "BF16", "bfloat16")}


def decoder_tensors(cfg, family, tied):
    """(name, shape, kind) in the model's state_dict order; kind is matrix, bias, norm (w ~ 1) or gnorm (w ~ 0)."""
    C, H, Hkv = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = cfg.get("head_dim") or C // H
    inter, V = cfg["intermediate_size"], cfg["vocab_size"]
    norm = "gnorm" if family == "gemma3" else "norm"
    qkv_bias = family == "qwen2" or cfg.get("attention_bias", False)
    o_bias = family != "qwen2" and cfg.get("attention_bias", False)
    out = [("model.embed_tokens.weight", (V, C), "matrix")]
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        for proj, rows in (("q", H * hd), ("k", Hkv * hd), ("v", Hkv * hd)):
            out.append((f"{p}self_attn.{proj}_proj.weight", (rows, C), "matrix"))
            if qkv_bias:
                out.append((f"{p}self_attn.{proj}_proj.bias", (rows,), "bias"))
        out.append((f"{p}self_attn.o_proj.weight", (C, H * hd), "matrix"))
        if o_bias:
            out.append((f"{p}self_attn.o_proj.bias", (C,), "bias"))
        if family in ("qwen3", "gemma3"):
            out += [(f"{p}self_attn.q_norm.weight", (hd,), norm), (f"{p}self_attn.k_norm.weight", (hd,), norm)]
        mlp_bias = cfg.get("mlp_bias", False)
        for proj, shape in (("gate", (inter, C)), ("up", (inter, C)), ("down", (C, inter))):
            out.append((f"{p}mlp.{proj}_proj.weight", shape, "matrix"))
            if mlp_bias:
                out.append((f"{p}mlp.{proj}_proj.bias", (shape[0],), "bias"))
        norms = ["input_layernorm", "post_attention_layernorm"]
        if family == "gemma3":
            norms += ["pre_feedforward_layernorm", "post_feedforward_layernorm"]
        out += [(f"{p}{n}.weight", (C,), norm) for n in norms]
    out.append(("model.norm.weight", (C,), norm))
    if not tied:
        out.append(("lm_head.weight", (V, C), "matrix"))
    return out


def gpt2_tensors(cfg, prefix):
    C, V = cfg["n_embd"], cfg["vocab_size"]
    inner = cfg.get("n_inner") or 4 * C
    out = [(prefix + "wte.weight", (V, C), "matrix"), (prefix + "wpe.weight", (cfg["n_positions"], C), "matrix")]
    for i in range(cfg["n_layer"]):
        p = f"{prefix}h.{i}."
        ln = lambda n: [(p + n + ".weight", (C,), "norm"), (p + n + ".bias", (C,), "bias")]
        conv = lambda n, a, b: [(p + n + ".weight", (a, b), "matrix"), (p + n + ".bias", (b,), "bias")]  # (in, out)
        out += ln("ln_1") + conv("attn.c_attn", C, 3 * C) + conv("attn.c_proj", C, C)
        out += ln("ln_2") + conv("mlp.c_fc", C, inner) + conv("mlp.c_proj", inner, C)
    out += [(prefix + "ln_f.weight", (C,), "norm"), (prefix + "ln_f.bias", (C,), "bias")]
    return out


def random_tensor(shape, kind, gen):
    noise = torch.randn(shape, generator=gen, dtype=torch.float32)
    if kind == "matrix":
        return noise * 0.02
    if kind == "norm":
        return 1.0 + 0.1 * noise
    return 0.1 * noise  # bias, or a Gemma norm weight (the model multiplies by 1 + w)


def tensor_bytes(t):
    """Raw little-endian bytes of a contiguous tensor, without numpy."""
    t = t.contiguous()
    buf = bytearray(t.numel() * t.element_size())
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    if len(buf):
        torch.frombuffer(buf, dtype=t.dtype).copy_(t.reshape(-1))
    return bytes(buf)


def write_safetensors(path, tensors, st_dtype):
    """tensors: list of (name, bytes, shape). Laid out as the safetensors library does: sorted by name, header
    padded with spaces to a multiple of 8, __metadata__ first."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    ordered = sorted(tensors, key=lambda e: e[0])
    for name, data, shape in ordered:
        header[name] = {"dtype": st_dtype, "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, data, _ in ordered:
            f.write(data)


def split_shards(entries, k):
    """Contiguous runs of the state_dict order, each near total/k bytes, none empty."""
    if k > len(entries):
        raise SystemExit(f"--shards {k}: only {len(entries)} tensors")
    shards, left = [[]], sum(len(e[1]) for e in entries)
    target, acc = left / k, 0
    for i, e in enumerate(entries):
        need = k - len(shards)
        if shards[-1] and need > 0 and (acc + len(e[1]) > target or len(entries) - i == need):
            shards.append([])
            target, acc = left / need, 0
        shards[-1].append(e)
        acc += len(e[1])
        left -= len(e[1])
    return shards


def dump_json(path, obj):
    with open(path, "w") as f:
        f.write(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def build_config(args):
    shape = SHAPES[args.shape]
    cfg = copy.deepcopy(shape["config"])
    family = shape["family"]
    if args.layers is not None:
        cfg["n_layer" if family == "gpt2" else "num_hidden_layers"] = args.layers
    if args.vocab is not None:
        cfg["vocab_size"] = args.vocab
    if args.tied or args.untied:
        if family == "gpt2":
            raise SystemExit("GPT2LMHeadModel always ties its head to wte")
        cfg["tie_word_embeddings"] = bool(args.tied)
    for item in args.set:
        key, _, value = item.partition("=")
        cfg[key] = json.loads(value)
    if family == "gemma3" and cfg.get("layer_types", "unset") is None:  # the real file lists one per layer
        pattern = cfg.get("_sliding_window_pattern", 6)
        cfg["layer_types"] = ["sliding_attention" if (i + 1) % pattern else "full_attention"
                              for i in range(cfg["num_hidden_layers"])]
    dtype_key = "dtype" if "dtype" in cfg else "torch_dtype" if "torch_dtype" in cfg else None
    if dtype_key:
        cfg[dtype_key] = DTYPES[args.dtype][2]
    return cfg, family


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", required=True, choices=sorted(SHAPES))
    ap.add_argument("--out", required=True)
    ap.add_argument("--layers", type=int)
    ap.add_argument("--vocab", type=int)
    ap.add_argument("--dtype", default="f32", choices=sorted(DTYPES))
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    tie = ap.add_mutually_exclusive_group()
    tie.add_argument("--tied", action="store_true")
    tie.add_argument("--untied", action="store_true")
    ap.add_argument("--rope-parameters", action="store_true", help="gemma-3-270m: write the newer rope_parameters")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON", help="override a config.json field")
    ap.add_argument("--transformer-prefix", action="store_true", help="gpt2: name tensors transformer.h.0...")
    ap.add_argument("--tokenizer-config", action="store_true", help="also write a minimal tokenizer_config.json")
    args = ap.parse_args()
    if args.rope_parameters:
        if args.shape != "gemma-3-270m":
            raise SystemExit("--rope-parameters applies to gemma-3-270m")
        args.shape = "gemma-3-270m-new"

    cfg, family = build_config(args)
    tied = cfg.get("tie_word_embeddings", True)
    names = (gpt2_tensors(cfg, "transformer." if args.transformer_prefix else "") if family == "gpt2"
             else decoder_tensors(cfg, family, tied))
    torch_dtype, st_dtype, _ = DTYPES[args.dtype]
    gen = torch.Generator().manual_seed(args.seed)
    entries = [(n, tensor_bytes(random_tensor(s, k, gen).to(torch_dtype)), s) for n, s, k in names]

    os.makedirs(args.out, exist_ok=True)
    dump_json(os.path.join(args.out, "config.json"), cfg)
    dump_json(os.path.join(args.out, "generation_config.json"), SHAPES[args.shape]["generation"])
    if args.tokenizer_config:
        dump_json(os.path.join(args.out, "tokenizer_config.json"), SHAPES[args.shape]["tokenizer"])
    if args.shards <= 1:
        write_safetensors(os.path.join(args.out, "model.safetensors"), entries, st_dtype)
        return
    weight_map = {}
    shards = split_shards(entries, args.shards)
    for i, shard in enumerate(shards):
        fname = f"model-{i + 1:05d}-of-{len(shards):05d}.safetensors"
        write_safetensors(os.path.join(args.out, fname), shard, st_dtype)
        weight_map.update({name: fname for name, _, _ in shard})
    total = sum(len(data) for _, data, _ in entries)
    dump_json(os.path.join(args.out, "model.safetensors.index.json"),
              {"metadata": {"total_size": total}, "weight_map": weight_map})


if __name__ == "__main__":
    torch.set_num_threads(2)
    main()
