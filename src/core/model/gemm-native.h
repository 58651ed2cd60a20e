// What gemm.c takes from wasm_simd128.h and clang's wasm builtins, in portable C with WebAssembly's semantics, so
// the same kernels build natively (test/unit/gemm-bounds.c runs them under ASan and UBSan). A vector is loaded and
// stored with memcpy of its 16 bytes, so the sanitizers see every byte a wasm v128.load or v128.store touches.

#include <stdint.h>
#include <string.h>

#define EXPORT

typedef union {
  float f32[4];
  int32_t i32[4];
  uint32_t u32[4];
  int16_t i16[8];
  int8_t i8[16];
} v128_t;

// ---------------------------------------------------------------------------------------------------------------
// Scalars

// f32.max: NaN when either is, +0 above -0.
static inline float max_f32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return __builtin_signbit(a) ? b : a;
  return a > b ? a : b;
}

static inline float min_f32(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return __builtin_signbit(a) ? a : b;
  return a < b ? a : b;
}

static inline float nearest_f32(float x) { return __builtin_rintf(x); } // ties to even in the default rounding mode

// i32.trunc_sat_f32_s: NaN -> 0, out of range -> the nearest int32.
static inline int32_t trunc_sat_f32(float x) {
  if (x != x) return 0;
  if (x >= 2147483648.0f) return INT32_MAX;
  if (x < -2147483648.0f) return INT32_MIN;
  return (int32_t)x;
}

static inline int16_t saturate_i16(int32_t x) { return x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : x; }

// ---------------------------------------------------------------------------------------------------------------
// Vectors

static inline v128_t wasm_v128_load(const void *p) {
  v128_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void wasm_v128_store(void *p, v128_t v) { memcpy(p, &v, sizeof v); }

// The vector whose n lanes of `field` are `expression` for l = 0..n-1.
#define LANEWISE(field, n, expression)                  \
  v128_t v;                                             \
  for (int l = 0; l < (n); l++) v.field[l] = (expression); \
  return v

static inline v128_t wasm_v128_and(v128_t a, v128_t b) { LANEWISE(u32, 4, a.u32[l] & b.u32[l]); }
static inline v128_t wasm_v128_bitselect(v128_t a, v128_t b, v128_t mask) {
  LANEWISE(u32, 4, (a.u32[l] & mask.u32[l]) | (b.u32[l] & ~mask.u32[l]));
}

static inline v128_t wasm_f32x4_splat(float x) { LANEWISE(f32, 4, x); }
static inline v128_t wasm_f32x4_add(v128_t a, v128_t b) { LANEWISE(f32, 4, a.f32[l] + b.f32[l]); }
static inline v128_t wasm_f32x4_sub(v128_t a, v128_t b) { LANEWISE(f32, 4, a.f32[l] - b.f32[l]); }
static inline v128_t wasm_f32x4_mul(v128_t a, v128_t b) { LANEWISE(f32, 4, a.f32[l] * b.f32[l]); }
static inline v128_t wasm_f32x4_div(v128_t a, v128_t b) { LANEWISE(f32, 4, a.f32[l] / b.f32[l]); }
static inline v128_t wasm_f32x4_neg(v128_t a) { LANEWISE(f32, 4, -a.f32[l]); }
static inline v128_t wasm_f32x4_abs(v128_t a) { LANEWISE(f32, 4, __builtin_fabsf(a.f32[l])); }
static inline v128_t wasm_f32x4_max(v128_t a, v128_t b) { LANEWISE(f32, 4, max_f32(a.f32[l], b.f32[l])); }
static inline v128_t wasm_f32x4_min(v128_t a, v128_t b) { LANEWISE(f32, 4, min_f32(a.f32[l], b.f32[l])); }
static inline v128_t wasm_f32x4_nearest(v128_t a) { LANEWISE(f32, 4, nearest_f32(a.f32[l])); }
static inline float wasm_f32x4_extract_lane(v128_t a, int l) { return a.f32[l]; }

static inline v128_t wasm_i32x4_splat(int32_t x) { LANEWISE(i32, 4, x); }
static inline v128_t wasm_i32x4_make(int32_t a, int32_t b, int32_t c, int32_t d) {
  return (v128_t){.i32 = {a, b, c, d}};
}
static inline v128_t wasm_i32x4_add(v128_t a, v128_t b) { LANEWISE(u32, 4, a.u32[l] + b.u32[l]); } // wraps
static inline v128_t wasm_i32x4_shl(v128_t a, int n) { LANEWISE(u32, 4, a.u32[l] << (n & 31)); }
static inline v128_t wasm_i32x4_gt(v128_t a, v128_t b) { LANEWISE(i32, 4, a.i32[l] > b.i32[l] ? -1 : 0); }
static inline v128_t wasm_i32x4_trunc_sat_f32x4(v128_t a) { LANEWISE(i32, 4, trunc_sat_f32(a.f32[l])); }
static inline int32_t wasm_i32x4_extract_lane(v128_t a, int l) { return a.i32[l]; }

// Lane l: a[2l] b[2l] + a[2l + 1] b[2l + 1], wrapping in int32 as i32x4.dot_i16x8_s does.
static inline v128_t wasm_i32x4_dot_i16x8(v128_t a, v128_t b) {
  LANEWISE(u32, 4, (uint32_t)(a.i16[2 * l] * b.i16[2 * l]) + (uint32_t)(a.i16[2 * l + 1] * b.i16[2 * l + 1]));
}

static inline v128_t wasm_i16x8_extend_low_i8x16(v128_t a) { LANEWISE(i16, 8, a.i8[l]); }
static inline v128_t wasm_i16x8_extend_high_i8x16(v128_t a) { LANEWISE(i16, 8, a.i8[8 + l]); }
static inline v128_t wasm_i16x8_narrow_i32x4(v128_t a, v128_t b) {
  LANEWISE(i16, 8, saturate_i16(l < 4 ? a.i32[l] : b.i32[l - 4]));
}
