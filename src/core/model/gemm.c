// The model's math at inference but for the encoder's two products over every position: matrix products, LSTM
// cells, attention and softmax (./gemm.ts holds the JS side and says why they are not tfjs kernels). Compiled into
// the committed gemm.wasm by `npm run build:gemm` (scripts/build-gemm.sh); ./gemm-reference.c holds the products as
// plain loops, and test/unit/gemm-bounds.c runs this file natively under ASan and UBSan (./gemm-native.h there).
//
// Pointers are into the module's memory, which gemm.ts lays out from address 0: the module has no data, and its C
// stack is empty and at 0, so a function that spilled to it would trap instead of writing over the weights.
// Vectors read past a buffer only where a comment says so (up to 12 bytes: gemm.ts leaves 16 after each region);
// they store only what is inside it.

#include <stdbool.h>
#include <stdint.h>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#define EXPORT __attribute__((visibility("default")))
static inline float max_f32(float a, float b) { return __builtin_wasm_max_f32(a, b); } // NaN wins, +0 above -0
static inline float nearest_f32(float x) { return __builtin_rintf(x); }                  // ties to even
static inline int32_t trunc_sat_f32(float x) { return __builtin_wasm_trunc_saturate_s_i32_f32(x); }
#else
#include "gemm-native.h"
#endif

// Products go over output units in blocks: every row meets a block before the next block, so the block's weights
// (16 K bytes in int8) and a row stay in the L1 cache and a batch reads each weight from memory once.
#define BLOCK 16
#define QUAD 4        // rows at a time where they can: one load (and widening) of the weights serves four rows
#define F32_STEP 8    // float32 weights a step of k: two vectors, k mod 8 < 4 summed apart from k mod 8 >= 4
#define I8_STEP 16    // int8 weights a step of k: one vector, widened to two of int16
#define WEIGHT_Q 127  // int8 weights: w = q * scale, |q| <= 127
#define INPUT_Q 8191  // int16 inputs: x = q * scale, |q| <= 8191, so 127 x 8191 x K < 2^31 for K up to 2048
#define LANES 4       // float32 lanes of a vector

// ---------------------------------------------------------------------------------------------------------------
// Vector helpers

static inline v128_t splat(float x) { return wasm_f32x4_splat(x); }
static inline v128_t add(v128_t a, v128_t b) { return wasm_f32x4_add(a, b); }
static inline v128_t mul(v128_t a, v128_t b) { return wasm_f32x4_mul(a, b); }

// The lanes of v summed: (0 + 1) + (2 + 3), the order every kernel's result depends on.
static inline float sum_lanes(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

static inline int32_t sum_lanes_i32(v128_t v) {
  return (wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1)) +
         (wasm_i32x4_extract_lane(v, 2) + wasm_i32x4_extract_lane(v, 3));
}

static inline float max_lanes(v128_t v) {
  return max_f32(max_f32(wasm_f32x4_extract_lane(v, 0), wasm_f32x4_extract_lane(v, 1)),
                 max_f32(wasm_f32x4_extract_lane(v, 2), wasm_f32x4_extract_lane(v, 3)));
}

// All ones in the first n lanes (every lane when n >= 4).
static inline v128_t lanes(int n) { return wasm_i32x4_gt(wasm_i32x4_splat(n), wasm_i32x4_make(0, 1, 2, 3)); }

// Stores the first n lanes of v at p (all four when n >= 4).
static inline void store(float *p, v128_t v, int n) {
  if (n >= LANES) {
    wasm_v128_store(p, v);
    return;
  }
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (n >= 2) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (n >= 3) p[2] = wasm_f32x4_extract_lane(v, 2);
}

// Cephes expf (relative error ~1e-7), four lanes: exp(x) = 2^n exp(g), n = round(x / ln 2), |g| <= ln 2 / 2, a
// degree-6 polynomial. Math.exp one at a time was most of a beam batch's step.
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_max(wasm_f32x4_min(x, splat(88.3762626647949f)), splat(-87.3365478515625f));
  v128_t n = wasm_f32x4_nearest(mul(x, splat(1.44269504088896341f))); // x / ln 2
  // g = x - n ln 2, with ln 2 in two parts so that n ln 2 loses nothing
  v128_t g = wasm_f32x4_sub(wasm_f32x4_sub(x, mul(n, splat(0.693359375f))), mul(n, splat(-2.12194440e-4f)));
  v128_t p = splat(1.9875691500e-4f);
  p = add(mul(p, g), splat(1.3981999507e-3f));
  p = add(mul(p, g), splat(8.3334519073e-3f));
  p = add(mul(p, g), splat(4.1665795894e-2f));
  p = add(mul(p, g), splat(1.6666665459e-1f));
  p = add(mul(p, g), splat(5.0000001201e-1f));
  p = add(add(mul(mul(p, g), g), g), splat(1));
  v128_t two_n = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23); // 2^n
  return mul(p, two_n);
}

