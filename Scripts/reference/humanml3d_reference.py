"""An independent NumPy/SciPy implementation of HumanML3D's motion
processing, written from the published formulas (REFERENCE-NOTES section 1):
process_file, recover_from_ric, and a BVH reader with the Bandai-Namco to
SMPL-22 mapping. It makes the fixtures the Swift tests compare against and
is the peer of `irg bench motion`. Float32 where upstream's torch helpers
compute in float32; float64 where upstream's NumPy arrays are float64.
"""
import numpy as np
from scipy.ndimage import gaussian_filter1d

CHAINS = [[0, 2, 5, 8, 11], [0, 1, 4, 7, 10], [0, 3, 6, 9, 12, 15], [9, 14, 17, 19, 21], [9, 13, 16, 18, 20]]
RAW_OFFSETS = np.array([[0, 0, 0], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, -1, 0], [0, 1, 0],
                        [0, -1, 0], [0, -1, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1], [0, 1, 0], [1, 0, 0],
                        [-1, 0, 0], [0, 0, 1], [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0], [0, -1, 0],
                        [0, -1, 0]], dtype=np.float32)
FACE = (2, 1, 17, 16)
FEET_L, FEET_R = [7, 10], [8, 11]
LEG = (5, 8)
PARENTS = [-1] * 22
for _chain in CHAINS:
    for _a, _b in zip(_chain, _chain[1:]):
        PARENTS[_b] = _a

# KIT-ML's 21 joints (millimetres, 12.5 fps), as paramUtil.py defines them.
KIT = dict(
    chains=[[0, 11, 12, 13, 14, 15], [0, 16, 17, 18, 19, 20], [0, 1, 2, 3, 4], [3, 5, 6, 7], [3, 8, 9, 10]],
    raw=np.array([[0, 0, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0], [0, 1, 0], [1, 0, 0], [0, -1, 0], [0, -1, 0],
                  [-1, 0, 0], [0, -1, 0], [0, -1, 0], [1, 0, 0], [0, -1, 0], [0, -1, 0], [0, 0, 1], [0, 0, 1],
                  [-1, 0, 0], [0, -1, 0], [0, -1, 0], [0, 0, 1], [0, 0, 1]], dtype=np.float32),
    face=(11, 16, 5, 8), feet_l=[19, 20], feet_r=[14, 15], leg=(17, 18))
SMPL = dict(chains=CHAINS, raw=RAW_OFFSETS, face=FACE, feet_l=FEET_L, feet_r=FEET_R, leg=LEG)


def parents_of(chains, n):
    parents = [-1] * n
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            parents[b] = a
    return parents

f32 = np.float32


# --- quaternions (w, x, y, z), float32 -------------------------------------------------

def qmul(q, r):
    q, r = q.astype(f32), r.astype(f32)
    w = r[..., 0] * q[..., 0] - r[..., 1] * q[..., 1] - r[..., 2] * q[..., 2] - r[..., 3] * q[..., 3]
    x = r[..., 0] * q[..., 1] + r[..., 1] * q[..., 0] - r[..., 2] * q[..., 3] + r[..., 3] * q[..., 2]
    y = r[..., 0] * q[..., 2] + r[..., 1] * q[..., 3] + r[..., 2] * q[..., 0] - r[..., 3] * q[..., 1]
    z = r[..., 0] * q[..., 3] - r[..., 1] * q[..., 2] + r[..., 2] * q[..., 1] + r[..., 3] * q[..., 0]
    return np.stack([w, x, y, z], axis=-1)


def qinv(q):
    return q.astype(f32) * np.array([1, -1, -1, -1], dtype=f32)


def cross(a, b):
    return np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                     a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                     a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)


def qrot(q, v):
    q, v = q.astype(f32), v.astype(f32)
    q = np.broadcast_to(q, v.shape[:-1] + (4,))
    uv = cross(q[..., 1:], v)
    uuv = cross(q[..., 1:], uv)
    return v + 2 * (q[..., :1] * uv + uuv)


def qbetween(v0, v1):
    v0, v1 = v0.astype(f32), v1.astype(f32)
    v = cross(v0, v1)
    w = np.sqrt((v0 ** 2).sum(-1, keepdims=True) * (v1 ** 2).sum(-1, keepdims=True)) + (v0 * v1).sum(-1, keepdims=True)
    q = np.concatenate([w, v], axis=-1)
    return q / np.sqrt((q ** 2).sum(-1, keepdims=True))


def cont6d(q):
    q = q.astype(f32)
    r, i, j, k = q[..., 0], q[..., 1], q[..., 2], q[..., 3]
    two_s = 2.0 / (q * q).sum(-1)
    m00 = 1 - two_s * (j * j + k * k)
    m01 = two_s * (i * j - k * r)
    m10 = two_s * (i * j + k * r)
    m11 = 1 - two_s * (i * i + k * k)
    m20 = two_s * (i * k - j * r)
    m21 = two_s * (j * k + i * r)
    return np.stack([m00, m10, m20, m01, m11, m21], axis=-1).astype(f32)


# --- skeleton -----------------------------------------------------------------------------

