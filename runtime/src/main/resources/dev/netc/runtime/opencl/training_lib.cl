// netc's training kernel library: the forward (training and evaluation) and backward passes of every layer kind
// a trainer schedules, as inline functions whose shapes are parameters (dev.netc.runtime.train.ops holds the Java
// kernels they mirror). The processor copies this text into each trainable network's <Name>.train.cl and appends
// one small __kernel per layer and role that calls these functions with every shape, stride, padding, group
// count, activation and constant as a literal (dev.netc.runtime.opencl.TrainingPrograms names them): after
// inlining, the OpenCL compiler folds the shapes into loop bounds, divisions and kernel windows, as in the
// inference programs. dev.netc.runtime.opencl.OpenClTrainer launches the generated kernels. Only the element-wise
// kernels below, which have no shape to specialise, are __kernels here and shared by every layer.
// Tensors are NCHW float buffers holding a whole batch; the batch size is the one run-time shape.
//
// Determinism: every work item owns the values it writes and sums its terms in a fixed order; there are no
// atomics and no cross-work-item reductions, so a training step gives the same bits on every run. Backward
// kernels gather (each input cell sums the outputs that read it) instead of scattering, and accumulate (+=) into
// gradients, so a tensor read by several layers collects every contribution; the trainer zeroes them per step.

#if defined(cl_khr_fp64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double acc_t; // batch statistics and softmax sums: many thousands of terms
#else
typedef float acc_t;
#endif

#define SELU_ALPHA 1.6732632423543772848170429916717f
#define SELU_SCALE 1.0507009873554804934193349852946f

// Activation kinds, numbered as dev.netc.graph.Activation.Kind (the generated kernels pass them by name); alpha is
// leaky relu's slope or elu's alpha.
#define ACT_IDENTITY 0
#define ACT_RELU 1
#define ACT_LEAKY_RELU 2
#define ACT_ELU 3
#define ACT_SELU 4
#define ACT_TANH 5
#define ACT_SIGMOID 6

static inline float activation(int kind, float alpha, float x) {
  switch (kind) {
    case ACT_RELU: return x > 0.0f ? x : 0.0f;
    case ACT_LEAKY_RELU: return x > 0.0f ? x : alpha * x;
    case ACT_ELU: return x > 0.0f ? x : alpha * expm1(x);
    case ACT_SELU: return SELU_SCALE * (x > 0.0f ? x : SELU_ALPHA * expm1(x));
    case ACT_TANH: return tanh(x);
    case ACT_SIGMOID: return 1.0f / (1.0f + exp(-x));
    default: return x;
  }
}

// The derivative at the point whose output is y: every supported activation's derivative is a function of its
// output, which is what lets a convolution or dense layer keep only its activated output.
static inline float derivative_at_output(int kind, float alpha, float y) {
  switch (kind) {
    case ACT_RELU: return y > 0.0f ? 1.0f : 0.0f;
    case ACT_LEAKY_RELU: return y > 0.0f ? 1.0f : alpha;
    case ACT_ELU: return y > 0.0f ? 1.0f : y + alpha;
    case ACT_SELU: return y > 0.0f ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case ACT_TANH: return 1.0f - y * y;
    case ACT_SIGMOID: return y * (1.0f - y);
    default: return 1.0f;
  }
}

// ---- element-wise: global size = the number of values

__kernel void fill_zero(__global float* x) {
  x[get_global_id(0)] = 0.0f;
}

__kernel void copy(__global const float* in, __global float* out) {
  int i = get_global_id(0);
  out[i] = in[i];
}

__kernel void accumulate(__global float* into, __global const float* x) {
  int i = get_global_id(0);
  into[i] += x[i];
}

__kernel void add2(__global const float* a, __global const float* b, __global float* out) {
  int i = get_global_id(0);
  out[i] = a[i] + b[i];
}

static inline void activation_forward(__global const float* in, __global float* out, int kind, float alpha) {
  int i = get_global_id(0);
  out[i] = activation(kind, alpha, in[i]);
}

