#!/usr/bin/env python3
"""Reference values for rnnlab's DSA (analysis/dsa.ts), computed by the reference implementation itself:
dmd.py, base_dmd.py and simdist.py of mitchellostrow/DSA, copied unchanged beside this file (MIT licence, LICENSE).

Systems (states [B][T][n], seeded NumPy): a damped linear rotation in 4 dimensions; the same states through a random
orthogonal map (the same dynamics in other coordinates: DSA 0); a rotation at other frequencies; a random tanh
network in 4 dimensions. For each: the reference DMD's A_v (HAVOK, principal component regression, float64) and its
eigenvalues (its default ridge λ = 1e-8); for pairs: the reference SimilarityTransformDist angular score (its Adam
optimiser, defaults).
Writes spec/fixtures/dsa/dsa.json. Run: /usr/bin/python3 spec/reference/dsa/make_fixture.py (Debian's python3-torch
and python3-numpy). simdist.py imports POT (`ot`) for its Wasserstein score, which is not used here; a stub stands in.
"""
import json
import os
import sys
import types

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'fixtures', 'dsa')
sys.path.insert(0, HERE)
ot = types.ModuleType('ot')
for name in ('dist', 'emd', 'emd2', 'sinkhorn2'):
    setattr(ot, name, None)
sys.modules['ot'] = ot
torch.set_default_dtype(torch.float64)
torch.manual_seed(0)

from dmd import DMD  # noqa: E402
from simdist import SimilarityTransformDist  # noqa: E402

B, T, N_DELAYS, RANK = 6, 50, 3, 4


def rotation(angles, decay):
    m = np.zeros((4, 4))
    for k, a in enumerate(angles):
        c, s = np.cos(a), np.sin(a)
        m[2 * k:2 * k + 2, 2 * k:2 * k + 2] = decay * np.array([[c, -s], [s, c]])
    return m


def run_linear(m, x0):
    x = np.zeros((B, T, 4))
    x[:, 0] = x0
    for t in range(1, T):
        x[:, t] = x[:, t - 1] @ m.T
    return x


def run_tanh(w, x0):
    x = np.zeros((B, T, 4))
    x[:, 0] = x0
    for t in range(1, T):
        x[:, t] = np.tanh(x[:, t - 1] @ w.T)
    return x


rng = np.random.default_rng(7)
x0 = rng.normal(size=(B, 4))
q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
systems = {
    'rotation': run_linear(rotation([0.2, 0.5], 0.98), x0),
}
systems['rotated-copy'] = systems['rotation'] @ q.T
systems['other-frequencies'] = run_linear(rotation([0.05, 0.9], 0.98), x0)
systems['tanh-network'] = run_tanh(1.3 * rng.normal(size=(4, 4)) / 2, x0)

fits = {}
out = {'B': B, 'T': T, 'n': 4, 'nDelays': N_DELAYS, 'delayInterval': 1, 'rank': RANK, 'systems': {}, 'pairs': []}
for name, x in systems.items():
    dmd = DMD(torch.from_numpy(x), n_delays=N_DELAYS, delay_interval=1, rank=RANK)
    dmd.fit()
    a = dmd.A_v.detach().numpy()
    fits[name] = a
    ev = np.linalg.eigvals(a)
    ev = ev[np.lexsort((ev.imag, ev.real))]
    out['systems'][name] = {
        'states': x.reshape(-1).tolist(),
        'eigenvalues': [[float(e.real), float(e.imag)] for e in ev],
    }

# The similarity transform is float32 in the reference (torch.eye(n).float()): its modules take the default dtype.
torch.set_default_dtype(torch.float32)
for a, b in [('rotation', 'rotated-copy'), ('rotation', 'other-frequencies'), ('rotation', 'tanh-network'),
             ('other-frequencies', 'tanh-network')]:
    sim = SimilarityTransformDist(score_method='angular')
    sim.fit(torch.from_numpy(fits[a]).float(), torch.from_numpy(fits[b]).float())
    out['pairs'].append({'a': a, 'b': b, 'angular': float(sim.score())})

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, 'dsa.json'), 'w') as fh:
    json.dump(out, fh, indent=1)  # one value a line: no line over 120 columns
print({p['a'] + '|' + p['b']: round(p['angular'], 4) for p in out['pairs']})
