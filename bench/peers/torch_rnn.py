"""PyTorch peer for bench/run.ts: the paper's workload with nn.RNN + nn.Linear + torch.optim.Adam, float32.

Protocol: one JSON request per stdin line, {"N":100,"T":200,"B":64,"I":2,"reps":5,"warmup":1,"what":"train"|"infer"};
one JSON reply per line with the per-rep times in ms. Threads are fixed by the driver's environment:
RNNLAB_TORCH_THREADS (torch.set_num_threads, default 1) and OMP_NUM_THREADS; OpenBLAS stays at 1 thread, because
PyTorch's default (2 OpenMP threads plus OpenBLAS' own pool) oversubscribes a 2-core machine
(shared/docs/perf-anchors.md: 4.8x slower).
"""
import os
import json
import sys
import time

import torch

torch.set_num_threads(int(os.environ.get("RNNLAB_TORCH_THREADS", "1")))
torch.manual_seed(0)


def build(N, I):
    rnn = torch.nn.RNN(I, N, nonlinearity="tanh", bias=False, batch_first=True)
    lin = torch.nn.Linear(N, 1)
    return rnn, lin


def main():
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and line.split()[-1].startswith("/")})
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req["what"] == "peak":
            # The machine's single-thread float32 GEMM peak, for the efficiency column: torch.mm at n^3 (OpenBLAS).
            n = req.get("n", 1024)
            a, b = torch.randn(n, n), torch.randn(n, n)
            torch.mm(a, b)
            times = []
            for _ in range(req.get("reps", 5)):
                t0 = time.perf_counter()
                torch.mm(a, b)
                times.append(time.perf_counter() - t0)
            print(json.dumps({"times": [t * 1000 for t in times], "gflops": 2 * n ** 3 / min(times) / 1e9}), flush=True)
            continue
        N, T, B, I = req["N"], req["T"], req["B"], req["I"]
        rnn, lin = build(N, I)
        opt = torch.optim.Adam(list(rnn.parameters()) + list(lin.parameters()), lr=1e-4)
        x = torch.randn(B, T, I)
        y = torch.rand(B, T, 1) * 2 - 1

        def train_step():
            opt.zero_grad()
            h, _ = rnn(x)
            loss = torch.nn.functional.mse_loss(lin(h), y)
            loss.backward()
            opt.step()
            return float(loss)

        def infer_step():
            with torch.no_grad():
                h, _ = rnn(x)
                return float(lin(h).sum())

        step = train_step if req["what"] == "train" else infer_step
        for _ in range(req.get("warmup", 1)):
            step()
        times = []
        for _ in range(req["reps"]):
            t0 = time.perf_counter()
            v = step()
            times.append((time.perf_counter() - t0) * 1000)
            if v != v:
                raise RuntimeError("NaN in benchmark")
        print(json.dumps({"times": times}), flush=True)


if __name__ == "__main__":
    main()