// A standalone activation's backward pass: dx += dy act'(y).
static inline void activation_backward(__global const float* y, __global const float* dy, __global float* dx,
    int kind, float alpha) {
  int i = get_global_id(0);
  dx[i] += dy[i] * derivative_at_output(kind, alpha, y[i]);
}

// A fused epilogue's backward pass: the gradient before the activation, overwritten (dpre = dy act'(y)).
static inline void pre_activation_gradient(__global const float* y, __global const float* dy, __global float* dpre,
    int kind, float alpha) {
  int i = get_global_id(0);
  dpre[i] = kind == 0 ? dy[i] : dy[i] * derivative_at_output(kind, alpha, y[i]);
}

// Inverted dropout with a mask drawn on the host (0 or 1 / (1 - rate) per value): out = in * mask.
__kernel void mask_forward(__global const float* in, __global const float* mask, __global float* out) {
  int i = get_global_id(0);
  out[i] = in[i] * mask[i];
}

__kernel void mask_backward(__global const float* dout, __global const float* mask, __global float* din) {
  int i = get_global_id(0);
  din[i] += dout[i] * mask[i];
}

// ---- concatenation along channels: global (size, batch); offset and out_size in values per image

static inline void concat_forward(__global const float* in, __global float* out, int size, int out_size,
    int offset) {
  int i = get_global_id(0), n = get_global_id(1);
  out[n * out_size + offset + i] = in[n * size + i];
}

static inline void concat_backward(__global const float* dout, __global float* din, int size, int out_size,
    int offset) {
  int i = get_global_id(0), n = get_global_id(1);
  din[n * size + i] += dout[n * out_size + offset + i];
}

// ---- convolution (groups, strides, zero padding)
// weight [F][C/G][KH][KW]; filter f belongs to group f / (F / G) and reads its group's C / G input channels.
// Register tiles: a work item computes TILE filters (forward, weight gradient) or TILE input channels (input
// gradient) of one group, so each value it loads feeds TILE multiply-adds. (Tiles over neighbouring positions
// too, TILE x TILE per work item, measured slower on PoCL, which vectorises across work items.) A group's last tile
// may be partial: its missing members repeat the last real one (no branch in the inner loop) and are not stored.

#define TILE 4

// Tiles per group of n members.
static inline int tiles(int n) {
  return (n + TILE - 1) / TILE;
}

// out = act(conv(in, w) + bias) for TILE filters at one output position: global (OH * OW, G * tiles(F / G), N).
static inline void conv_forward(__global const float* in, __global const float* w, __global const float* bias,
    __global float* out, int C, int H, int W, int F, int KH, int KW, int SH, int SW, int PH, int PW, int G, int OH,
    int OW, int has_bias, int kind, float alpha) {
  int p = get_global_id(0), tile = get_global_id(1), n = get_global_id(2);
  int oy = p / OW, ox = p % OW;
  int cg = C / G, fg = F / G, g = tile / tiles(fg);
  int f0 = g * fg + tile % tiles(fg) * TILE, count = min(TILE, (g + 1) * fg - f0);
  int taps = cg * KH * KW;
  __global const float* wt[TILE];
  float acc[TILE];
  for (int t = 0; t < TILE; t++) {
    int f = f0 + min(t, count - 1);
    wt[t] = w + f * taps;
    acc[t] = has_bias ? bias[f] : 0.0f;
  }
  for (int c = 0; c < cg; c++) {
    __global const float* plane = in + (n * C + g * cg + c) * H * W;
    for (int ky = 0; ky < KH; ky++) {
      int y = oy * SH - PH + ky;
      if (y < 0 || y >= H) continue;
      for (int kx = 0; kx < KW; kx++) {
        int x = ox * SW - PW + kx;
        if (x < 0 || x >= W) continue;
        float v = plane[y * W + x];
        int r = (c * KH + ky) * KW + kx;
        for (int t = 0; t < TILE; t++) acc[t] += wt[t][r] * v;
      }
    }
  }
  for (int t = 0; t < count; t++) {
    out[((n * F + f0 + t) * OH + oy) * OW + ox] = activation(kind, alpha, acc[t]);
  }
}

