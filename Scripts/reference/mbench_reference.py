"""MBench's motion-quality metrics (ViMoGen `mbench/motion_quality.py`) written
out with NumPy in float64: the independent reference for the Swift port.
Input: (T, 22, 3) joints in metres, Z up (axis 2 is height), as MBench reads them."""
import numpy as np
from scipy.signal import find_peaks

FEET = [10, 11]


def z_up(y_up):
    """HumanML3D's Y-up (x, y, z) to MBench's Z-up (-x, z, y)."""
    return np.stack([-y_up[..., 0], y_up[..., 2], y_up[..., 1]], axis=-1)


def padded_diff(x):
    d = x[1:] - x[:-1]
    return np.concatenate([d, d[-1:]], axis=0)


def contact(j):
    feet = j[:, FEET]
    return (np.linalg.norm(padded_diff(feet), axis=-1) < 0.01) | (feet[:, :, 2] < 0.02)


def jitter(j):
    local = j - j[:, :1]
    acc = lambda x: np.linalg.norm(x[2:] - 2 * x[1:-1] + x[:-2], axis=2).mean()
    return acc(j) + acc(local)


def dynamic(j):
    local = j - j[:, :1]
    vel = lambda x: np.linalg.norm(x[1:] - x[:-1], axis=2).mean()
    return vel(j) + vel(local)


def foot_sliding(j):
    c = contact(j).astype(np.float64)
    delta = np.linalg.norm(padded_diff(j[:, FEET])[:, :, :2], axis=-1)
    per_foot = (delta * c).sum(axis=0) / (c.sum(axis=0) + 1e-6)
    return per_foot.mean()


def ground_penetration(j):
    h = j[:, FEET, 2]
    below = np.abs(h[h < -0.005])
    return below.mean() if below.size else 0.0


def ranges(flags):
    """Inclusive [start, end] runs where flags is True."""
    out, start = [], None
    for i, f in enumerate(list(flags) + [False]):
        if f and start is None:
            start = i
        if not f and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def angle(a, b):
    a = a / (np.linalg.norm(a) + 1e-6)
    b = b / (np.linalg.norm(b) + 1e-6)
    return np.degrees(np.arccos(np.clip(np.dot(a, b), -1, 1)))


def foot_floating(j):
    frames = len(j)
    c = contact(j)
    root_vel = np.linalg.norm(padded_diff(j[:, 0]), axis=-1)
    foot = j[:, FEET]
    foot_speed = np.linalg.norm(padded_diff(foot), axis=-1)
    rates = np.linalg.norm(padded_diff(foot - j[:, None, 0]), axis=-1) / (root_vel[:, None] + 1e-6)
    valid = np.ones((frames, 2))
    for f in range(frames):
        if root_vel[f] < 0.001:
            continue
        bad = [(rates[f, s] < 0.6 and foot_speed[f, s] > 1.2e-4)
               or (rates[f, s] > 1.75 and foot_speed[f, s] > 1.2e-4 and root_vel[f] > 1.2e-4) for s in range(2)]
        if c[f].sum() == 2 and bad[0] and bad[1]:
            valid[f] = 0
        elif c[f, 0] and not c[f, 1] and bad[0]:
            valid[f, 0] = 0
        elif c[f, 1] and not c[f, 0] and bad[1]:
            valid[f, 1] = 0
    no_contact = [ranges(~c[:, s]) for s in range(2)]
    low = 0
    for s in range(2):
        for start, end in no_contact[s]:
            if end - start + 1 < 4:
                continue
            if (root_vel[start:end + 1] < 0.001).sum() / (end - start + 1) > 0.5:
                continue
            low += sum(e - b + 1 for b, e in ranges(rates[start:end + 1, s] < 0.4))
    mass = 0
    for a0, a1 in no_contact[0]:
        for b0, b1 in no_contact[1]:
            start, end = max(a0, b0), min(a1, b1)
            if not start < end or end - start + 1 < 4:
                continue
            whole = foot[end, 0] - foot[start, 0]
            angles = [angle(foot[f, 0] - foot[start, 0], whole) for f in range(start + 1, end + 1)]
            if len(find_peaks(angles)[0]) > 2:
                mass += end - start + 1
    invalid = int(((valid[:, 0] + valid[:, 1]) <= 1).sum())
    return (invalid + low / 2 + mass) / frames


def quality(y_up_joints):
    j = z_up(y_up_joints.astype(np.float64))
    return {"jitter": jitter(j), "dynamic": dynamic(j), "foot_sliding": foot_sliding(j),
            "ground_penetration": ground_penetration(j), "foot_floating": foot_floating(j)}
