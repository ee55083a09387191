"""Self-check of make_hf_model.py + hf_reference.py (no transformers needed): for every shape at 2 layers (7 for
Gemma, so a full-attention layer is present) and vocabulary 512 it writes f32, f32 sharded, f16 and bf16 folders
and checks that
  - the same flags give the same bytes,
  - sharded and single-file f32 give identical logits; f16/bf16 logits stay close to f32,
  - every tensor in the file is used by the forward pass,
  - the greedy tokens are deterministic and consistent with the logits (first = argmax of the prompt's last row)
    and the forward is causal (a longer prompt leaves earlier rows unchanged),
  - gemma-3-270m and gemma-3-270m-new (rope_parameters) give identical logits,
  - a Gemma sliding window shorter than the prompt changes only the rows past the window,
  - llama paths agree with tests/python/torch_forward.py (F32 single-file llama / gpt2 it accepts).
usage: check_hf_reference.py [--keep DIR]      prints 'N passed, N failed'
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hf_reference  # noqa: E402

PY = sys.executable
IDS = [5, 17, 3, 250, 99, 1, 42, 7, 300, 11]
SHAPES = ["smollm2-135m", "llama-3.2-1b", "tinyllama-1.1b", "qwen2.5-0.5b", "qwen3-0.6b", "gemma-3-270m",
          "gemma-3-270m-new", "gpt2-124m"]
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'  ' + detail if detail else ''}", flush=True)


def make(out, shape, *flags):
    layers = "7" if shape.startswith("gemma") else "2"
    subprocess.run([PY, os.path.join(HERE, "make_hf_model.py"), "--shape", shape, "--out", out, "--layers", layers,
                    "--vocab", "512", *flags], check=True)
    return out


def digest(folder):
    h = hashlib.sha256()
    for f in sorted(os.listdir(folder)):
        h.update(f.encode() + open(os.path.join(folder, f), "rb").read())
    return h.hexdigest()


def reference(folder, ids=IDS, greedy=0, track=None):
    """In-process run (so tensor use can be tracked); returns (logits, greedy ids)."""
    cfg = hf_reference.text_config(json.load(open(os.path.join(folder, "config.json"))))
    w = hf_reference.load_weights(folder)
    if track is not None:
        class Tracking(dict):
            def __getitem__(self, k):
                track.add(k)
                return dict.__getitem__(self, k)

            def get(self, k, default=None):
                if k in self:
                    track.add(k)
                return dict.get(self, k, default)
        w = Tracking(w)
    fwd = hf_reference.forward_fn(cfg)
    with torch.no_grad():
        logits = fwd(cfg, w, torch.tensor(ids))
        seq, out = list(ids), []
        for _ in range(greedy):
            out.append(int(torch.argmax(fwd(cfg, w, torch.tensor(seq))[-1])))
            seq.append(out[-1])
    return logits, out


def cli(folder, *flags):
    p = subprocess.run([PY, os.path.join(HERE, "hf_reference.py"), folder, "--ids", ",".join(map(str, IDS)), *flags],
                       check=True, capture_output=True, text=True)
    return json.loads(p.stdout)


def maxdiff(a, b):
    return float((torch.as_tensor(a) - torch.as_tensor(b)).abs().max())


def main(tmp):
    torch.set_num_threads(2)
    for shape in SHAPES:
        d = lambda s: os.path.join(tmp, f"{shape}-{s}")
        f32 = make(d("f32"), shape)
        again = make(d("f32b"), shape)
        check(f"{shape}: same flags, same bytes", digest(f32) == digest(again))
        sharded = make(d("sharded"), shape, "--shards", "3")
        check(f"{shape}: 3 shards written", len([f for f in os.listdir(sharded) if f.startswith("model-")]) == 3)
        used = set()
        base, greedy = reference(f32, greedy=4, track=used)
        names = set(hf_reference.load_weights(f32))
        check(f"{shape}: every tensor used", used >= names, str(sorted(names - used)[:4]))
        check(f"{shape}: logits finite, shape", bool(torch.isfinite(base).all()) and tuple(base.shape) == (len(IDS), 512))
        s_logits, s_greedy = reference(sharded, greedy=4)
        check(f"{shape}: sharded == single f32", torch.equal(s_logits, base) and s_greedy == greedy)
        scale = float(base.abs().max())
        for dt, tol in (("f16", 0.01), ("bf16", 0.05)):
            low, _ = reference(make(d(dt), shape, "--dtype", dt))
            diff = maxdiff(low, base)
            check(f"{shape}: {dt} close to f32", diff < tol * max(scale, 1.0), f"max|d|={diff:.2e} scale {scale:.2f}")
        out = cli(f32, "--greedy", "4")
        check(f"{shape}: CLI greedy deterministic, matches in-process", out["greedy"] == greedy == cli(f32, "--greedy", "4")["greedy"])
        check(f"{shape}: CLI logits == in-process", maxdiff(out["logits"], base) == 0.0)
        check(f"{shape}: greedy[0] = argmax(last row)", greedy[0] == int(torch.argmax(base[-1])))
        last = cli(f32, "--last-only")["logits"]
        check(f"{shape}: --last-only", len(last) == 1 and maxdiff(last[0], base[-1]) == 0.0)
        longer, _ = reference(f32, ids=IDS + greedy)
        check(f"{shape}: causal (prefix rows unchanged)", maxdiff(longer[: len(IDS)], base) < 1e-5)
        diff = maxdiff(cli(f32, "--dtype-compute", "f64")["logits"], base)
        check(f"{shape}: f32 within 1e-5 of f64 compute", diff < 1e-5, f"max|d|={diff:.2e}")

    g_old, _ = reference(os.path.join(tmp, "gemma-3-270m-f32"))
    g_new, _ = reference(os.path.join(tmp, "gemma-3-270m-new-f32"))
    check("gemma3: rope_parameters config == rope_theta/rope_local_base_freq config", torch.equal(g_old, g_new))
    win = make(os.path.join(tmp, "gemma-win"), "gemma-3-270m", "--set", "sliding_window=4")
    g_win, _ = reference(win)
    check("gemma3: sliding_window 4 leaves rows 0..3 unchanged", maxdiff(g_win[:4], g_old[:4]) < 1e-6)
    check("gemma3: sliding_window 4 changes row 4 on", maxdiff(g_win[4:5], g_old[4:5]) > 1e-4)
    cap = make(os.path.join(tmp, "gemma-cap"), "gemma-3-270m", "--set", "final_logit_softcapping=0.5")
    g_cap, _ = reference(cap)
    check("gemma3: final softcap bounds logits", float(g_cap.abs().max()) < 0.5 and maxdiff(g_cap, torch.tanh(g_old / 0.5) * 0.5) < 1e-5)
    q_win = make(os.path.join(tmp, "qwen2-win"), "qwen2.5-0.5b", "--set", "use_sliding_window=true",
                 "--set", "sliding_window=3", "--set", "max_window_layers=1")
    q_plain, _ = reference(os.path.join(tmp, "qwen2.5-0.5b-f32"))
    q_sw, _ = reference(q_win)
    check("qwen2: use_sliding_window on layers >= max_window_layers", maxdiff(q_sw[:3], q_plain[:3]) < 1e-6 and maxdiff(q_sw, q_plain) > 1e-4)
    check("qwen2: sliding_window ignored while use_sliding_window false", torch.equal(
        reference(make(os.path.join(tmp, "qwen2-off"), "qwen2.5-0.5b", "--set", "sliding_window=3"))[0], q_plain))
    l3 = hf_reference.inv_freq({"rope_type": "llama3", "rope_theta": 500000.0, "factor": 32.0, "low_freq_factor": 1.0,
                                "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}, 64, 131072, 4)
    plain = hf_reference.inv_freq({"rope_type": "default", "rope_theta": 500000.0}, 64, 131072, 4)
    wl = 2 * torch.pi / plain
    check("llama3 rope: high freq kept, low freq / 32", torch.equal(l3[wl < 2048], plain[wl < 2048])
          and torch.allclose(l3[wl > 8192], plain[wl > 8192] / 32))
    dyn = {"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 2.0}
    check("dynamic rope: unchanged up to max_position_embeddings", torch.equal(hf_reference.inv_freq(dyn, 64, 16, 16), hf_reference.inv_freq({"rope_theta": 10000.0}, 64, 16, 16)))
    check("dynamic rope: base grows past it", bool((hf_reference.inv_freq(dyn, 64, 16, 32)[1:] < hf_reference.inv_freq(dyn, 64, 16, 16)[1:]).all()))

    # torch_forward.py (tests' older reference) on the F32 single-file folders it accepts
    for shape, flags in (("smollm2-135m", ()), ("tinyllama-1.1b", ()), ("gpt2-124m", ("--transformer-prefix",))):
        folder = make(os.path.join(tmp, f"tf-{shape}"), shape, *flags)
        p = subprocess.run([PY, os.path.join(HERE, "torch_forward.py"), folder, json.dumps(IDS)], check=True,
                           capture_output=True, text=True)
        theirs, ours = json.loads(p.stdout)["logits"], cli(folder)["logits"]
        diff = maxdiff(theirs, ours)
        check(f"torch_forward.py agrees on {shape}", diff < 1e-5, f"max|d|={diff:.2e}")
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return failed


if __name__ == "__main__":
    if "--keep" in sys.argv:
        keep = sys.argv[sys.argv.index("--keep") + 1]
        os.makedirs(keep, exist_ok=True)
        sys.exit(1 if main(keep) else 0)
    with tempfile.TemporaryDirectory() as tmp:
        sys.exit(1 if main(tmp) else 0)