// dbias[f] += sum over images and positions of dpre: global (F).
static inline void conv_bias_gradient(__global const float* dpre, __global float* dbias, int N, int F, int P) {
  int f = get_global_id(0);
  float sum = 0.0f;
  for (int n = 0; n < N; n++) {
    __global const float* row = dpre + (n * F + f) * P;
    for (int p = 0; p < P; p++) sum += row[p];
  }
  dbias[f] += sum;
}

// dw[f][r] += sum over images and positions of dpre[n][f][o] * (the input value weight r meets at o), for TILE
// filters: global ((C / G) * KH * KW, G * tiles(F / G)).
static inline void conv_weight_gradient(__global const float* in, __global const float* dpre, __global float* dw,
    int N, int C, int H, int W, int F, int KH, int KW, int SH, int SW, int PH, int PW, int G, int OH, int OW) {
  int r = get_global_id(0), tile = get_global_id(1);
  int cg = C / G, fg = F / G, g = tile / tiles(fg);
  int f0 = g * fg + tile % tiles(fg) * TILE, count = min(TILE, (g + 1) * fg - f0);
  int c = r / (KH * KW), ky = r / KW % KH, kx = r % KW;
  int positions = OH * OW;
  float acc[TILE];
  for (int t = 0; t < TILE; t++) acc[t] = 0.0f;
  for (int n = 0; n < N; n++) {
    __global const float* plane = in + (n * C + g * cg + c) * H * W;
    __global const float* d[TILE];
    for (int t = 0; t < TILE; t++) d[t] = dpre + (n * F + f0 + min(t, count - 1)) * positions;
    for (int oy = 0; oy < OH; oy++) {
      int y = oy * SH - PH + ky;
      if (y < 0 || y >= H) continue;
      for (int ox = 0; ox < OW; ox++) {
        int x = ox * SW - PW + kx;
        if (x < 0 || x >= W) continue;
        float v = plane[y * W + x];
        int o = oy * OW + ox;
        for (int t = 0; t < TILE; t++) acc[t] += d[t][o] * v;
      }
    }
  }
  for (int t = 0; t < count; t++) dw[(f0 + t) * cg * KH * KW + r] += acc[t];
}

// din[n][c][y][x] += sum over the group's filters and the kernel taps that read (y, x) of w * dpre, for TILE
// channels of one group: global (H * W, G * tiles(C / G), N).
static inline void conv_input_gradient(__global const float* dpre, __global const float* w, __global float* din,
    int C, int H, int W, int F, int KH, int KW, int SH, int SW, int PH, int PW, int G, int OH, int OW) {
  int p = get_global_id(0), tile = get_global_id(1), n = get_global_id(2);
  int y = p / W, x = p % W;
  int cg = C / G, fg = F / G, g = tile / tiles(cg);
  int ci0 = tile % tiles(cg) * TILE, count = min(TILE, cg - ci0);
  int kernel_size = KH * KW;
  float acc[TILE];
  for (int t = 0; t < TILE; t++) acc[t] = 0.0f;
  for (int fi = 0; fi < fg; fi++) {
    int f = g * fg + fi;
    __global const float* wf = w + (f * cg + ci0) * kernel_size;
    __global const float* d = dpre + (n * F + f) * OH * OW;
    for (int ky = 0; ky < KH; ky++) {
      int ty = y + PH - ky; // = oy * SH
      if (ty < 0 || ty % SH != 0 || ty / SH >= OH) continue;
      int oy = ty / SH;
      for (int kx = 0; kx < KW; kx++) {
        int tx = x + PW - kx;
        if (tx < 0 || tx % SW != 0 || tx / SW >= OW) continue;
        float dv = d[oy * OW + tx / SW];
        int k = ky * KW + kx;
        for (int t = 0; t < TILE; t++) acc[t] += wf[min(t, count - 1) * kernel_size + k] * dv;
      }
    }
  }
  for (int t = 0; t < count; t++) din[((n * C + g * cg + ci0 + t) * H + y) * W + x] += acc[t];
}

// ---- dense layers: x [N][I], weight [U][I] (PyTorch's), y [N][U]. Register tiles of TILE x TILE: each work item
// computes TILE units (or features) of TILE images, so every value it loads feeds TILE multiply-adds. Partial tiles
// repeat their last real member and store only the real ones, as the convolutions do.

