#!/usr/bin/env python3
"""Run PsychRNN's BasicSimulator (simulation.py beside this file, unchanged) on an .npz file and inputs.

usage: run_simulator.py <weights.npz> <inputs.json> <alpha> <transfer: relu|tanh|softplus>
inputs.json: {"x": [[[...] * N_in] * T] * B}. Prints {"outputs": ..., "states": ..., "keys": {name: [dtype, shape]}}.
The file is read with allow_pickle=False: an exported file must not need pickles."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simulation import BasicSimulator  # noqa: E402

TRANSFER = {
    'relu': lambda x: np.maximum(x, 0),
    'tanh': np.tanh,
    'softplus': lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))),
}


def main():
    path, inputs, alpha, transfer = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    f = np.load(path, allow_pickle=False)
    weights = {k: f[k] for k in f.files}
    x = np.array(json.load(open(inputs))['x'], dtype=np.float64)
    sim = BasicSimulator(weights=weights, params={'alpha': alpha, 'rec_noise': 0}, transfer_function=TRANSFER[transfer])
    outputs, states = sim.run_trials(x)
    keys = {k: [str(v.dtype), list(v.shape)] for k, v in weights.items()}
    print(json.dumps({'outputs': outputs.tolist(), 'states': states.tolist(), 'keys': keys}))


if __name__ == '__main__':
    main()
