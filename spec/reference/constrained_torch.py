#!/usr/bin/env python3
"""Independent float64 reference for rnnlab's constrained models, written from
docs/model-conventions.md alone with PyTorch autograd (no rnnlab code is read or imported).

For each case: seeded NumPy draws (raw weights, masks, α, inputs, targets, trial mask, frozen noise), then the loss
terms and the gradient of every raw parameter, for the total loss and for each term on its own, by autograd.
Writes spec/fixtures/constrained/<case>.json. Run: /usr/bin/python3 spec/reference/constrained_torch.py
(Debian's python3-torch and python3-numpy)."""
import json
import os
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'fixtures', 'constrained')

CASES = [
    dict(name='rate-dale-masks-alpha', formulation='rate', activation='tanh', readout='linear', dale=0.7,
         masks=True, autapses=False, frozen=True, per_unit_alpha=True, alpha=0.3, noise=0.1, bias=True, h0=True,
         regs=dict(l1In=0.01, l2In=0.02, l1Rec=0.03, l2Rec=0.04, l1Out=0.05, l2Out=0.06, l2Rate=0.07),
         N=7, I=3, O=2, B=4, T=11, seed=1),
    dict(name='current-dale-bce', formulation='current', activation='relu', readout='sigmoid', dale=0.6,
         masks=False, autapses=True, frozen=False, per_unit_alpha=True, alpha=0.2, noise=0.05, bias=True, h0=True,
         regs=dict(l1In=0, l2In=0, l1Rec=0.02, l2Rec=0, l1Out=0, l2Out=0.01, l2Rate=0.05),
         N=8, I=2, O=2, B=3, T=13, seed=2),
    dict(name='current-softplus-ce', formulation='current', activation='softplus', readout='softmax', dale=None,
         masks=True, autapses=True, frozen=True, per_unit_alpha=False, alpha=0.25, noise=0.0, bias=False, h0=True,
         regs=dict(l1In=0.01, l2In=0, l1Rec=0, l2Rec=0.03, l1Out=0.02, l2Out=0, l2Rate=0.1),
         N=6, I=3, O=3, B=5, T=9, seed=3),
    dict(name='rate-relu-sigmoid', formulation='rate', activation='relu', readout='sigmoid', dale=None,
         masks=False, autapses=False, frozen=False, per_unit_alpha=False, alpha=0.2, noise=0.0, bias=True, h0=False,
         regs=dict(l1In=0.05, l2In=0, l1Rec=0.05, l2Rec=0, l1Out=0.05, l2Out=0, l2Rate=0),
         N=6, I=2, O=1, B=4, T=10, seed=4),
]
REG_NAMES = ['l1In', 'l2In', 'l1Rec', 'l2Rec', 'l1Out', 'l2Out', 'l2Rate']
PARAMS = ['W_in', 'W_rec', 'b', 'W_out', 'b_out', 'h0', 'alpha']


def softplus(z):
    # log(1 + e^z) to float64 precision, no cut-over (conventions section 1)
    return torch.clamp(z, min=0) + torch.log1p(torch.exp(-torch.abs(z)))


def f(name, z):
    return {'tanh': torch.tanh, 'relu': torch.relu, 'softplus': softplus}[name](z)


def draw(c):
    rng = np.random.default_rng(c['seed'])
    N, I, O, B, T = c['N'], c['I'], c['O'], c['B'], c['T']
    d = {}
    d['W_in'] = rng.normal(0, 0.6, (N, I))
    d['W_rec'] = rng.normal(0, 1.2 / np.sqrt(N), (N, N))
    d['W_out'] = rng.normal(0, 0.5, (O, N))
    d['b'] = rng.normal(0, 0.1, N) if c['bias'] else np.zeros(N)
    d['b_out'] = rng.normal(0, 0.1, O)
    d['h0'] = rng.uniform(0.05, 0.3, N) * rng.choice([-1, 1], N) if c['h0'] else np.zeros(N)
    d['alpha'] = rng.uniform(0.1, 0.9, N) if c['per_unit_alpha'] else np.zeros(0)
    m_in = (rng.uniform(size=(N, I)) > 0.25).astype(float) if c['masks'] else np.ones((N, I))
    m_rec = (rng.uniform(size=(N, N)) > 0.3).astype(float) if c['masks'] else np.ones((N, N))
    m_out = (rng.uniform(size=(O, N)) > 0.2).astype(float) if c['masks'] else np.ones((O, N))
    if not c['autapses']:
        np.fill_diagonal(m_rec, 0)
    d['W_in'] *= m_in
    d['W_rec'] *= m_rec
    d['W_out'] *= m_out
    train = {}
    if c['frozen']:
        train['W_rec'] = (rng.uniform(size=(N, N)) > 0.2).astype(float)
        train['W_out'] = (rng.uniform(size=(O, N)) > 0.3).astype(float)
        train['b_out'] = np.array([0.0] + [1.0] * (O - 1))
    x = rng.normal(0, 1, (B, T, I))
    if c['readout'] == 'linear':
        y = rng.normal(0, 1, (B, T, O))
    elif c['readout'] == 'sigmoid':
        y = rng.uniform(0, 1, (B, T, O))
    else:
        y = np.eye(O)[rng.integers(0, O, (B, T))]
    m = (rng.uniform(size=(B, T)) > 0.3).astype(float) * rng.choice([1.0, 0.5, 2.0], (B, T))
    noise = c['noise'] * rng.normal(0, 1, (T, B, N))
    return d, dict(in_=m_in, rec=m_rec, out=m_out), train, x, y, m, noise