// y = act(x W^T + bias): global (tiles(U), tiles(N)).
static inline void dense_forward(__global const float* x, __global const float* w, __global const float* bias,
    __global float* y, int N, int I, int U, int has_bias, int kind, float alpha) {
  int u0 = get_global_id(0) * TILE, n0 = get_global_id(1) * TILE;
  int units = min(TILE, U - u0), images = min(TILE, N - n0);
  __global const float* wr[TILE];
  __global const float* xr[TILE];
  float acc[TILE][TILE]; // [image][unit]
  for (int t = 0; t < TILE; t++) {
    wr[t] = w + (u0 + min(t, units - 1)) * I;
    xr[t] = x + (n0 + min(t, images - 1)) * I;
  }
  for (int a = 0; a < TILE; a++) {
    for (int b = 0; b < TILE; b++) acc[a][b] = has_bias ? bias[u0 + min(b, units - 1)] : 0.0f;
  }
  for (int i = 0; i < I; i++) {
    float wv[TILE], xv[TILE];
    for (int t = 0; t < TILE; t++) {
      wv[t] = wr[t][i];
      xv[t] = xr[t][i];
    }
    for (int a = 0; a < TILE; a++) {
      for (int b = 0; b < TILE; b++) acc[a][b] += xv[a] * wv[b];
    }
  }
  for (int a = 0; a < images; a++) {
    for (int b = 0; b < units; b++) y[(n0 + a) * U + u0 + b] = activation(kind, alpha, acc[a][b]);
  }
}

// dw[u][i] += sum over images of dpre[n][u] x[n][i]: global (tiles(I), tiles(U)).
static inline void dense_weight_gradient(__global const float* x, __global const float* dpre, __global float* dw,
    int N, int I, int U) {
  int i0 = get_global_id(0) * TILE, u0 = get_global_id(1) * TILE;
  int features = min(TILE, I - i0), units = min(TILE, U - u0);
  float acc[TILE][TILE]; // [unit][feature]
  for (int a = 0; a < TILE; a++) {
    for (int b = 0; b < TILE; b++) acc[a][b] = 0.0f;
  }
  for (int n = 0; n < N; n++) {
    float dv[TILE], xv[TILE];
    for (int t = 0; t < TILE; t++) {
      dv[t] = dpre[n * U + u0 + min(t, units - 1)];
      xv[t] = x[n * I + i0 + min(t, features - 1)];
    }
    for (int a = 0; a < TILE; a++) {
      for (int b = 0; b < TILE; b++) acc[a][b] += dv[a] * xv[b];
    }
  }
  for (int a = 0; a < units; a++) {
    for (int b = 0; b < features; b++) dw[(u0 + a) * I + i0 + b] += acc[a][b];
  }
}

// dx[n][i] += sum over units of dpre[n][u] w[u][i]: global (tiles(I), tiles(N)).
static inline void dense_input_gradient(__global const float* dpre, __global const float* w, __global float* dx,
    int N, int I, int U) {
  int i0 = get_global_id(0) * TILE, n0 = get_global_id(1) * TILE;
  int features = min(TILE, I - i0), images = min(TILE, N - n0);
  float acc[TILE][TILE]; // [image][feature]
  for (int a = 0; a < TILE; a++) {
    for (int b = 0; b < TILE; b++) acc[a][b] = 0.0f;
  }
  for (int u = 0; u < U; u++) {
    float dv[TILE], wv[TILE];
    for (int t = 0; t < TILE; t++) {
      dv[t] = dpre[(n0 + min(t, images - 1)) * U + u];
      wv[t] = w[u * I + i0 + min(t, features - 1)];
    }
    for (int a = 0; a < TILE; a++) {
      for (int b = 0; b < TILE; b++) acc[a][b] += dv[a] * wv[b];
    }
  }
  for (int a = 0; a < images; a++) {
    for (int b = 0; b < features; b++) dx[(n0 + a) * I + i0 + b] += acc[a][b];
  }
}

