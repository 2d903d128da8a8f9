#!/usr/bin/env python3
"""NumPy reference for org.bgtai.audio.bench.LogMelBench: the same log-mel pipeline, numpy only.

For every WAV file in --data: read (wave module, 16-bit PCM) -> float32 in [-1, 1] ->
resample to 16 kHz with the same polyphase Kaiser-windowed sinc filter as
org.bgtai.audio.Resampler (pass band 0.90, stop band 1.00 of the lower Nyquist, 80 dB) ->
STFT (n_fft 512, hop 160, periodic Hann, center, reflect) -> power -> 64 Slaney mel bands
(librosa.filters.mel defaults) -> ln(max(mel, 1e-10)).

Prints one JSON line: {"clips": N, "seconds": S, "clips_per_s": R, "checksum": C}, where the
checksum is the sum over clips of the mean log-mel value (to check both sides compute the same).
"""
import argparse
import json
import math
import os
import sys
import time
import wave

# Single-threaded BLAS: the mel product is a tiny [64, 257] x [257, ~50] matmul per clip, and
# OpenBLAS's worker threads spinning on a small shared machine made it about 3x slower overall.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import numpy as np  # noqa: E402
from numpy.lib.stride_tricks import sliding_window_view  # noqa: E402

SR = 16000
N_FFT = 512
HOP = 160
N_MELS = 64
FLOOR = 1e-10


def kaiser_table(src, dst, passband=0.90, stopband=1.0, atten=80.0):
    g = math.gcd(src, dst)
    up, down = dst // g, src // g
    nyq = min(src, dst) / 2.0
    pas, stop = passband * nyq, stopband * nyq
    fc = (pas + stop) / 2 / src
    beta = 0.1102 * (atten - 8.7)
    length = (atten - 7.95) / (2.285 * 2 * math.pi * (stop - pas) / src) + 1
    half = length / 2
    k = int(math.ceil(half))
    taps = 2 * k + 1
    i = np.arange(taps)
    u = k - i[None, :] + (np.arange(up)[:, None] / up)
    r = np.clip(u / half, -1, 1)
    w = np.where(np.abs(u) < half, np.i0(beta * np.sqrt(1 - r * r)) / np.i0(beta), 0.0)
    h = 2 * fc * np.sinc(2 * fc * u) * w
    h /= h.sum(axis=1, keepdims=True)
    return up, down, k, h.astype(np.float32)


def resample(x, up, down, k, table):
    if up == down:
        return x
    taps = table.shape[1]
    n = len(x)
    out = -(-n * up // down)
    xp = np.zeros(n + 2 * k + 1, dtype=np.float32)
    xp[k:k + n] = x
    win = sliding_window_view(xp, taps)
    j = np.arange(out, dtype=np.int64) * down
    base, phase = j // up, j % up
    y = np.empty(out, dtype=np.float32)
    for p in range(up):
        sel = np.nonzero(phase == p)[0] if up > 1 else slice(None)
        y[sel] = win[base[sel]] @ table[p]
    return y


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    lin = f / (200.0 / 3)
    log = 15.0 + np.log(np.maximum(f, 1e-300) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, lin)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    return np.where(m >= 15.0, 1000.0 * np.exp(np.log(6.4) / 27.0 * (m - 15.0)), m * 200.0 / 3)


def mel_matrix(sr, n_fft, n_mels):
    fft = np.linspace(0, sr / 2, n_fft // 2 + 1)
    f = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(sr / 2), n_mels + 2))
    d = np.diff(f)
    ramps = f[:, None] - fft[None, :]
    w = np.maximum(0, np.minimum(-ramps[:-2] / d[:-1, None], ramps[2:] / d[1:, None]))
    w *= (2.0 / (f[2:] - f[:-2]))[:, None]
    return w.astype(np.float32)


WINDOW = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
MEL = mel_matrix(SR, N_FFT, N_MELS)


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16-bit PCM")
        ch, sr = w.getnchannels(), w.getframerate()
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    if ch > 1:
        x = x.reshape(-1, ch).mean(axis=1)
    return x, sr


_tables = {}


def logmel(path):
    x, sr = read_wav(path)
    if sr != SR:
        if sr not in _tables:
            _tables[sr] = kaiser_table(sr, SR)
        x = resample(x, *_tables[sr])
    p = N_FFT // 2
    xp = np.pad(x, p, mode="reflect")
    frames = sliding_window_view(xp, N_FFT)[::HOP] * WINDOW
    spec = np.fft.rfft(frames, axis=1)
    power = (spec.real ** 2 + spec.imag ** 2).astype(np.float32)
    mel = MEL @ power.T  # [n_mels, frames]
    return np.log(np.maximum(mel, FLOOR))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    files = sorted(os.path.join(a.data, f) for f in os.listdir(a.data) if f.endswith(".wav"))
    for f in files[:50]:  # warm the file cache and numpy's code paths
        logmel(f)
    best = float("inf")
    checksum = 0.0
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        checksum = 0.0
        for f in files:
            checksum += float(logmel(f).mean())
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"clips": len(files), "seconds": best, "clips_per_s": len(files) / best, "checksum": checksum}))


if __name__ == "__main__":
    sys.exit(main())
