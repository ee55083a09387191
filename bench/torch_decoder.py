"""PyTorch reference for `npm run bench:real`: one fine-tuning step of a Llama-family model read from a Hugging Face
folder (config.json + safetensors, as tests/python/make_hf_model.py writes them), on the CPU, batched, the way
transformers' LlamaForCausalLM computes it in eager mode: RMSNorm, rotary embeddings (rotate_half), grouped-query
attention with repeat_kv, a causal softmax, the SwiGLU MLP, logits tied or not, mean cross-entropy.

--method lora: LoRA (Hu et al. 2021, PEFT's layout) of rank r on q/k/v/o, A uniform(±1/sqrt(in)), B zeros, the
update s·(x·Aᵀ)·Bᵀ with s = alpha/r beside the frozen x·Wᵀ; only A and B train. --method full: every weight trains.
Same step as the trainer (trainLoop.ts): AdamW (β 0.9, 0.99, eps 1e-8, no decay), global-norm clip 1.0, constant lr.

Threads: PyTorch's fastest setting depends on the model's size, so with --threads auto the warm-up steps alternate
between OpenBLAS 1 + torch 2 and OpenBLAS 2 + torch 1 (set at run time through the loaded libblas) and the timed steps
use the faster; --threads "B,T" fixes them.

With --lockstep it takes each timed step when a line arrives on stdin and answers one JSON line {"ms", "cpuMs"}; at
the end it prints {"msPerStep", "tokensPerSecond", "cpuMsPerStep", "steps", "peakRssBytes", "threads", "loss0"}.
"""
import argparse
import json
import math
import os
import resource
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F