// ---- max and average pooling with PyTorch's windows (overlapping, padded, ceil mode)
// Output o's window starts at o * S - P and ends at min(start + K, size + P); it reads the part inside the input.
// Average pooling divides by the padded extent (count_include_pad) or by the cells read. Max pooling records its
// winner (the first cell holding the maximum, the first NaN when there is one, as PyTorch) for the backward pass.

// global (OH * OW, N * C); winners is written only for max pooling (plane offsets; -1 for an empty window)
static inline void pool_forward(__global const float* in, __global float* out, __global int* winners, int H, int W,
    int OH, int OW, int KH, int KW, int SH, int SW, int PH, int PW, int is_max, int count_include_pad) {
  int p = get_global_id(0), plane = get_global_id(1);
  int oy = p / OW, ox = p % OW;
  int ys = oy * SH - PH, ye = min(ys + KH, H + PH);
  int xs = ox * SW - PW, xe = min(xs + KW, W + PW);
  int y0 = max(ys, 0), y1 = max(min(ye, H), y0);
  int x0 = max(xs, 0), x1 = max(min(xe, W), x0);
  __global const float* src = in + plane * H * W;
  int o = plane * OH * OW + p;
  if (is_max) {
    int winner = -1;
    float m = 0.0f; // an empty window gives 0
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        float v = src[y * W + x];
        if (winner < 0 || v > m || (isnan(v) && !isnan(m))) {
          m = v;
          winner = y * W + x;
        }
      }
    }
    out[o] = m;
    winners[o] = winner;
  } else {
    float sum = 0.0f;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) sum += src[y * W + x];
    }
    int real = (y1 - y0) * (x1 - x0);
    int divisor = real <= 0 ? 0 : count_include_pad ? (ye - ys) * (xe - xs) : real;
    out[o] = divisor == 0 ? 0.0f : sum / divisor;
  }
}

// The gradient of each input cell, gathered from the outputs whose windows hold it: a max window sends its
// gradient to its winner, an average window shares it out. global (H * W, N * C)
static inline void pool_backward(__global const int* winners, __global const float* dout, __global float* din, int H,
    int W, int OH, int OW, int KH, int KW, int SH, int SW, int PH, int PW, int is_max, int count_include_pad) {
  int p = get_global_id(0), plane = get_global_id(1);
  int y = p / W, x = p % W;
  int ty = y + PH - KH, tx = x + PW - KW;
  int oy_lo = ty < 0 ? 0 : ty / SH + 1, oy_hi = min(OH - 1, (y + PH) / SH);
  int ox_lo = tx < 0 ? 0 : tx / SW + 1, ox_hi = min(OW - 1, (x + PW) / SW);
  float sum = 0.0f;
  for (int oy = oy_lo; oy <= oy_hi; oy++) {
    int ys = oy * SH - PH, ye = min(ys + KH, H + PH);
    int y0 = max(ys, 0), y1 = max(min(ye, H), y0);
    if (y < y0 || y >= y1) continue;
    for (int ox = ox_lo; ox <= ox_hi; ox++) {
      int xs = ox * SW - PW, xe = min(xs + KW, W + PW);
      int x0 = max(xs, 0), x1 = max(min(xe, W), x0);
      if (x < x0 || x >= x1) continue;
      int o = plane * OH * OW + oy * OW + ox;
      if (is_max) {
        if (winners[o] == p) sum += dout[o];
      } else {
        int real = (y1 - y0) * (x1 - x0);
        int divisor = count_include_pad ? (ye - ys) * (xe - xs) : real;
        sum += dout[o] / divisor;
      }
    }
  }
  din[plane * H * W + p] += sum;
}

// ---- adaptive average pooling (PyTorch's windows: floor(o in / out) to ceil((o + 1) in / out))

// global (OH * OW, N * C)
static inline void adaptive_avg_pool_forward(__global const float* in, __global float* out, int H, int W, int OH,
    int OW) {
  int p = get_global_id(0), plane = get_global_id(1);
  int oy = p / OW, ox = p % OW;
  int y0 = oy * H / OH, y1 = ((oy + 1) * H + OH - 1) / OH;
  int x0 = ox * W / OW, x1 = ((ox + 1) * W + OW - 1) / OW;
  __global const float* src = in + plane * H * W;
  float sum = 0.0f;
  for (int y = y0; y < y1; y++) {
    for (int x = x0; x < x1; x++) sum += src[y * W + x];
  }
  out[plane * OH * OW + p] = sum / ((y1 - y0) * (x1 - x0));
}