def offsets_of_pose(pose, skel=SMPL):
    pose = pose.astype(f32)
    raw = skel["raw"]
    parents = parents_of(skel["chains"], len(raw))
    out = raw.copy()
    for j in range(1, len(raw)):
        out[j] = np.sqrt(((pose[j] - pose[parents[j]]) ** 2).sum()) * raw[j]
    return out


def inverse_kinematics(joints, smooth, skel=SMPL):
    l_hip, r_hip, sdr_r, sdr_l = skel["face"]  # the upstream unpacking (hip sign quirk)
    across = (joints[:, r_hip] - joints[:, l_hip]) + (joints[:, sdr_r] - joints[:, sdr_l])
    across = across / np.sqrt((across ** 2).sum(-1))[:, None]
    forward = np.cross(np.array([[0, 1, 0]]), across, axis=-1)  # float64, as NumPy promotes
    if smooth:
        forward = gaussian_filter1d(forward, 20, axis=0, mode="nearest")
    forward = forward / np.sqrt((forward ** 2).sum(-1))[:, None]
    root = qbetween(forward, np.array([[0, 0, 1]]).repeat(len(forward), 0))
    root[0] = [1, 0, 0, 0]
    quats = np.zeros(joints.shape[:-1] + (4,))
    quats[:, 0] = root
    for chain in skel["chains"]:
        r = root
        for a, b in zip(chain, chain[1:]):
            u = skel["raw"][b][None].repeat(len(joints), 0)
            v = joints[:, b] - joints[:, a]
            v = v / np.sqrt((v ** 2).sum(-1))[:, None]
            local = qmul(qinv(r), qbetween(u, v))
            quats[:, b] = local
            r = qmul(r, local)
    return quats


def forward_kinematics(quats, root_pos, offsets, skel=SMPL):
    joints = np.zeros(quats.shape[:-1] + (3,))
    joints[:, 0] = root_pos
    for chain in skel["chains"]:
        r = quats[:, 0]
        for a, b in zip(chain, chain[1:]):
            r = qmul(r, quats[:, b])
            joints[:, b] = qrot(r, np.broadcast_to(offsets[b], (len(quats), 3))) + joints[:, a]
    return joints


# --- process_file -------------------------------------------------------------------------

def features(positions, target_offsets, feet_thre=0.002, skel=SMPL):
    """Joints (T, J, 3) -> features (T-1, 263 for SMPL-22, 251 for KIT-21)."""
    positions = np.asarray(positions)
    leg = skel["leg"]
    src = offsets_of_pose(positions[0], skel)
    scale = (np.abs(target_offsets[leg[0]]).max() + np.abs(target_offsets[leg[1]]).max()) / \
            (np.abs(src[leg[0]]).max() + np.abs(src[leg[1]]).max())
    quats = inverse_kinematics(positions.astype(f32), smooth=False, skel=skel)
    positions = forward_kinematics(quats, positions[:, 0].astype(f32) * scale, target_offsets, skel)

    positions[:, :, 1] -= positions.min(axis=0).min(axis=0)[1]
    init = positions[0].copy()
    positions = positions - init[0] * np.array([1, 0, 1])

    r_hip, l_hip, sdr_r, sdr_l = skel["face"]
    across = (init[r_hip] - init[l_hip]) + (init[sdr_r] - init[sdr_l])
    across = across / np.sqrt((across ** 2).sum())
    forward = np.cross(np.array([0, 1, 0]), across)
    forward = forward / np.sqrt((forward ** 2).sum())
    turn = qbetween(forward[None], np.array([[0, 0, 1]]))[0]
    positions = qrot(turn, positions)
    global_positions = positions.copy()

    def contacts(feet):
        d = positions[1:, feet] - positions[:-1, feet]
        return ((d[..., 0] ** 2 + d[..., 1] ** 2 + d[..., 2] ** 2) < feet_thre).astype(f32)

    quats = inverse_kinematics(positions, smooth=True, skel=skel)
    rot6d = cont6d(quats)
    r_rot = quats[:, 0].astype(f32)
    velocity = qrot(r_rot[1:], positions[1:, 0] - positions[:-1, 0])
    r_velocity = qmul(r_rot[1:], qinv(r_rot[:-1]))

    local = positions.copy()
    local[..., 0] -= local[:, 0:1, 0]
    local[..., 2] -= local[:, 0:1, 2]
    local = qrot(r_rot[:, None], local)

    root = np.concatenate([np.arcsin(r_velocity[:, 2:3]), velocity[:, [0, 2]], local[:-1, 0, 1:2]], axis=-1)
    ric = local[:-1, 1:].reshape(len(local) - 1, -1)
    rot = rot6d[:-1, 1:].reshape(len(rot6d) - 1, -1)
    local_vel = qrot(r_rot[:-1, None], global_positions[1:] - global_positions[:-1]).reshape(len(positions) - 1, -1)
    return np.concatenate([root, ric, rot, local_vel, contacts(skel["feet_l"]), contacts(skel["feet_r"])],
                          axis=-1).astype(f32)


