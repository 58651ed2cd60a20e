// The matrix products of ./gemm.c as plain loops, one output at a time: what the vector kernels compute, for a
// reader and as an oracle (test/unit/gemm-bounds.c checks the kernels against it bit for bit, natively). Same
// arguments as the kernels; not compiled into gemm.wasm.

#include <stdint.h>

// out[r, c] = bias[id] + x[r] . w[id] (id = ids[c]) in float32, summed in the kernel's order: lane l of eight
// sums k = l mod 8, lanes l and l + 4 are added, then those four as (0 + 1) + (2 + 3).
void gemm_f32_reference(const float *x, int rows, int K, const float *w, const int32_t *ids, int count,
                        const float *bias, float *out) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < count; c++) {
      const float *xr = x + r * K, *wu = w + ids[c] * K;
      float lane[8] = {0};
      for (int k = 0; k < K; k++) lane[k % 8] += wu[k] * xr[k];
      float acc[4];
      for (int l = 0; l < 4; l++) acc[l] = lane[l] + lane[l + 4];
      out[r * count + c] = bias[ids[c]] + ((acc[0] + acc[1]) + (acc[2] + acc[3]));
    }
}

// x [rows, K] -> q [rows, K] and scales [rows]: x = q * scale, q = x * (8191 / max |x|) rounded to nearest even.
void quantize_rows_reference(const float *x, int rows, int K, int16_t *q, float *scales) {
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * K;
    float largest = 0;
    for (int k = 0; k < K; k++) largest = __builtin_fabsf(xr[k]) > largest ? __builtin_fabsf(xr[k]) : largest;
    scales[r] = largest / 8191;
    const float inverse = largest > 0 ? 8191 / largest : 0;
    for (int k = 0; k < K; k++) q[r * K + k] = (int16_t)__builtin_rintf(xr[k] * inverse);
  }
}

// out[r, c] = bias[id] + xscale[r] wscale[id] sum_k x[r, k] w[id, k], the sum exact in int32.
void gemm_i8_reference(const int16_t *x, const float *xscale, int rows, int K, const int8_t *w, const int32_t *ids,
                       int count, const float *wscale, const float *bias, float *out) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < count; c++) {
      const int id = ids[c];
      int32_t sum = 0;
      for (int k = 0; k < K; k++) sum += x[r * K + k] * w[id * K + k];
      out[r * count + c] = bias[id] + xscale[r] * wscale[id] * (float)sum;
    }
}
