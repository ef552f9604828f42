"""Trials from Yang et al.'s own generator (gyyang/multitask task.py, 'psychometric' mode, input noise off) for
spec/tasks/yang.spec.ts, with the variables rnnlab's tasks take to build the same trials.

The repository has no licence file, so it is not copied here: give the path of a checkout.
  python3 spec/reference/yang/make_fixture.py /path/to/gyyang-multitask > spec/fixtures/yang/trials.json
Needs numpy and six (task.py uses only six.string_types: a one-line six.py with `string_types = (str,)` will do).
"""
import importlib.util
import json
import sys

import numpy as np

spec = importlib.util.spec_from_file_location('yang_task', sys.argv[1] + '/task.py')
task = importlib.util.module_from_spec(spec)
spec.loader.exec_module(task)

DT = 20
hp = {
    'dt': DT, 'n_eachring': 32, 'num_ring': 2, 'n_rule': 20, 'rule_start': 65, 'n_input': 85, 'n_output': 33,
    'sigma_x': 0.0, 'alpha': 0.2, 'loss_type': 'lsq', 'ruleset': 'all', 'rng': np.random.RandomState(0),
}
PI = np.pi
LOCS1 = np.array([0.3, 2.0, 4.5])
LOCS2 = np.array([3.5, 5.1, 1.2])
S1 = np.array([1.1, 0.85, 1.0])
S2 = np.array([0.9, 1.05, 1.3])


def strengths(m1s1, m1s2, m2s1, m2s2, i):
    return {'m1s1': float(m1s1[i]), 'm1s2': float(m1s2[i]), 'm2s1': float(m2s1[i]), 'm2s2': float(m2s2[i])}


def cases(rule):
    """Yang's psychometric parameters for `rule`, and rnnlab's variables for each of its 3 trials."""
    z = np.zeros(3)
    one = np.ones(3)
    if rule in ('delaygo', 'delayanti'):
        p = {'stim_locs': LOCS1, 'stim_ons': 300, 'stim_offs': 600, 'delay_time': 800}
        t = {'fix1': 200, 'stim1': 300, 'delay1': 800, 'go': 400}
    elif rule in ('reactgo', 'reactanti'):
        p = {'stim_locs': LOCS1}
        t = {'fix1': 900, 'go': 400}
    elif rule in ('fdgo', 'fdanti'):
        p = {'stim_locs': LOCS1, 'stim_time': 600}
        t = {'fix1': 200, 'stim1': 600, 'go': 400}
    if rule.endswith('go') and not rule.startswith('dm') or rule.endswith('anti'):
        resp = (LOCS1 + PI) % (2 * PI) if rule.endswith('anti') else LOCS1
        return p, [dict(t, loc1=float(LOCS1[i]), respLoc=float(resp[i]), **strengths(one, z, z, z, i))
                   for i in range(3)]
    if rule in ('dm1', 'dm2'):
        p = {'stim1_locs': LOCS1, 'stim2_locs': LOCS2, 'stim1_strengths': S1, 'stim2_strengths': S2, 'stim_time': 400}
        t = {'fix1': 200, 'stim1': 400, 'go': 400}
        ring = (S1, S2, z, z) if rule == 'dm1' else (z, z, S1, S2)
        a1, a2 = S1, S2
    elif rule in ('contextdm1', 'contextdm2', 'multidm', 'contextdelaydm1', 'contextdelaydm2', 'multidelaydm'):
        o1, o2 = S2[::-1].copy(), S1[::-1].copy()
        p = {'stim1_locs': LOCS1, 'stim2_locs': LOCS2, 'stim1_mod1_strengths': S1, 'stim2_mod1_strengths': S2,
             'stim1_mod2_strengths': o1, 'stim2_mod2_strengths': o2, 'stim_time': 400}
        ring = (S1, S2, o1, o2)
        a1, a2 = {'1': (S1, S2), '2': (o1, o2), 'm': (S1 + o1, S2 + o2)}[rule[-1] if rule[-1] in '12' else 'm']
        if 'delay' in rule:
            t = {'fix1': 200, 'stim1': 300, 'delay1': 400, 'stim2': 300, 'delay2': 200, 'go': 300}
        else:
            t = {'fix1': 400, 'stim1': 400, 'go': 500}
    elif rule in ('delaydm1', 'delaydm2'):
        p = {'stim1_locs': LOCS1, 'stim2_locs': LOCS2, 'stim1_strengths': S1, 'stim2_strengths': S2,
             'stim1_ons': 200, 'stim1_offs': 600, 'stim2_ons': 1400, 'stim2_offs': 1800}
        t = {'fix1': 100, 'stim1': 400, 'delay1': 800, 'stim2': 400, 'delay2': 200, 'go': 300}
        ring = (S1, S2, z, z) if rule == 'delaydm1' else (z, z, S1, S2)
        a1, a2 = S1, S2
    if rule.startswith(('dm1', 'dm2', 'context', 'multi', 'delaydm')):
        resp = np.where(a1 > a2, LOCS1, LOCS2)
        return p, [dict(t, loc1=float(LOCS1[i]), loc2=float(LOCS2[i]), respLoc=float(resp[i]),
                        **strengths(*ring, i)) for i in range(3)]
    # Matching tasks: trial 0 matches exactly, trial 1 does not, trial 2 by category only.
    l1 = np.array([0.1 * PI, 0.3 * PI, 1.3 * PI])
    l2 = np.array([0.1 * PI, 1.5 * PI, 1.9 * PI])
    p = {'stim1_locs': l1, 'stim2_locs': l2}
    t = {'fix1': 400, 'stim1': 300, 'delay1': 1200, 'go': 500}
    if rule.startswith('dms'):
        match = task.get_dist(l1 - l2) < PI / 36
    else:
        match = (l1 < PI) == (l2 < PI)
    go_on = 1 if rule.endswith('go') and not rule.endswith('nogo') else 0
    resp = np.where(match == go_on, l2, -1.0)
    return p, [dict(t, loc1=float(l1[i]), loc2=float(l2[i]), respLoc=float(resp[i]), **strengths(one, one, z, z, i))
               for i in range(3)]