def recover_from_ric(data, joints_num=22):
    data = data.astype(f32)
    angle = np.zeros(len(data))
    angle[1:] = np.cumsum(data[:-1, 0].astype(np.float64))
    angle = angle.astype(f32)
    quat = np.zeros((len(data), 4), dtype=f32)
    quat[:, 0], quat[:, 2] = np.cos(angle), np.sin(angle)
    r_pos = np.zeros((len(data), 3), dtype=f32)
    r_pos[1:, [0, 2]] = data[:-1, 1:3]
    r_pos = np.cumsum(qrot(qinv(quat), r_pos).astype(np.float64), axis=0).astype(f32)
    r_pos[:, 1] = data[:, 3]
    ric = data[:, 4:(joints_num - 1) * 3 + 4].reshape(len(data), -1, 3)
    ric = qrot(qinv(quat)[:, None], ric)
    ric[..., 0] += r_pos[:, None, 0]
    ric[..., 2] += r_pos[:, None, 2]
    return np.concatenate([r_pos[:, None], ric], axis=1)


# --- BVH ------------------------------------------------------------------------------------

def _axis_rotation(axis, degrees):
    a = np.radians(degrees)
    c, s = np.cos(a), np.sin(a)
    m = np.zeros(a.shape + (3, 3))
    i = "XYZ".index(axis)
    j, k = (i + 1) % 3, (i + 2) % 3
    m[..., i, i] = 1
    m[..., j, j], m[..., j, k], m[..., k, j], m[..., k, k] = c, -s, s, c
    return m


def read_bvh(path):
    """World positions (frames, joints, 3) of every joint, names, frame time."""
    tokens = open(path).read().split()
    names, parents, offsets, channels = [], [], [], []
    stack, i = [], 0
    while tokens[i] != "MOTION":
        t = tokens[i]
        if t in ("ROOT", "JOINT"):
            names.append(tokens[i + 1]); parents.append(stack[-1] if stack else -1)
            offsets.append(None); channels.append([]); i += 2
        elif t == "End":
            names.append(None); parents.append(stack[-1]); offsets.append(None); channels.append([]); i += 2
        elif t == "{":
            stack.append(len(names) - 1); i += 1
        elif t == "}":
            stack.pop(); i += 1
        elif t == "OFFSET":
            offsets[stack[-1]] = np.array([float(x) for x in tokens[i + 1:i + 4]]); i += 4
        elif t == "CHANNELS":
            n = int(tokens[i + 1]); channels[stack[-1]] = tokens[i + 2:i + 2 + n]; i += 2 + n
        else:
            i += 1
    frames = int(tokens[i + 2]); frame_time = float(tokens[i + 5])
    values = np.array(tokens[i + 6:], dtype=np.float64).reshape(frames, -1)
    world_r = [None] * len(names); world_p = [None] * len(names)
    col = 0
    for j in range(len(names)):
        translation = np.broadcast_to(offsets[j], (frames, 3)).copy()
        rotation = np.broadcast_to(np.eye(3), (frames, 3, 3)).copy()
        for ch in channels[j]:
            v = values[:, col]; col += 1
            if ch.endswith("position"):
                translation[:, "XYZ".index(ch[0])] = v
            else:
                rotation = rotation @ _axis_rotation(ch[0], v)
        if parents[j] < 0:
            world_r[j], world_p[j] = rotation, translation
        else:
            p = parents[j]
            world_p[j] = world_p[p] + np.einsum("tij,tj->ti", world_r[p], translation)
            world_r[j] = world_r[p] @ rotation
    keep = [j for j in range(len(names)) if names[j] is not None]
    return np.stack([world_p[j] for j in keep], axis=1), [names[j] for j in keep], frame_time


BANDAI_NAMCO_TO_SMPL = ["Hips", "UpperLeg_L", "UpperLeg_R", "Spine", "LowerLeg_L", "LowerLeg_R", None,
                        "Foot_L", "Foot_R", "Chest", "Toes_L", "Toes_R", "Neck", "Shoulder_L", "Shoulder_R",
                        "Head", "UpperArm_L", "UpperArm_R", "LowerArm_L", "LowerArm_R", "Hand_L", "Hand_R"]


def bandai_namco_joints(path, scale=0.01, fps=20.0):
    """SMPL-22 joints in metres at `fps`: spine2 halfway between Spine and Chest."""
    world, names, frame_time = read_bvh(path)
    index = {n: i for i, n in enumerate(names)}
    smpl = np.stack([world[:, index[n]] if n else 0.5 * (world[:, index["Spine"]] + world[:, index["Chest"]])
                     for n in BANDAI_NAMCO_TO_SMPL], axis=1) * scale
    return resample(smpl, frame_time, fps).astype(f32)


def resample(joints, frame_time, fps):
    last = (len(joints) - 1) * frame_time
    times = np.arange(0, int(np.floor(last * fps + 1e-9)) + 1) / fps
    pos = times / frame_time
    lo = np.minimum(np.floor(pos).astype(int), len(joints) - 1)
    hi = np.minimum(lo + 1, len(joints) - 1)
    w = (pos - lo)[:, None, None]
    return joints[lo] * (1 - w) + joints[hi] * w