static inline v128_t sigmoid(v128_t x) { return wasm_f32x4_div(splat(1), add(splat(1), exp4(wasm_f32x4_neg(x)))); }

// tanh(x) = 2 sigmoid(2x) - 1
static inline v128_t tanh4(v128_t x) { return wasm_f32x4_sub(mul(splat(2), sigmoid(add(x, x))), splat(1)); }

// ---------------------------------------------------------------------------------------------------------------
// Matrix products
//
// Both take a weight matrix stored unit by unit (row id holds output unit id's K weights, K a multiple of 16) and
// compute, for `rows` input rows and the units ids[0..count):
//   out[r * count + c] = bias[id] + x[r] . w[id]                 (id = ids[c])
// A row sums in the same order whether it goes in a quad or alone, so its result does not depend on the batch.

struct operands {
  int rows, K, count;
  const int32_t *ids; // [count]
  const float *bias;  // [N]
  float *out;         // [rows, count]
  const float *x, *w; // float32: x [rows, K], w [N, K]
  const int16_t *xq;  // int8: x [rows, K] = xq * xscale[r]
  const int8_t *wq;   //       w [N, K] = wq * wscale[id]
  const float *xscale, *wscale;
};

// The n rows from r (n = QUAD or 1) times unit ids[c] in float32: out = bias + the lanes of a + b summed.
static inline __attribute__((always_inline)) void unit_f32(const struct operands *o, int r, int n, int c) {
  const int id = o->ids[c], K = o->K;
  const float *w = o->w + id * K;
  v128_t a[QUAD], b[QUAD];
  for (int i = 0; i < n; i++) a[i] = b[i] = splat(0);
  for (int k = 0; k < K; k += F32_STEP) {
    v128_t v = wasm_v128_load(w + k), u = wasm_v128_load(w + k + 4);
    for (int i = 0; i < n; i++) {
      const float *x = o->x + (r + i) * K + k;
      a[i] = add(a[i], mul(v, wasm_v128_load(x)));
      b[i] = add(b[i], mul(u, wasm_v128_load(x + 4)));
    }
  }
  for (int i = 0; i < n; i++) o->out[(r + i) * o->count + c] = o->bias[id] + sum_lanes(add(a[i], b[i]));
}

// The n rows from r times unit ids[c], int8 weights by int16 inputs summed exactly in int32 (i32x4.dot_i16x8_s):
// out = bias + xscale wscale (the lanes of a summed).
static inline __attribute__((always_inline)) void unit_i8(const struct operands *o, int r, int n, int c) {
  const int id = o->ids[c], K = o->K;
  const int8_t *w = o->wq + id * K;
  v128_t a[QUAD];
  for (int i = 0; i < n; i++) a[i] = wasm_i32x4_splat(0);
  for (int k = 0; k < K; k += I8_STEP) {
    v128_t both = wasm_v128_load(w + k);
    v128_t lo = wasm_i16x8_extend_low_i8x16(both), hi = wasm_i16x8_extend_high_i8x16(both);
    for (int i = 0; i < n; i++) {
      const int16_t *x = o->xq + (r + i) * K + k;
      v128_t low = wasm_i32x4_dot_i16x8(lo, wasm_v128_load(x)), high = wasm_i32x4_dot_i16x8(hi, wasm_v128_load(x + 8));
      a[i] = wasm_i32x4_add(a[i], wasm_i32x4_add(low, high));
    }
  }
  for (int i = 0; i < n; i++)
    o->out[(r + i) * o->count + c] = o->bias[id] + o->xscale[r + i] * o->wscale[id] * (float)sum_lanes_i32(a[i]);
}

// The products of both precisions: units by blocks, rows by quads and then one at a time.
static inline __attribute__((always_inline)) void products(const struct operands *o, bool int8) {
  for (int block = 0; block < o->count; block += BLOCK) {
    const int end = block + BLOCK < o->count ? block + BLOCK : o->count;
    int r = 0;
    for (; r + QUAD <= o->rows; r += QUAD)
      for (int c = block; c < end; c++) {
        if (int8) unit_i8(o, r, QUAD, c);
        else unit_f32(o, r, QUAD, c);
      }
    for (; r < o->rows; r++)
      for (int c = block; c < end; c++) {
        if (int8) unit_i8(o, r, 1, c);
        else unit_f32(o, r, 1, c);
      }
  }
}

