#!/usr/bin/env python3
"""A PsychRNN-format model file and what PsychRNN's own simulator computes with it (spec/fixtures/psychrnn).

The file holds what psychrnn.backend.rnn.RNN.save writes (np.savez of get_weights()) for a Basic model with
dale_ratio 0.8, connectivity masks and no autapses, N_rec 10, N_in 3, N_out 2, after training: W_in, W_rec, W_out
are the effective weights (get_effective_W_*), float32; Dale_rec, Dale_out, the connectivity arrays, b_rec, b_out,
init_state [1][N]; optimiser slots (W_rec/Adam, …); dale_ratio as a 0-d float; transfer_function as a pickled
object (here a pickled string, standing in for the TensorFlow function a real file pickles). The weights are
seeded draws shaped by PsychRNN's own rules (initializations.py), not a trained network. Outputs and states come
from simulation.py's BasicSimulator.run_trials on seeded inputs, in float64, with alpha 0.2 and relu.

Run with Debian's python3-numpy: /usr/bin/python3 spec/reference/psychrnn/make_fixture.py"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simulation import BasicSimulator  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'fixtures', 'psychrnn')
N, I, O, B, T, ALPHA, RATIO = 10, 3, 2, 4, 25, 0.2, 0.8


def main():
    rng = np.random.default_rng(7)
    n_e = int(RATIO * N)
    dale_vec = np.ones(N)
    dale_vec[n_e:] = -1
    dale_rec = np.diag(dale_vec)
    dale_vec[n_e:] = 0
    dale_out = np.diag(dale_vec)
    in_conn = (rng.uniform(size=(N, I)) > 0.2).astype(float)
    rec_conn = (rng.uniform(size=(N, N)) > 0.3).astype(float)
    np.fill_diagonal(rec_conn, 0)
    out_conn = (rng.uniform(size=(O, N)) > 0.1).astype(float)
    W_in = rng.normal(0, 0.5, (N, I))
    W_rec = rng.normal(0, 0.4, (N, N))
    W_out = rng.normal(0, 0.5, (O, N))
    eff = {
        'W_in': np.abs(W_in * in_conn),
        'W_rec': np.matmul(np.abs(W_rec * rec_conn), dale_rec),
        'W_out': np.matmul(np.abs(W_out * out_conn), dale_out),
    }
    weights = {
        'init_state': (0.1 + 0.01 * rng.normal(size=N))[np.newaxis, :].astype(np.float32),
        'W_in': eff['W_in'].astype(np.float32),
        'W_rec': eff['W_rec'].astype(np.float32),
        'W_out': eff['W_out'].astype(np.float32),
        'b_rec': rng.normal(0, 0.1, N).astype(np.float32),
        'b_out': rng.normal(0, 0.1, O).astype(np.float32),
        'Dale_rec': dale_rec.astype(np.float32),
        'Dale_out': dale_out.astype(np.float32),
        'input_connectivity': in_conn.astype(np.float32),
        'rec_connectivity': rec_conn.astype(np.float32),
        'output_connectivity': out_conn.astype(np.float32),
        'W_rec/Adam': rng.normal(size=(N, N)).astype(np.float32),
        'W_rec/Adam_1': rng.uniform(size=(N, N)).astype(np.float32),
        'dale_ratio': RATIO,
        'transfer_function': np.array('tf.nn.relu', dtype=object),
    }
    os.makedirs(OUT, exist_ok=True)
    np.savez(os.path.join(OUT, 'basic_dale_masks.npz'), **weights)
    loaded = np.load(os.path.join(OUT, 'basic_dale_masks.npz'), allow_pickle=True)
    as64 = {k: loaded[k].astype(np.float64) for k in ['init_state', 'W_in', 'W_rec', 'W_out', 'b_rec', 'b_out']}
    x = rng.normal(0, 1, (B, T, I))
    sim = BasicSimulator(weights=as64, params={'alpha': ALPHA, 'rec_noise': 0})
    outputs, states = sim.run_trials(x)
    with open(os.path.join(OUT, 'basic_dale_masks.json'), 'w') as fh:
        source = 'spec/reference/psychrnn/make_fixture.py (PsychRNN simulation.py, NumPy %s)' % np.__version__
        json.dump({'source': source,
                   'alpha': ALPHA, 'transfer': 'relu', 'nExcitatory': n_e, 'x': x.tolist(),
                   'outputs': outputs.tolist(), 'states': states.tolist()}, fh, indent=1)


if __name__ == '__main__':
    main()
