"""PyTorch's fastest CPU thread setting depends on the model's size (STACK.md: at 0.8M parameters both settings below
tie, at 106M OpenBLAS 2 + torch 1 is 1.4x faster than OpenBLAS 1 + torch 2; both at 2 oversubscribe), so a fair
baseline tries both. ThreadChooser alternates the two during the warm-up steps, with OpenBLAS's count set at run time
through the libblas torch is linked to (Debian: OpenBLAS through alternatives), and keeps the faster for the timed
steps. A fixed setting is given as "BLAS,TORCH"."""
import ctypes
import ctypes.util
import sys

import torch

SETTINGS = [(1, 2), (2, 1)]


def _blas_threads_setter():
    for name in ("libblas.so.3", "libopenblas.so.0", ctypes.util.find_library("openblas") or ""):
        if not name:
            continue
        try:
            fn = ctypes.CDLL(name).openblas_set_num_threads
            fn.argtypes = [ctypes.c_int]
            return fn
        except (OSError, AttributeError):
            continue
    return None


class ThreadChooser:
    def __init__(self, spec: str):
        self.settings = SETTINGS if spec == "auto" else [tuple(int(v) for v in spec.split(","))]
        self.set_blas = _blas_threads_setter()
        self.warm = {s: [] for s in self.settings}
        self.chosen = None
        if not self.set_blas and len(self.settings) > 1:
            print("torch: no openblas_set_num_threads in libblas; OpenBLAS keeps OPENBLAS_NUM_THREADS", file=sys.stderr)

    def _use(self, s):
        if self.set_blas:
            self.set_blas(s[0])
        torch.set_num_threads(s[1])

    def warmup_step(self, i: int, run):
        """Runs warm-up step i (0-based) under the next setting; run() returns its milliseconds first."""
        s = self.settings[i % len(self.settings)]
        self._use(s)
        result = run()
        self.warm[s].append(result[0])
        print(f"torch warm-up {i + 1} (OpenBLAS {s[0]}, torch {s[1]} threads): {result[0]:.0f} ms", file=sys.stderr)
        return result

    def choose(self):
        """The setting whose last warm-up step was fastest (a process's first steps are slower), now in use."""
        tried = [s for s in self.settings if self.warm[s]] or self.settings
        self.chosen = min(tried, key=lambda s: self.warm[s][-1] if self.warm[s] else 0)
        self._use(self.chosen)
        return self.chosen

    def summary(self):
        return {"threads": {"openblas": self.chosen[0], "torch": self.chosen[1]},
                "warmupMs": {f"{s[0]},{s[1]}": self.warm[s] for s in self.settings}}
