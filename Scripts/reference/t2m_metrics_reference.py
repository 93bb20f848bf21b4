"""The text-to-motion benchmark metrics as published (Guo et al. 2022,
text-to-motion `utils/metrics.py`), written out with NumPy/SciPy in float64.
The independent reference for the Swift metrics and the Python side of
`irg bench eval`."""
import numpy as np
from scipy import linalg


def euclidean_distance_matrix(a, b):
    d1 = -2 * a @ b.T
    d2 = np.sum(a * a, axis=1, keepdims=True)
    d3 = np.sum(b * b, axis=1)
    return np.sqrt(np.maximum(d1 + d2 + d3, 0))


def matching(texts, motions, batch=32):
    """R-precision top-1/2/3 (fractions) and MM-Dist over whole batches."""
    hits = np.zeros(3)
    matched = 0.0
    size = 0
    for start in range(0, len(texts) - batch + 1, batch):
        dist = euclidean_distance_matrix(texts[start:start + batch], motions[start:start + batch])
        matched += dist.trace()
        order = np.argsort(dist, axis=1, kind="stable")
        correct = order == np.arange(batch)[:, None]
        hits += np.cumsum(correct[:, :3], axis=1).astype(bool).sum(axis=0)
        size += batch
    return hits / size, matched / size


def statistics(x):
    return np.mean(x, axis=0), np.cov(x, rowvar=False)


def sqrtm(a):
    out = linalg.sqrtm(a)
    return out[0] if isinstance(out, tuple) else out


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    diff = mu1 - mu2
    covmean = sqrtm(sigma1.dot(sigma2))
    if not np.isfinite(covmean).all():
        offset = np.eye(sigma1.shape[0]) * eps
        covmean = sqrtm((sigma1 + offset).dot(sigma2 + offset))
    if np.iscomplexobj(covmean):
        if not np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3):
            raise ValueError("Imaginary component {}".format(np.max(np.abs(covmean.imag))))
        covmean = covmean.real
    return diff.dot(diff) + np.trace(sigma1) + np.trace(sigma2) - 2 * np.trace(covmean)


def fid(gt, motions):
    return frechet_distance(*statistics(gt), *statistics(motions))


def diversity(x, times, seed):
    np.random.seed(seed)
    first = np.random.choice(len(x), times, replace=False)
    second = np.random.choice(len(x), times, replace=False)
    return np.linalg.norm(x[first] - x[second], axis=1).mean()


def multimodality(x, times, seed):
    """x: (texts, generations per text, dim)."""
    np.random.seed(seed)
    first = np.random.choice(x.shape[1], times, replace=False)
    second = np.random.choice(x.shape[1], times, replace=False)
    return np.linalg.norm(x[:, first] - x[:, second], axis=2).mean()
