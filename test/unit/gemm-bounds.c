// The kernels of src/core/model/gemm.c built natively (gemm-native.h in place of wasm_simd128.h) and run on edge
// shapes with every buffer on the heap at its exact size, plus the 12 bytes a kernel's comment says it may read
// past: under -fsanitize=address,undefined a byte read or written outside, or an int32 sum that overflows, stops
// the run. The products and quantize_rows must also equal gemm-reference.c bit for bit. Run by
// test/unit/gemm-build.test.ts where clang is installed:
//   clang -fsanitize=address,undefined -ffp-contract=off test/unit/gemm-bounds.c -lm && ./a.out

#include <stdio.h>
#include <stdlib.h>

#include "../../src/core/model/gemm.c"
#include "../../src/core/model/gemm-reference.c"

#define SLACK 12 // bytes a vector may read past a row's end where a kernel says so

static int checks = 0, failures = 0;
static uint32_t seed = 1;

// Uniform in [-1, 1).
static float noise(void) {
  seed = seed * 1103515245 + 12345;
  return (float)(seed >> 8) / (1 << 23) - 1;
}

// n elements of `size` bytes with `slack` bytes after them, zeroed.
static void *buffer(int n, size_t size, size_t slack) { return calloc(1, n * size + slack); }

static float *floats(int n, size_t slack, float scale) {
  float *p = buffer(n, sizeof(float), slack);
  for (int i = 0; i < n; i++) p[i] = noise() * scale;
  return p;
}

static void expect_same(const char *what, const void *a, const void *b, size_t bytes, int K, int N, int rows) {
  checks++;
  if (memcmp(a, b, bytes) == 0) return;
  failures++;
  fprintf(stderr, "%s differs from the reference: K %d, units %d, rows %d\n", what, K, N, rows);
}

// x [rows, K] padded to [rows, padded] with zeros, as gemm.ts lays it out.
static float *padded_rows(const float *x, int rows, int K, int padded) {
  float *p = buffer(rows * padded, sizeof(float), 0);
  for (int r = 0; r < rows; r++) memcpy(p + r * padded, x + r * K, K * sizeof(float));
  return p;
}

// The products of both precisions, with ids the units in reverse (count = N) or the last unit alone (count = 1).
static void products_at(int K, int N, int rows, int count, float wscale, float xscale) {
  const int padded = (K + 15) / 16 * 16;
  float *kernel = floats(K * N, 0, wscale), *bias = floats(N, 0, 0.1f), *xs = floats(rows * K, 0, xscale);
  int32_t *ids = buffer(count, sizeof(int32_t), 0);
  for (int c = 0; c < count; c++) ids[c] = N - 1 - c;
  float *x = padded_rows(xs, rows, K, padded);

  // float32: weights transposed to [N, padded]
  float *w = buffer(N * padded, sizeof(float), 0);
  for (int k = 0; k < K; k++)
    for (int j = 0; j < N; j++) w[j * padded + k] = kernel[k * N + j];
  float *out = buffer(rows * count, sizeof(float), 0), *want = buffer(rows * count, sizeof(float), 0);
  gemm_f32(x, rows, padded, w, ids, count, bias, out);
  gemm_f32_reference(x, rows, padded, w, ids, count, bias, want);
  expect_same("gemm_f32", out, want, rows * count * sizeof(float), K, N, rows);

  // int8: the weights quantized as gemm.ts does, the inputs by quantize_rows
  float *wscales = buffer(N, sizeof(float), 0), *inverses = buffer(N, sizeof(float), 0);
  int8_t *wq = buffer(N * padded, 1, 0);
  units_largest(kernel, 0, 0, 0, K, N, wscales);
  units_scales(wscales, inverses, N);
  units_quantize(kernel, 0, 0, 0, K, N, 0, padded, wq, inverses);
  int16_t *q = buffer(rows * padded, sizeof(int16_t), 0), *q_want = buffer(rows * padded, sizeof(int16_t), 0);
  float *xscales = buffer(rows, sizeof(float), 0), *xscales_want = buffer(rows, sizeof(float), 0);
  quantize_rows(x, rows, padded, q, xscales);
  quantize_rows_reference(x, rows, padded, q_want, xscales_want);
  expect_same("quantize_rows", q, q_want, rows * padded * sizeof(int16_t), K, N, rows);
  expect_same("quantize_rows scales", xscales, xscales_want, rows * sizeof(float), K, N, rows);
  gemm_i8(q, xscales, rows, padded, wq, ids, count, wscales, bias, out);
  gemm_i8_reference(q, xscales, rows, padded, wq, ids, count, wscales, bias, want);
  expect_same("gemm_i8", out, want, rows * count * sizeof(float), K, N, rows);

  free(kernel), free(bias), free(xs), free(ids), free(x), free(w), free(out), free(want);
  free(wscales), free(inverses), free(wq), free(q), free(q_want), free(xscales), free(xscales_want);
}

