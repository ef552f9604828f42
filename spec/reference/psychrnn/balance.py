#!/usr/bin/env python3
"""PsychRNN's balance_dale_ratio (psychrnn/backend/initializations.py, lines 284-289 at commit
aff98e119d6f0ac780196ec50cc7166509d3938f, MIT licence: LICENSE beside this file), its body copied unchanged into a
function of (W_rec, rec_connectivity, dale_ratio) so that it runs without TensorFlow.

usage: balance.py <in.json>   {"W_rec": [[…]], "rec_connectivity": [[…]], "dale_ratio": r}
prints the balanced W_rec."""
import json
import sys

import numpy as np


def balance_dale_ratio(W_rec, rec_connectivity, dale_ratio):
    N_rec = W_rec.shape[0]
    # --- PsychRNN's lines, unchanged except self.* → arguments and one line break ---
    dale_vec = np.ones(N_rec)
    dale_vec[int(dale_ratio * N_rec):] = dale_ratio/(1-dale_ratio)
    dale_rec = np.diag(dale_vec) / \
        np.linalg.norm(np.matmul(rec_connectivity, np.diag(dale_vec)), axis=1)[:,np.newaxis]
    W_rec = np.matmul(W_rec, dale_rec)
    # ---
    return W_rec


if __name__ == '__main__':
    d = json.load(open(sys.argv[1]))
    out = balance_dale_ratio(np.array(d['W_rec']), np.array(d['rec_connectivity']), d['dale_ratio'])
    print(json.dumps(out.tolist()))
