// BGTAI OpenCL kernels of the fused ops (org.bgtai.tensor.FusedOps), OpenCL C 1.2. Compiled in
// one program after kernels.cl, whose helpers (offs, wg_reduce, max_nan) they use.
//
// Operands are contiguous (the host makes them so) and start at an element offset. Row ops run
// one work-group per row (local size a power of two) and never return before a barrier (PoCL
// miscompiles a work-group-uniform early return followed by barriers); scatter-like backward ops (col2im, pooling)
// gather per input element in the CPU kernel's summation order, so they need no atomics and are
// deterministic. The NaN rules are those of the CPU kernels (org.bgtai.tensor.cpu.CpuFusedOps).

// ------------------------------------------------------------------ random numbers

// Rng.draw: SplitMix64 of seed + (i + 1) * GAMMA; kept when the top 53 bits are below threshold.
kernel void bernoulli(global float* out, long seed, long base, long threshold, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    ulong z = (ulong) seed + ((ulong) base + (ulong) i + 1UL) * 0x9E3779B97F4A7C15UL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
    z = z ^ (z >> 31);
    out[i] = (z >> 11) < (ulong) threshold ? 1.0f : 0.0f;
}

// ------------------------------------------------------------------ work-group helpers

// Max over the work-group that skips NaN (as "if (s > max) max = s" does on the CPU).
inline float wg_max_skip_nan(float v, local float* scratch) {
    int lid = get_local_id(0), ls = get_local_size(0);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = ls >> 1; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = fmax(scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    float r = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    return r;
}

// ------------------------------------------------------------------ attention

// One row of the score matrix s [rows = B H Tq, tk] per work-group, in place: scale, mask keys
// after lastVisible and padded keys (-inf), softmax; a row with every key masked becomes zeros.
// With dropout, used = p * keep * dropScale (else used is not written).
kernel void attn_softmax(global float* s, global float* used, global const float* pad, int padOff, int hasPad,
                         global const float* keep, int keepOff, int hasDrop, float dropScale,
                         int tk, int heads, int tq, int causal, float scale, local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int o = row * tk, b = row / (heads * tq), qi = row % tq;
    int last = causal ? qi + tk - tq : tk - 1;
    float m = -INFINITY;
    for (int j = lid; j < tk; j += ls) {
        int masked = j > last || (hasPad && pad[padOff + b * tk + j] != 0.0f);
        float v = masked ? -INFINITY : s[o + j] * scale;
        s[o + j] = v;
        if (v > m) m = v;
    }
    m = wg_max_skip_nan(m, scratch);
    int empty = m == -INFINITY;   // no early return: every work-item must reach the barriers below (PoCL miscompiles it)
    float sum = 0.0f;
    for (int j = lid; j < tk; j += ls) {
        float e = empty ? 0.0f : exp(s[o + j] - m);
        s[o + j] = e;
        sum += e;
    }
    sum = wg_reduce(R_SUM, sum, scratch);
    float inv = empty ? 0.0f : 1.0f / sum;
    for (int j = lid; j < tk; j += ls) {
        float p = s[o + j] * inv;
        s[o + j] = p;
        if (hasDrop) used[o + j] = p * (keep[keepOff + o + j] * dropScale);
    }
}

// Backward of attn_softmax, in place on gp = g v^T [rows, tk]:
// gp *= keep * dropScale;  gp = p * (gp - sum(gp * p)) * scale.
kernel void attn_softmax_backward(global float* gp, global const float* p, global const float* keep, int keepOff, int hasDrop,
                                  float dropScale, int tk, float scale, local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int o = row * tk;
    float dot = 0.0f;
    for (int j = lid; j < tk; j += ls) {
        float g = gp[o + j];
        if (hasDrop) {
            g *= keep[keepOff + o + j] * dropScale;
            gp[o + j] = g;
        }
        dot += g * p[o + j];
    }
    dot = wg_reduce(R_SUM, dot, scratch);
    for (int j = lid; j < tk; j += ls) gp[o + j] = p[o + j] * (gp[o + j] - dot) * scale;
}

// ------------------------------------------------------------------ layer norm

// One row of x [rows, d] per work-group: y, mean[row], rstd[row].
kernel void layer_norm(global const float* x, int xOff, global const float* w, int wOff, global const float* b, int bOff,
                       global float* y, global float* mean, global float* rstd, int d, float eps, local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int o = xOff + row * d;
    float s = 0.0f;
    for (int i = lid; i < d; i += ls) s += x[o + i];
    float mu = wg_reduce(R_SUM, s, scratch) / d;
    float v = 0.0f;
    for (int i = lid; i < d; i += ls) {
        float c = x[o + i] - mu;
        v += c * c;
    }
    float rs = 1.0f / sqrt(wg_reduce(R_SUM, v, scratch) / d + eps);
    if (lid == 0) {
        mean[row] = mu;
        rstd[row] = rs;
    }
    for (int i = lid; i < d; i += ls) y[row * d + i] = (x[o + i] - mu) * rs * w[wOff + i] + b[bOff + i];
}

// dx for one row per work-group: rstd (g w - mean(g w) - xhat mean(g w xhat)).
kernel void layer_norm_backward_x(global const float* g, int gOff, global const float* x, int xOff, global const float* w, int wOff,
                                  global const float* mean, global const float* rstd, global float* gx, int d, local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int o = xOff + row * d, go = gOff + row * d;
    float mu = mean[row], rs = rstd[row];
    float sg = 0.0f, sgx = 0.0f;
    for (int i = lid; i < d; i += ls) {
        float xh = (x[o + i] - mu) * rs;
        float gw = g[go + i] * w[wOff + i];
        sg += gw;
        sgx += gw * xh;
    }
    float mg = wg_reduce(R_SUM, sg, scratch) / d;
    float mgx = wg_reduce(R_SUM, sgx, scratch) / d;
    for (int i = lid; i < d; i += ls) {
        float xh = (x[o + i] - mu) * rs;
        gx[row * d + i] = rs * (g[go + i] * w[wOff + i] - mg - xh * mgx);
    }
}

// dw[i] = sum_r g[r, i] xhat[r, i], db[i] = sum_r g[r, i]: one column per work-group.
kernel void layer_norm_backward_wb(global const float* g, int gOff, global const float* x, int xOff, global const float* mean,
                                   global const float* rstd, global float* gw, global float* gb, int rows, int d, int wantW, int wantB,
                                   local float* scratch) {
    int col = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    float sw = 0.0f, sb = 0.0f;
    for (int r = lid; r < rows; r += ls) {
        float gi = g[gOff + r * d + col];
        sw += gi * ((x[xOff + r * d + col] - mean[r]) * rstd[r]);
        sb += gi;
    }
    sw = wg_reduce(R_SUM, sw, scratch);
    sb = wg_reduce(R_SUM, sb, scratch);
    if (lid == 0) {
        if (wantW) gw[col] = sw;
        if (wantB) gb[col] = sb;
    }
}

// ------------------------------------------------------------------ bias

// Column sums of g [rows, cols]: one column per work-group.
kernel void column_sums(global const float* g, int gOff, int rows, int cols, global float* out, local float* scratch) {
    int col = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    float s = 0.0f;
    for (int r = lid; r < rows; r += ls) s += g[gOff + r * cols + col];
    s = wg_reduce(R_SUM, s, scratch);
    if (lid == 0) out[col] = s;
}

// y[i] += bias[(i / inner) % channels] in place (y contiguous from yOff).
kernel void add_bias(global float* y, int yOff, global const float* bias, int bOff, int channels, int inner, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    y[yOff + i] += bias[bOff + (i / inner) % channels];
}

// ------------------------------------------------------------------ cross-entropy

// One row of x [rows, c] per work-group: rowLoss[row] and the unscaled gradient row
// softmax(x) - (1 - e) onehot(t) - e / c (zeros and loss 0 on ignored rows).
kernel void cross_entropy(global const float* x, int xOff, global const int* target, int c, int ignoreIndex, float e,
                          global float* grad, global float* rowLoss, local float* scratch) {
    int row = get_group_id(0), lid = get_local_id(0), ls = get_local_size(0);
    int o = xOff + row * c, go = row * c, t = target[row];
    int counted = t != ignoreIndex;   // no early return for ignored rows: every work-item must reach the barriers
    if (!counted) t = 0;              // (never read out of bounds)
    float m = -INFINITY;
    for (int j = lid; j < c; j += ls) m = max_nan(m, x[o + j]);
    m = wg_reduce(R_MAX, m, scratch);
    float sum = 0.0f, sumX = 0.0f;
    for (int j = lid; j < c; j += ls) {
        float ex = exp(x[o + j] - m);
        grad[go + j] = ex;
        sum += ex;
        sumX += x[o + j];
    }
    sum = wg_reduce(R_SUM, sum, scratch);
    sumX = wg_reduce(R_SUM, sumX, scratch);
    float lse = m + log(sum);
    float inv = 1.0f / sum, off = e / c;
    for (int j = lid; j < c; j += ls) grad[go + j] = counted ? grad[go + j] * inv - off - (j == t ? 1.0f - e : 0.0f) : 0.0f;
    if (lid == 0) rowLoss[row] = counted ? (1.0f - e) * (lse - x[o + t]) + e * (lse - sumX / c) : 0.0f;
}

// ------------------------------------------------------------------ dropout

kernel void mul_mask(global const float* x, int xOff, global const float* keep, int kOff, float scale, global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = x[xOff + i] * (keep[kOff + i] * scale);
}

kernel void add_mul_mask(global const float* r, int rOff, global const float* x, int xOff, global const float* keep, int kOff, float scale,
                         global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = r[rOff + i] + x[xOff + i] * (keep[kOff + i] * scale);
}

// max(h, 0) as Math.max: NaN stays NaN, -0 becomes 0.
kernel void relu_mul_mask(global const float* h, int hOff, global const float* keep, int kOff, float scale, global float* out, int n) {
    int i = get_global_id(0);
    if (i >= n) return;
    float v = h[hOff + i];
    float a = v > 0.0f ? v : (isnan(v) ? v : 0.0f);
    out[i] = a * (keep[kOff + i] * scale);
}

kernel void relu_mask_grad(global const float* g, int gOff, global const float* h, int hOff, global const float* keep, int kOff, float scale,
                           global float* out, int n) {
    int i = get_global_id(0);
    if (i < n) out[i] = h[hOff + i] > 0.0f ? g[gOff + i] * (keep[kOff + i] * scale) : 0.0f;
}

// ------------------------------------------------------------------ convolution

// cols[n, (c, u, v), (i, j)] = x[n, c, i sh + u dh - ph, j sw + v dw - pw], 0 outside; one element per work-item.
kernel void im2col(global const float* x, int xOff, global float* cols, int h, int w, int kh, int kw, int ho, int wo,
                   int sh, int sw, int ph, int pw, int dh, int dw, int n) {
    int p = get_global_id(0);
    if (p >= n) return;
    int kk = kh * kw;
    int j = p % wo, t = p / wo;
    int i = t % ho;
    t /= ho;
    int uv = t % kk, nc = t / kk;
    int u = uv / kw, v = uv % kw;
    int ih = i * sh + u * dh - ph, iw = j * sw + v * dw - pw;
    cols[p] = (ih >= 0 && ih < h && iw >= 0 && iw < w) ? x[xOff + nc * h * w + ih * w + iw] : 0.0f;
}

// Adjoint of im2col: each input element sums the column entries that read it, in (u, v) order.
kernel void col2im(global const float* cols, int cOff, global float* gx, int h, int w, int kh, int kw, int ho, int wo,
                   int sh, int sw, int ph, int pw, int dh, int dw, int n) {
    int p = get_global_id(0);
    if (p >= n) return;
    int iw = p % w, t = p / w;
    int ih = t % h, nc = t / h;
    int l = ho * wo, kk = kh * kw;
    float s = 0.0f;
    for (int u = 0; u < kh; u++) {
        int a = ih + ph - u * dh;
        if (a < 0 || a % sh != 0) continue;
        int i = a / sh;
        if (i >= ho) continue;
        for (int v = 0; v < kw; v++) {
            int bq = iw + pw - v * dw;
            if (bq < 0 || bq % sw != 0) continue;
            int j = bq / sw;
            if (j >= wo) continue;
            s += cols[cOff + (nc * kk + u * kw + v) * l + i * wo + j];
        }
    }
    gx[p] = s;
}

// ------------------------------------------------------------------ pooling

// One output element per work-item; max: the first maximal element (NaN never compares larger),
// argmax = u kw + v; avg: the window sum / (kh kw), padding counted as 0.
kernel void pool2d(int isMax, global const float* x, int xOff, global float* y, global float* arg, int h, int w, int kh, int kw,
                   int ho, int wo, int sh, int sw, int ph, int pw, int n) {
    int p = get_global_id(0);
    if (p >= n) return;
    int j = p % wo, t = p / wo;
    int i = t % ho, pl = t / ho;
    float acc = isMax ? -INFINITY : 0.0f;
    int best = -1;
    for (int u = 0; u < kh; u++) {
        int ih = i * sh + u - ph;
        if (ih < 0 || ih >= h) continue;
        for (int v = 0; v < kw; v++) {
            int iw = j * sw + v - pw;
            if (iw < 0 || iw >= w) continue;
            float val = x[xOff + pl * h * w + ih * w + iw];
            if (isMax) {
                if (val > acc || best < 0) {
                    acc = val;
                    best = u * kw + v;
                }
            } else acc += val;
        }
    }
    if (isMax) {
        y[p] = acc;
        arg[p] = (float) best;
    } else y[p] = acc * (1.0f / (kh * kw));
}

// Backward of pool2d: each input element gathers from the windows that contain it, in output order.
kernel void pool2d_backward(int isMax, global const float* g, int gOff, global const float* arg, int aOff, global float* gx,
                            int h, int w, int kh, int kw, int ho, int wo, int sh, int sw, int ph, int pw, int n) {
    int p = get_global_id(0);
    if (p >= n) return;
    int iw = p % w, t = p / w;
    int ih = t % h, pl = t / h;
    float inv = 1.0f / (kh * kw);
    int i0 = ih + ph - kh + 1, j0 = iw + pw - kw + 1;
    i0 = i0 <= 0 ? 0 : (i0 + sh - 1) / sh;
    j0 = j0 <= 0 ? 0 : (j0 + sw - 1) / sw;
    int i1 = min((ih + ph) / sh, ho - 1), j1 = min((iw + pw) / sw, wo - 1);
    float s = 0.0f;
    for (int i = i0; i <= i1; i++)
        for (int j = j0; j <= j1; j++) {
            int out = (pl * ho + i) * wo + j;
            if (isMax) {
                if ((int) arg[aOff + out] == (ih - i * sh + ph) * kw + (iw - j * sw + pw)) s += g[gOff + out];
            } else s += g[gOff + out] * inv;
        }
    gx[p] = s;
}

// ------------------------------------------------------------------ optimizers and gradients

kernel void adamw(global float* p, int pOff, global const float* g, int gOff, global float* m, int mOff, global float* v, int vOff, int n,
                  float b1, float b2, float decay, float stepSize, float invSqrtBc2, float eps) {
    int i = get_global_id(0);
    if (i >= n) return;
    float gi = g[gOff + i];
    float mi = b1 * m[mOff + i] + (1 - b1) * gi;
    float vi = b2 * v[vOff + i] + (1 - b2) * gi * gi;
    m[mOff + i] = mi;
    v[vOff + i] = vi;
    float denom = sqrt(vi) * invSqrtBc2 + eps;
    p[pOff + i] = p[pOff + i] * decay - stepSize * mi / denom;
}

kernel void sgd(global float* p, int pOff, global const float* g, int gOff, global float* buf, int bOff, int hasBuf, int n,
                float lr, float mu, float wd, int nesterov, int first) {
    int i = get_global_id(0);
    if (i >= n) return;
    float gi = g[gOff + i] + wd * p[pOff + i];
    if (hasBuf) {
        float b = first ? gi : mu * buf[bOff + i] + gi;
        buf[bOff + i] = b;
        gi = nesterov ? gi + mu * b : b;
    }
    p[pOff + i] -= lr * gi;
}

// Partial sums of squares: work-group k of the launch writes out[slot + k].
kernel void sum_squares(global const float* x, int xOff, int n, global float* out, int slot, local float* scratch) {
    int lid = get_local_id(0), ls = get_local_size(0), grp = get_group_id(0), groups = get_num_groups(0);
    float s = 0.0f;
    for (int i = grp * ls + lid; i < n; i += groups * ls) {
        float v = x[xOff + i];
        s += v * v;
    }
    s = wg_reduce(R_SUM, s, scratch);
    if (lid == 0) out[slot + grp] = s;
}

kernel void scale_inplace(global float* x, int xOff, float factor, int n) {
    int i = get_global_id(0);
    if (i < n) x[xOff + i] *= factor;
}