// K = 2048 with every |q| at its largest and every product of one sign: 127 x 8191 x 2048 = 2130706432, the
// int32 sum's bound (UBSan stops the reference's sum if it overflows).
static void overflow_bound(int N, int rows, int sign) {
  const int K = 2048;
  int16_t *q = buffer(rows * K, sizeof(int16_t), 0);
  int8_t *w = buffer(N * K, 1, 0);
  for (int i = 0; i < rows * K; i++) q[i] = (i % 3 ? 8191 : -8191) * sign;
  for (int i = 0; i < N * K; i++) w[i] = i % K % 3 ? 127 : -127;
  float *xscale = floats(rows, 0, 1), *wscale = floats(N, 0, 1), *bias = floats(N, 0, 1);
  int32_t *ids = buffer(N, sizeof(int32_t), 0);
  for (int c = 0; c < N; c++) ids[c] = c;
  float *out = buffer(rows * N, sizeof(float), 0), *want = buffer(rows * N, sizeof(float), 0);
  gemm_i8(q, xscale, rows, K, w, ids, N, wscale, bias, out);
  gemm_i8_reference(q, xscale, rows, K, w, ids, N, wscale, bias, want);
  expect_same("gemm_i8 at the overflow bound", out, want, rows * N * sizeof(float), K, N, rows);
  free(q), free(w), free(xscale), free(wscale), free(bias), free(ids), free(out), free(want);
}

static void softmax_at(int rows, int count) {
  float *x = floats(rows * count, SLACK, 5);
  softmax_rows(x, rows, count);
  free(x);
}

static void lstm_at(int rows, int H, int with_extra) {
  float *z = floats(rows * 4 * H, SLACK, 3), *extra = with_extra ? floats(rows * 4 * H, SLACK, 3) : NULL;
  float *c = floats(rows * H, SLACK, 1), *h = buffer(rows * H, sizeof(float), 0);
  lstm_cells(z, extra, c, rows, H, h);
  float *x = floats(rows * H, SLACK, 4);
  tanh_in_place(x, rows * H);
  free(z), free(extra), free(c), free(h), free(x);
}

static void attend_at(int S, int H, int R) {
  const int B = 3, groups = 3, rows = R * groups;
  const int32_t lengths[] = {S, 1, (S + 1) / 2}, sentences[] = {2, 0, 1};
  int32_t *l = buffer(B, sizeof(int32_t), 0), *g = buffer(groups, sizeof(int32_t), 0);
  memcpy(l, lengths, sizeof lengths), memcpy(g, sentences, sizeof sentences);
  float *s = floats(rows * H, SLACK, 1), *keys = floats(B * S * H, SLACK, 1), *values = floats(B * S * H, SLACK, 1);
  float *weights = buffer(rows * S, sizeof(float), 0), *contexts = buffer(rows * H, sizeof(float), 0);
  attend(s, rows, R, H, g, l, S, keys, values, weights, contexts);
  free(l), free(g), free(s), free(keys), free(values), free(weights), free(contexts);
}

// Weights from a float32 part and a part of uint8 codes, stacked, and the codes dequantized.
static void weights_at(int K1, int K2, int N) {
  const int padded = (K1 + K2 + 15) / 16 * 16;
  float *part = floats(K1 * N, 0, 0.5f), *largest = buffer(N, sizeof(float), 0);
  float *inverses = buffer(N, sizeof(float), 0), *decoded_codes = buffer(K2 * N, sizeof(float), 0);
  uint8_t *codes = buffer(K2 * N, 1, 0);
  for (int i = 0; i < K2 * N; i++) codes[i] = (uint8_t)(i * 37);
  int8_t *w = buffer(N * padded, 1, 0);
  units_largest(part, 0, 0, 0, K1, N, largest);
  units_largest(codes, 1, 0.0123, -1.5, K2, N, largest);
  units_scales(largest, inverses, N);
  units_quantize(part, 0, 0, 0, K1, N, 0, padded, w, inverses);
  units_quantize(codes, 1, 0.0123, -1.5, K2, N, K1, padded, w, inverses);
  dequantize_u8(codes, K2 * N, 0.0123, -1.5, decoded_codes);
  free(part), free(largest), free(inverses), free(decoded_codes), free(codes), free(w);
}

int main(void) {
  const int Ks[] = {1, 15, 16, 17, 2048}, units[] = {1, 15, 16, 17}, rows[] = {1, 2, 3, 4, 5, 8};
  for (int a = 0; a < 5; a++)
    for (int b = 0; b < 4; b++)
      for (int r = 0; r < 6; r++) {
        products_at(Ks[a], units[b], rows[r], units[b], 0.3f, 2);
        products_at(Ks[a], units[b], rows[r], 1, 0.3f, 2);
      }
  for (int r = 0; r < 6; r++) overflow_bound(17, rows[r], 1), overflow_bound(1, rows[r], -1);
  for (int r = 1; r <= 3; r++)
    for (int n = 1; n <= 17; n++) softmax_at(r, n), lstm_at(r, n, 0), lstm_at(r, n, 1);
  for (int S = 1; S <= 5; S++)
    for (int H = 1; H <= 9; H++) attend_at(S, H, 1), attend_at(S, H, 2);
  for (int k = 1; k <= 17; k += 8)
    for (int b = 0; b < 4; b++) weights_at(k, 18 - k, units[b]);
  if (failures) return fprintf(stderr, "%d of %d comparisons differ\n", failures, checks), 1;
  printf("gemm-bounds: %d comparisons equal to the reference; every kernel within its buffers\n", checks);
  return 0;
}
