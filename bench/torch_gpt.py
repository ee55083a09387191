"""PyTorch reference for `npm run bench`: trains the GPT that main/trainer/model.ts builds, on the CPU, and prints
one JSON line {"msPerStep", "tokensPerSecond", "cpuMsPerStep", "steps", "threads", "torch"} on stdout; progress goes to stderr.

Same model as GptModel: token + learned position embeddings, pre-LN blocks (causal self-attention, 4x MLP with
tanh-GELU), final LayerNorm, LM head tied to the token embedding, init N(0, 0.02) with residual projections scaled by
1/sqrt(2·nLayer). Same step as loop.ts: mean cross-entropy, global-norm clip 1.0, Adam(0.9, 0.99, eps 1e-8), linear
warmup then cosine to 10% of the peak learning rate. Random tokens; the first `warmup` steps are not timed.

Threads: --threads auto (the default) alternates OpenBLAS 1 + torch 2 and OpenBLAS 2 + torch 1 over the warm-up steps
and times the faster (bench/torch_threads.py); --threads "B,T" fixes them.

With --lockstep it takes each step only when a line arrives on stdin and answers with one JSON line {"ms", "cpuMs"}
on stdout, so `npm run bench` can alternate its steps with ours and both see the same load on a busy machine.
"""
import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_threads import ThreadChooser


class Block(nn.Module):
    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.c_attn = nn.Linear(width, 3 * width)
        self.c_proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.c_fc = nn.Linear(width, 4 * width)
        self.mlp_proj = nn.Linear(4 * width, width)

    def attention(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        hd = C // self.heads
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, hd).transpose(1, 2) for t in (q, k, v))  # (B, H, T, hd)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(hd) + mask[:T, :T]  # (B, H, T, T)
        y = F.softmax(scores, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = x + self.attention(self.ln_1(x), mask)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab: int, width: int, heads: int, layers: int, context: int):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.h = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)
        above = torch.triu(torch.ones(context, context, dtype=torch.bool), diagonal=1)
        self.register_buffer("mask", torch.zeros(context, context).masked_fill(above, -1e9))
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.dim() == 1:
                nn.init.ones_(p)  # LayerNorm gains
            else:
                residual = name.endswith("c_proj.weight") or name.endswith("mlp_proj.weight")
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * layers) if residual else 0.02)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        B, T = tokens.shape
        x = self.wte(tokens) + self.wpe.weight[:T]
        for block in self.h:
            x = block(x, self.mask)
        return self.ln_f(x) @ self.wte.weight.t()  # (B, T, V), tied head


def learning_rate(step: int, peak: float, warmup: int, total: int) -> float:
    """loop.ts learningRateAt: linear warmup, then cosine to 10% of peak."""
    if step <= warmup:
        return peak * step / warmup
    progress = min(1.0, (step - warmup) / (total - warmup)) if total > warmup else 1.0
    floor = peak * 0.1
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * progress))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=256)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--context", type=int, default=64)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=30, help="timed steps")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps first")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", default="auto", help='"auto" or "BLAS,TORCH" thread counts')
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--lockstep", action="store_true", help="one step per line read from stdin")
    args = ap.parse_args()

    chooser = ThreadChooser(args.threads)
    warmup = max(args.warmup, len(chooser.settings))
    torch.manual_seed(args.seed)
    model = Gpt(args.vocab, args.width, args.heads, args.layers, args.context)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99), eps=1e-8)
    total = warmup + args.steps
    B, T = args.batch, args.context
    times = []
    cpu_times = []  # process CPU time, all threads together
    for step in range(1, total + 1):
        if args.lockstep and not sys.stdin.readline():
            return  # the bench has gone
        data = torch.randint(0, args.vocab, (B, T + 1))

        def run():
            start = time.perf_counter()
            cpu_start = time.process_time()
            for group in opt.param_groups:
                group["lr"] = learning_rate(step, args.lr, 10, total)
            logits = model(data[:, :-1])
            loss = F.cross_entropy(logits.reshape(B * T, args.vocab), data[:, 1:].reshape(B * T))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            return (time.perf_counter() - start) * 1000, (time.process_time() - cpu_start) * 1000, loss

        if step <= warmup:
            elapsed, cpu_elapsed, loss = chooser.warmup_step(step - 1, run)
        else:
            if step == warmup + 1:
                chooser.choose()
            elapsed, cpu_elapsed, loss = run()
        if step > warmup:
            times.append(elapsed)
            cpu_times.append(cpu_elapsed)
        if args.lockstep:
            print(json.dumps({"ms": elapsed, "cpuMs": cpu_elapsed}), flush=True)
        print(f"pytorch step {step}/{total}: {elapsed:.1f} ms, loss {loss.item():.3f}", file=sys.stderr)
    ms = statistics.median(times)
    print(json.dumps({"msPerStep": ms, "tokensPerSecond": B * T / ms * 1000,
                      "cpuMsPerStep": statistics.median(cpu_times), "steps": len(times),
                      "torch": torch.__version__, **chooser.summary()}))


if __name__ == "__main__":
    main()