// global (H * W, N * C)
static inline void adaptive_avg_pool_backward(__global const float* dout, __global float* din, int H, int W, int OH,
    int OW) {
  int p = get_global_id(0), plane = get_global_id(1);
  int y = p / W, x = p % W;
  float sum = 0.0f;
  for (int oy = 0; oy < OH; oy++) {
    int y0 = oy * H / OH, y1 = ((oy + 1) * H + OH - 1) / OH;
    if (y < y0 || y >= y1) continue;
    for (int ox = 0; ox < OW; ox++) {
      int x0 = ox * W / OW, x1 = ((ox + 1) * W + OW - 1) / OW;
      if (x < x0 || x >= x1) continue;
      sum += dout[plane * OH * OW + oy * OW + ox] / ((y1 - y0) * (x1 - x0));
    }
  }
  din[plane * H * W + p] += sum;
}

// ---- local response normalisation across channels: b_c = a_c D_c^-beta, D_c = k + coef sum_{j in N(c)} a_j^2,
// N(c) = c - size/2 .. c + size/2 clipped; coef is alpha or alpha / size (the two conventions, chosen on the host).

static inline float pow_neg_beta(float d, float beta) {
  if (beta == 0.75f) {
    float root = sqrt(d);
    return 1.0f / (root * sqrt(root));
  }
  if (beta == 0.5f) return 1.0f / sqrt(d);
  if (beta == 1.0f) return 1.0f / d;
  return pow(d, -beta);
}

// Keeps D and D^-beta for the backward pass. global (H * W, C, N)
static inline void lrn_forward(__global const float* in, __global float* out, __global float* denominators,
    __global float* scales, int C, int P, int half_size, float coef, float k, float beta) {
  int p = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
  int base = n * C * P + p;
  float sum = 0.0f;
  for (int j = max(0, c - half_size); j <= min(C - 1, c + half_size); j++) {
    float v = in[base + j * P];
    sum += v * v;
  }
  float d = k + coef * sum;
  float scale = pow_neg_beta(d, beta);
  int i = base + c * P;
  denominators[i] = d;
  scales[i] = scale;
  out[i] = in[i] * scale;
}

// da_m += db_m D_m^-beta - 2 coef beta a_m sum_{i: m in N(i)} db_i a_i D_i^(-beta-1). global (H * W, C, N)
static inline void lrn_backward(__global const float* in, __global const float* dout,
    __global const float* denominators, __global const float* scales, __global float* din, int C, int P,
    int half_size, float coef, float beta) {
  int p = get_global_id(0), m = get_global_id(1), n = get_global_id(2);
  int base = n * C * P + p;
  float sum = 0.0f;
  for (int i = max(0, m - half_size); i <= min(C - 1, m + half_size); i++) {
    int at = base + i * P;
    sum += dout[at] * in[at] * scales[at] / denominators[at];
  }
  int i = base + m * P;
  din[i] += dout[i] * scales[i] - 2.0f * coef * beta * in[i] * sum;
}

// ---- batch normalisation, PyTorch's training semantics (see dev.netc.runtime.train.ops.BatchNormOp)