// float32 weights and inputs.
EXPORT void gemm_f32(const float *x, int rows, int K, const float *w, const int32_t *ids, int count, const float *bias,
                     float *out) {
  const struct operands o = {.rows = rows, .K = K, .count = count, .ids = ids, .bias = bias, .out = out,
                             .x = x, .w = w};
  products(&o, false);
}

// int8 weights (units_quantize) by int16 inputs (quantize_rows), each with a scale.
EXPORT void gemm_i8(const int16_t *x, const float *xscale, int rows, int K, const int8_t *w, const int32_t *ids,
                    int count, const float *wscale, const float *bias, float *out) {
  const struct operands o = {.rows = rows, .K = K, .count = count, .ids = ids, .bias = bias, .out = out,
                             .xq = x, .wq = w, .xscale = xscale, .wscale = wscale};
  products(&o, true);
}

// x * inverse rounded to nearest, four lanes.
static inline v128_t quantized(v128_t x, v128_t inverse) {
  return wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(mul(x, inverse)));
}

// Rows of float32 inputs x [rows, K] -> int16 q [rows, K] with a scale per row: x = q * scale, |q| <= INPUT_Q.
EXPORT void quantize_rows(const float *x, int rows, int K, int16_t *q, float *scales) {
  for (int r = 0; r < rows; r++) {
    const float *row = x + r * K;
    v128_t m = splat(0);
    for (int k = 0; k < K; k += LANES) m = wasm_f32x4_max(m, wasm_f32x4_abs(wasm_v128_load(row + k)));
    const float largest = max_lanes(m);
    scales[r] = largest / INPUT_Q;
    const v128_t inverse = splat(largest > 0 ? INPUT_Q / largest : 0);
    for (int k = 0; k < K; k += F32_STEP) {
      v128_t low = quantized(wasm_v128_load(row + k), inverse), high = quantized(wasm_v128_load(row + k + 4), inverse);
      wasm_v128_store(q + r * K + k, wasm_i16x8_narrow_i32x4(low, high));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Weights: uint8 codes and int8 quantization

// A uint8 code's weight: code * scale + min, computed in float64 and rounded once, as tfjs decodes its
// uint8-quantized weights (so a weight has the same value whichever loader read it).
static inline float decoded(uint8_t code, double scale, double min) { return (float)(code * scale + min); }

// uint8 codes [n] -> float32 out [n].
EXPORT void dequantize_u8(const uint8_t *codes, int n, double scale, double min, float *out) {
  for (int i = 0; i < n; i++) out[i] = decoded(codes[i], scale, min);
}

// int8 weights [N, padded] unit by unit with a scale per unit, w = q * scale, |q| <= WEIGHT_Q, scale = max_k
// |w[k, j]| / WEIGHT_Q, from Keras kernels [K, N] stacked on K: for each part, units_largest; then units_scales;
// then, for each part, units_quantize (its rows from k0). A part is float32 (u8 = 0) or uint8 codes (decoded),
// read where it is: no float32 copy of the matrix.

// Weight i of a part.
static inline float weight(const void *part, int i, int u8, double scale, double min) {
  return u8 ? decoded(((const uint8_t *)part)[i], scale, min) : ((const float *)part)[i];
}

// largest[j] = the largest |w[k, j]| of the part and of what largest[j] held.
EXPORT void units_largest(const void *part, int u8, double scale, double min, int K, int N, float *largest) {
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) {
      const float w = weight(part, k * N + j, u8, scale, min);
      largest[j] = max_f32(largest[j], __builtin_fabsf(w));
    }
}

// scales[j] = largest[j] / WEIGHT_Q in place, and inverses[j] = 1 / scales[j] (0 for a unit of zeros).
EXPORT void units_scales(float *scales, float *inverses, int N) {
  for (int j = 0; j < N; j++) {
    const float s = scales[j] / WEIGHT_Q;
    scales[j] = s;
    inverses[j] = s > 0 ? 1 / s : 0;
  }
}

EXPORT void units_quantize(const void *part, int u8, double scale, double min, int K, int N, int k0, int padded,
                           int8_t *weights, const float *inverses) {
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) {
      const float w = weight(part, k * N + j, u8, scale, min);
      weights[j * padded + k0 + k] = (int8_t)trunc_sat_f32(nearest_f32(w * inverses[j]));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Softmax, LSTM cells, attention

// Softmax of each row of x [rows, count] in place. Reads 12 bytes past x.
EXPORT void softmax_rows(float *x, int rows, int count) {
  for (int r = 0; r < rows; r++) {
    float *p = x + r * count;
    // the largest logit (lanes past the row count as -inf)
    const v128_t minus_inf = splat(-__builtin_inff());
    v128_t top = minus_inf;
    for (int c = 0; c < count; c += LANES)
      top = wasm_f32x4_max(top, wasm_v128_bitselect(wasm_v128_load(p + c), minus_inf, lanes(count - c)));
    top = splat(max_lanes(top));
    // exp(x - top) and their sum
    v128_t sum = splat(0);
    for (int c = 0; c < count; c += LANES) {
      v128_t e = wasm_v128_and(exp4(wasm_f32x4_sub(wasm_v128_load(p + c), top)), lanes(count - c));
      store(p + c, e, count - c);
      sum = add(sum, e);
    }
    // normalized
    const v128_t inverse = splat(1 / sum_lanes(sum));
    for (int c = 0; c < count; c += LANES) store(p + c, mul(wasm_v128_load(p + c), inverse), count - c);
  }
}

// Keras LSTM cells (recurrent activation sigmoid) for rows of pre-activations z [rows, 4H], gates [i, f, g, o],
// plus extra [rows, 4H] when it is not 0 (the encoder's input projection): c [rows, H] is updated in place and h
// [rows, H] written. Four units at a time: reads 12 bytes past z, extra and c.
EXPORT void lstm_cells(const float *z, const float *extra, float *c, int rows, int H, float *h) {
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < H; j += LANES) {
      const float *zr = z + r * 4 * H + j;
      v128_t i = wasm_v128_load(zr), f = wasm_v128_load(zr + H);
      v128_t g = wasm_v128_load(zr + 2 * H), o = wasm_v128_load(zr + 3 * H);
      if (extra) {
        const float *ar = extra + r * 4 * H + j;
        i = add(i, wasm_v128_load(ar));
        f = add(f, wasm_v128_load(ar + H));
        g = add(g, wasm_v128_load(ar + 2 * H));
        o = add(o, wasm_v128_load(ar + 3 * H));
      }
      float *cr = c + r * H + j;
      const v128_t cell = add(mul(sigmoid(f), wasm_v128_load(cr)), mul(sigmoid(i), tanh4(g)));
      store(cr, cell, H - j);
      store(h + r * H + j, mul(sigmoid(o), tanh4(cell)), H - j);
    }
}

// tanh of x [n] in place (the attention layer's output). Reads 12 bytes past x.
EXPORT void tanh_in_place(float *x, int n) {
  for (int i = 0; i < n; i += LANES) store(x + i, tanh4(wasm_v128_load(x + i)), n - i);
}

// Luong attention for rows of decoder outputs s [rows, H] in groups of R, group g reading sentence sentences[g] of
// a memory: keys and values [B, S, H], lengths [B]. weights [rows, S]: the softmax over the sentence's tokens of
// s . key_t (0 past its end); contexts [rows, H] = sum_t weight_t value_t. Each row's dot products sum in the same
// order whatever the batch. Vectors reading past a row of H are masked: reads 12 bytes past s, keys and values.
EXPORT void attend(const float *s, int rows, int R, int H, const int32_t *sentences, const int32_t *lengths, int S,
                   const float *keys, const float *values, float *weights, float *contexts) {
  for (int r = 0; r < rows; r++) {
    const int b = sentences[r / R], length = lengths[b];
    const float *sr = s + r * H, *key = keys + b * S * H, *value = values + b * S * H;
    float *wr = weights + r * S;
    // scores, and the largest
    float top = -__builtin_inff();
    for (int t = 0; t < length; t++) {
      v128_t acc = splat(0);
      for (int j = 0; j < H; j += LANES)
        acc = add(acc, wasm_v128_and(lanes(H - j), mul(wasm_v128_load(sr + j), wasm_v128_load(key + t * H + j))));
      wr[t] = sum_lanes(acc);
      top = max_f32(top, wr[t]);
    }
    // softmax over the sentence's tokens, 0 after them
    float total = 0;
    for (int t = 0; t < length; t++) {
      wr[t] = wasm_f32x4_extract_lane(exp4(splat(wr[t] - top)), 0);
      total += wr[t];
    }
    total = 1 / total;
    for (int t = 0; t < S; t++) wr[t] = t < length ? wr[t] * total : 0;
    // the context: four units at a time, every token's value weighted
    for (int j = 0; j < H; j += LANES) {
      v128_t acc = splat(0);
      for (int t = 0; t < length; t++) acc = add(acc, mul(wasm_v128_load(value + t * H + j), splat(wr[t])));
      store(contexts + r * H + j, acc, H - j);
    }
  }
}