def sparse(a, rest):
    # Rounded to 7 decimals first (the arrays are float32): tuning tails below 5e-8 count as the resting value.
    a = np.round(a.transpose(1, 0, 2).astype(np.float64), 7)
    return [[int(b), int(t), int(i), float(a[b, t, i])] for b, t, i in zip(*np.nonzero(a != round(float(rest), 7)))]


def probe(T):
    return 0.05 + 0.3 * np.sin(0.37 * np.arange(T * 3 * 33, dtype=np.float64)).reshape(T, 3, 33)


out = {'source': 'gyyang/multitask task.py (psychometric mode, sigma_x = 0)', 'dt': DT, 'rules': {}}
for rule in task.rules_dict['all']:
    params, variables = cases(rule)
    trial = task.generate_trials(rule, hp, 'psychometric', noise_on=False, params=params)
    T = trial.x.shape[0]
    y7 = np.round(trial.y.astype(np.float64), 7)
    out['rules'][rule] = {
        'vars': variables,
        'nSteps': T,
        # Sparse: [trial, step, channel, value] where the input is not 0 and the target not 0.05.
        'x': sparse(trial.x, 0.0),
        'y': sparse(trial.y, 0.05),
        'costRing': trial.c_mask.reshape(T, 3, 33)[:, :, 1].T.astype(np.float64).tolist(),
        'costFix': trial.c_mask.reshape(T, 3, 33)[:, :, 0].T.astype(np.float64).tolist(),
        # network.py's cost_lsq, tf.reduce_mean(tf.square((y_shaped - y_hat) * c_mask)), for the probe output
        # y_hat[t, b, o] = 0.05 + 0.3 sin(0.37 ((t·3 + b)·33 + o)), in float64, on the targets as stored above.
        'probeCost': float(np.mean(np.square((y7 - probe(T)) * trial.c_mask.reshape(T, 3, 33)))),
    }
json.dump(out, sys.stdout, separators=(',', ':'))