from torch_threads import ThreadChooser

ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def load_weights(folder):
    """Every tensor of the folder's safetensors file(s) as float32, each read straight into its own storage."""
    index = os.path.join(folder, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    w = {}
    for fname in files:
        with open(os.path.join(folder, fname), "rb") as f:
            (n,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(n))
            for name, e in header.items():
                if name == "__metadata__":
                    continue
                begin, end = e["data_offsets"]
                raw = torch.empty(end - begin, dtype=torch.uint8)
                f.seek(8 + n + begin)
                f.readinto(memoryview(raw.numpy()))
                w[name] = raw.view(ST_DTYPES[e["dtype"]]).to(torch.float32).reshape(e["shape"])
    return w


class Llama:
    def __init__(self, cfg, w, method, rank, alpha, seed):
        self.cfg, self.w = cfg, w
        self.C, self.H = cfg["hidden_size"], cfg["num_attention_heads"]
        self.Hkv = cfg.get("num_key_value_heads") or self.H
        self.hd = cfg.get("head_dim") or self.C // self.H
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.L = cfg["num_hidden_layers"]
        self.tied = cfg.get("tie_word_embeddings", False)
        self.lora, self.scale = {}, alpha / rank
        gen = torch.Generator().manual_seed(seed)
        if method == "lora":
            for t in w.values():
                t.requires_grad_(False)
            for i in range(self.L):
                for part in ("q", "k", "v", "o"):
                    W = w[f"model.layers.{i}.self_attn.{part}_proj.weight"]
                    out, inp = W.shape
                    bound = 1 / math.sqrt(inp)
                    A = (torch.rand(rank, inp, generator=gen) * 2 - 1) * bound
                    self.lora[(i, part)] = (A.requires_grad_(True), torch.zeros(out, rank, requires_grad=True))
            self.params = [t for pair in self.lora.values() for t in pair]
        else:
            self.params = list(w.values())
            for t in self.params:
                t.requires_grad_(True)

    def inv_freq(self):
        theta = self.cfg.get("rope_theta", 10000.0)
        freq = 1.0 / (theta ** (torch.arange(0, self.hd, 2, dtype=torch.float32) / self.hd))
        rs = self.cfg.get("rope_scaling")
        if rs and rs.get("rope_type") == "llama3":  # transformers' _compute_llama3_parameters
            factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
            old = rs["original_max_position_embeddings"]
            wavelen = 2 * math.pi / freq
            scaled = torch.where(wavelen > old / low, freq / factor, freq)
            smooth = (old / wavelen - low) / (high - low)
            mid = (1 - smooth) * scaled / factor + smooth * scaled
            is_mid = (wavelen >= old / high) & (wavelen <= old / low)
            freq = torch.where(is_mid, mid, scaled)
        return freq

    def norm(self, x, name):
        return self.w[name] * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))

    def proj(self, x, i, part):
        y = x @ self.w[f"model.layers.{i}.self_attn.{part}_proj.weight"].T
        if (i, part) in self.lora:
            A, B = self.lora[(i, part)]
            y = y + ((x @ A.T) @ B.T) * self.scale
        return y

    def loss(self, inputs, targets):
        Bsz, T = inputs.shape
        H, Hkv, hd = self.H, self.Hkv, self.hd
        pos = torch.arange(T, dtype=torch.float32)
        freqs = torch.outer(pos, self.inv_freq())
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos(), emb.sin()
        mask = torch.full((T, T), float("-inf")).triu(1)

        def rope(t):
            half = t.shape[-1] // 2
            rot = torch.cat([-t[..., half:], t[..., :half]], dim=-1)
            return t * cos + rot * sin

        x = self.w["model.embed_tokens.weight"][inputs]
        for i in range(self.L):
            p = f"model.layers.{i}."
            h = self.norm(x, p + "input_layernorm.weight")
            q = self.proj(h, i, "q").view(Bsz, T, H, hd).transpose(1, 2)
            k = self.proj(h, i, "k").view(Bsz, T, Hkv, hd).transpose(1, 2)
            v = self.proj(h, i, "v").view(Bsz, T, Hkv, hd).transpose(1, 2)
            q, k = rope(q), rope(k)
            k, v = k.repeat_interleave(H // Hkv, 1), v.repeat_interleave(H // Hkv, 1)
            att = torch.softmax((q @ k.transpose(-1, -2)) * hd ** -0.5 + mask, dim=-1)
            o = self.proj((att @ v).transpose(1, 2).reshape(Bsz, T, H * hd), i, "o")
            x = x + o
            m = self.norm(x, p + "post_attention_layernorm.weight")
            gate = F.silu(m @ self.w[p + "mlp.gate_proj.weight"].T)
            x = x + (gate * (m @ self.w[p + "mlp.up_proj.weight"].T)) @ self.w[p + "mlp.down_proj.weight"].T
        x = self.norm(x, "model.norm.weight")
        head = self.w["model.embed_tokens.weight" if self.tied else "lm_head.weight"]
        logits = x @ head.T
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.reshape(-1))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder")
    ap.add_argument("--method", choices=["lora", "full"], required=True)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=16)
    ap.add_argument("--threads", default="auto", help='"auto" or "BLAS,TORCH" thread counts')
    ap.add_argument("--lockstep", action="store_true")
    args = ap.parse_args()

    cfg = json.load(open(os.path.join(args.folder, "config.json")))
    model = Llama(cfg, load_weights(args.folder), args.method, args.rank, args.alpha, seed=0)
    opt = torch.optim.AdamW(model.params, lr=args.lr, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.0)
    V = cfg["vocab_size"]
    drawn = [0]

    def batch():
        """Step s's tokens as bench/real.ts's benchBatch draws them: a hash of position and step, mod V."""
        i = torch.arange(args.batch * (args.context + 1), dtype=torch.int64)
        stream = ((i * 2654435761 + drawn[0] * 97 + 12345) % 2 ** 32) % V
        drawn[0] += 1
        return stream.view(args.batch, args.context + 1)

    def step():
        stream = batch()
        t0, c0 = time.perf_counter(), time.process_time()
        loss = model.loss(stream[:, :-1], stream[:, 1:])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.params, 1.0)
        opt.step()
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, loss.item()

    chooser = ThreadChooser(args.threads)
    warmup = max(args.warmup, len(chooser.settings))
    times, cpu, loss0 = [], [], None
    for i in range(warmup + args.steps):
        if args.lockstep and not sys.stdin.readline():
            return  # the bench has gone
        if i < warmup:
            ms, cms, loss = chooser.warmup_step(i, step)
        else:
            if i == warmup:
                chooser.choose()
            ms, cms, loss = step()
            times.append(ms)
            cpu.append(cms)
            print(f"torch step {i - warmup + 1}/{args.steps}: {ms:.0f} ms", file=sys.stderr)
        loss0 = loss if loss0 is None else loss0
        if args.lockstep:
            print(json.dumps({"ms": ms, "cpuMs": cms}), flush=True)
    tokens = args.batch * args.context
    med = statistics.median(times)
    print(json.dumps({"msPerStep": med, "tokensPerSecond": tokens / med * 1000, "cpuMsPerStep": statistics.median(cpu),
                      "steps": len(times), "peakRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "loss0": loss0, "torch": torch.__version__, **chooser.summary()}), flush=True)


if __name__ == "__main__":
    main()