// Per channel: the statistics that normalise (the batch's in training, updating the running ones by momentum
// towards the batch mean and unbiased variance; the running ones in evaluation). global (C)
static inline void batch_norm_statistics(__global const float* in, __global float* mean_out,
    __global float* inv_std_out, __global float* running_mean, __global float* running_var, int N, int C, int P,
    float eps, float momentum, int training) {
  int c = get_global_id(0);
  acc_t mean, var;
  if (training) {
    acc_t sum = 0;
    for (int n = 0; n < N; n++) {
      __global const float* x = in + (n * C + c) * P;
      for (int p = 0; p < P; p++) sum += x[p];
    }
    int m = N * P;
    mean = sum / m;
    acc_t sq = 0;
    for (int n = 0; n < N; n++) {
      __global const float* x = in + (n * C + c) * P;
      for (int p = 0; p < P; p++) {
        acc_t d = x[p] - mean;
        sq += d * d;
      }
    }
    var = sq / m;
    acc_t unbiased = m > 1 ? sq / (m - 1) : var;
    running_mean[c] = (float) ((1 - (acc_t) momentum) * running_mean[c] + (acc_t) momentum * mean);
    running_var[c] = (float) ((1 - (acc_t) momentum) * running_var[c] + (acc_t) momentum * unbiased);
  } else {
    mean = running_mean[c];
    var = running_var[c];
  }
  mean_out[c] = (float) mean;
  inv_std_out[c] = (float) (1 / sqrt(var + (acc_t) eps));
}

// y = gamma xhat + beta, keeping xhat. global (H * W, C, N)
static inline void batch_norm_forward(__global const float* in, __global float* out, __global float* xhat,
    __global const float* gamma, __global const float* beta, __global const float* mean,
    __global const float* inv_std, int C, int P) {
  int p = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
  int i = (n * C + c) * P + p;
  float xh = (in[i] - mean[c]) * inv_std[c];
  xhat[i] = xh;
  out[i] = gamma[c] * xh + beta[c];
}

// Per channel: dgamma += sum dy xhat, dbeta += sum dy, and the two means the input gradient needs. global (C)
static inline void batch_norm_parameter_gradient(__global const float* dout, __global const float* xhat,
    __global float* dgamma, __global float* dbeta, __global float* means, int N, int C, int P) {
  int c = get_global_id(0);
  acc_t sum_dy = 0, sum_dy_xhat = 0;
  for (int n = 0; n < N; n++) {
    int b = (n * C + c) * P;
    for (int p = 0; p < P; p++) {
      sum_dy += dout[b + p];
      sum_dy_xhat += (acc_t) dout[b + p] * xhat[b + p];
    }
  }
  dgamma[c] += (float) sum_dy_xhat;
  dbeta[c] += (float) sum_dy;
  means[2 * c] = (float) (sum_dy / (N * P));
  means[2 * c + 1] = (float) (sum_dy_xhat / (N * P));
}

// dx += gamma inv_std (dy - mean(dy) - xhat mean(dy xhat)) in training (an affine map's gradient in evaluation).
// global (H * W, C, N)
static inline void batch_norm_input_gradient(__global const float* dout, __global const float* xhat,
    __global const float* gamma, __global const float* inv_std, __global const float* means, __global float* din,
    int C, int P, int training) {
  int p = get_global_id(0), c = get_global_id(1), n = get_global_id(2);
  int i = (n * C + c) * P + p;
  float k = gamma[c] * inv_std[c];
  din[i] += training ? k * (dout[i] - means[2 * c] - xhat[i] * means[2 * c + 1]) : k * dout[i];
}

// ---- softmax across channels at each position

// global (P, N)
static inline void softmax_forward(__global const float* in, __global float* out, int C, int P) {
  int p = get_global_id(0), n = get_global_id(1);
  int b = n * C * P + p;
  float m = -INFINITY;
  for (int c = 0; c < C; c++) m = max(m, in[b + c * P]);
  acc_t sum = 0;
  for (int c = 0; c < C; c++) {
    float e = exp(in[b + c * P] - m);
    out[b + c * P] = e;
    sum += e;
  }
  float inv = (float) (1 / sum);
  for (int c = 0; c < C; c++) out[b + c * P] *= inv;
}

// dx += y (dy - sum(dy y)). global (P, N)
static inline void softmax_backward(__global const float* y, __global const float* dy, __global float* dx, int C,
    int P) {
  int p = get_global_id(0), n = get_global_id(1);
  int b = n * C * P + p;
  acc_t dot = 0;
  for (int c = 0; c < C; c++) dot += dy[b + c * P] * y[b + c * P];
  for (int c = 0; c < C; c++) {
    int i = b + c * P;
    dx[i] += (float) (y[i] * (dy[i] - dot));
  }
}