def effective(c, P, M):
    N = c['N']
    if c['dale'] is None:
        return P['W_in'] * M['in_'], P['W_rec'] * M['rec'], P['W_out'] * M['out']
    n_e = int(c['dale'] * N)
    dvec = torch.tensor([1.0] * n_e + [-1.0] * (N - n_e))
    evec = torch.tensor([1.0] * n_e + [0.0] * (N - n_e))
    return (torch.abs(P['W_in']) * M['in_'], (torch.abs(P['W_rec']) * M['rec']) @ torch.diag(dvec),
            (torch.abs(P['W_out']) * M['out']) @ torch.diag(evec))


def terms(c, P, M, x, y, m, noise):
    W_in, W_rec, W_out = effective(c, P, M)
    alpha = P['alpha'] if c['per_unit_alpha'] else torch.full((c['N'],), c['alpha'])
    B, T, O = c['B'], c['T'], c['O']
    state = P['h0'].unsqueeze(0).repeat(B, 1)
    rates, logits = [], []
    for t in range(T):
        if c['formulation'] == 'rate':
            z = state @ W_rec.T + x[:, t] @ W_in.T + P['b'] + noise[t]
            state = (1 - alpha) * state + alpha * f(c['activation'], z)
            r = state
        else:
            u = f(c['activation'], state) @ W_rec.T + x[:, t] @ W_in.T + P['b']
            state = (1 - alpha) * state + alpha * u + torch.sqrt(2 * alpha) * noise[t]
            r = f(c['activation'], state)
        rates.append(r)
        logits.append(r @ W_out.T + P['b_out'])
    a = torch.stack(logits, 1)  # [B][T][O]
    w = m.unsqueeze(-1)
    if c['readout'] == 'linear':
        task = (w * (a - y) ** 2).sum() / (O * m.sum())
    elif c['readout'] == 'sigmoid':
        task = (w * (softplus(a) - y * a)).sum() / (O * m.sum())
    else:
        task = -(w * y * torch.log_softmax(a, -1)).sum() / m.sum()
    r = c['regs']
    out = {'task': task}
    for key, W in (('In', W_in), ('Rec', W_rec), ('Out', W_out)):
        out['l1' + key] = r['l1' + key] * torch.abs(W).mean()
        out['l2' + key] = r['l2' + key] * (W ** 2).mean()
    out['l2Rate'] = r['l2Rate'] * (torch.stack(rates, 1) ** 2).mean()
    return out


def run(c):
    d, masks, train, x, y, m, noise = draw(c)
    M = {k: torch.tensor(v) for k, v in masks.items()}
    X, Y, Mk, Z = torch.tensor(x), torch.tensor(y), torch.tensor(m), torch.tensor(noise)

    def grads_of(select):
        P = {k: torch.tensor(v, requires_grad=True) for k, v in d.items()}
        t = terms(c, P, M, X, Y, Mk, Z)
        total = sum(t[k] for k in select)
        total.backward()
        g = {}
        for k in PARAMS:
            gk = P[k].grad if P[k].grad is not None else torch.zeros_like(P[k])
            if k in train:
                gk = gk * torch.tensor(train[k])
            g[k] = gk.detach().numpy().reshape(-1).tolist()
        return {k: float(v) for k, v in t.items()}, g

    names = ['task'] + REG_NAMES
    values, total_grad = grads_of(names)
    per_term = {}
    for k in names:
        if k == 'task' or c['regs'][k] > 0:
            per_term[k] = grads_of([k])[1]
    config = dict(nIn=c['I'], nRec=c['N'], nOut=c['O'], alpha=c['alpha'], activation=c['activation'],
                  recurrentBias=c['bias'], trainH0=c['h0'], noiseStd=c['noise'], dtype='float64',
                  formulation=c['formulation'], daleRatio=c['dale'], autapses=c['autapses'],
                  perUnitAlpha=c['per_unit_alpha'], trainAlpha=c['per_unit_alpha'], readout=c['readout'],
                  regularizers=c['regs'])
    return dict(
        source='spec/reference/constrained_torch.py (PyTorch %s autograd, float64)' % torch.__version__,
        config=config,
        params={k: v.reshape(-1).tolist() for k, v in d.items()},
        masks=None if not c['masks'] and c['autapses'] else {k: v.reshape(-1).tolist() for k, v in masks.items()},
        trainMask={k: v.reshape(-1).tolist() for k, v in train.items()} or None,
        trials=dict(nTrials=c['B'], nSteps=c['T'], nIn=c['I'], nOut=c['O'], inputs=x.reshape(-1).tolist(),
                    targets=y.reshape(-1).tolist(), mask=m.reshape(-1).tolist()),
        noise_TxBxN=noise.reshape(-1).tolist(),
        terms=values, total=sum(values.values()), gradients=total_grad, termGradients=per_term)


def main():
    os.makedirs(OUT, exist_ok=True)
    for c in CASES:
        with open(os.path.join(OUT, c['name'] + '.json'), 'w') as fh:
            json.dump(run(c), fh, indent=1)  # one value a line: no line over 120 columns
        print('wrote', c['name'], file=sys.stderr)


if __name__ == '__main__':
    main()
