;; Matrix products for the decoder step (./gemm.ts holds the JS side and says why they are not tfjs kernels).
;; Assembled into gemm.wasm by `npm run build:gemm` (train/build-gemm.ts); test/unit/gemm.test.ts checks that the two agree.
;;
;; Both take a weight matrix stored unit by unit (row j holds output unit j's K weights, K a multiple of 16) and
;; compute, for `rows` input rows and the units `ids[0..count)`:
;;   out[r * count + c] = bias[id] + x[r] . w[id]                 (id = ids[c])
;; Units go in blocks of 16 and every row meets a block before the next block: the block's weights (16 K bytes)
;; and a row stay in the L1 cache, so a batch reads each weight from memory once.

(module
  (memory (export "memory") 1)

  ;; float32 weights and inputs: out[r, c] = bias[id] + sum_k x[r, k] w[id, k]. Four rows at a time where they can
  ;; (one load of the weights serves four rows), the rows left one at a time. Both sum in the same order (lanes of
  ;; k mod 8 < 4 in one accumulator, the others in a second), so a row's result does not depend on the batch.
  (func (export "gemm_f32") (param $x i32) (param $rows i32) (param $K i32) (param $w i32) (param $ids i32)
    (param $count i32) (param $bias i32) (param $out i32)
    (local $block i32) (local $end i32) (local $r i32) (local $c i32) (local $id i32) (local $stride i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $wp i32) (local $stop i32)
    (local $v v128) (local $u v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $stride (i32.shl (local.get $K) (i32.const 2)))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_u (local.get $block) (local.get $count)))
      (local.set $end (select (i32.add (local.get $block) (i32.const 16)) (local.get $count)
        (i32.lt_u (i32.add (local.get $block) (i32.const 16)) (local.get $count))))
      (local.set $r (i32.const 0))
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $c (local.get $block))
        (block $units_done (loop $units
          (br_if $units_done (i32.ge_u (local.get $c) (local.get $end)))
          (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
          (local.set $x1 (i32.add (local.get $x0) (local.get $stride)))
          (local.set $x2 (i32.add (local.get $x1) (local.get $stride)))
          (local.set $x3 (i32.add (local.get $x2) (local.get $stride)))
          (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $id) (local.get $stride))))
          (local.set $stop (i32.add (local.get $wp) (local.get $stride)))
          (local.set $a0 (v128.const f32x4 0 0 0 0)) (local.set $a1 (v128.const f32x4 0 0 0 0))
          (local.set $a2 (v128.const f32x4 0 0 0 0)) (local.set $a3 (v128.const f32x4 0 0 0 0))
          (local.set $b0 (v128.const f32x4 0 0 0 0)) (local.set $b1 (v128.const f32x4 0 0 0 0))
          (local.set $b2 (v128.const f32x4 0 0 0 0)) (local.set $b3 (v128.const f32x4 0 0 0 0))
          (block $k_done (loop $k
            (br_if $k_done (i32.ge_u (local.get $wp) (local.get $stop)))
            (local.set $v (v128.load offset=0 (local.get $wp)))
            (local.set $u (v128.load offset=16 (local.get $wp)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load offset=0 (local.get $x0)))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $u) (v128.load offset=16 (local.get $x0)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=0 (local.get $x1)))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $u) (v128.load offset=16 (local.get $x1)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=0 (local.get $x2)))))
            (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $u) (v128.load offset=16 (local.get $x2)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=0 (local.get $x3)))))
            (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $u) (v128.load offset=16 (local.get $x3)))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 32)))
            (local.set $x0 (i32.add (local.get $x0) (i32.const 32))) (local.set $x1 (i32.add (local.get $x1) (i32.const 32)))
            (local.set $x2 (i32.add (local.get $x2) (i32.const 32))) (local.set $x3 (i32.add (local.get $x3) (i32.const 32)))
            (br $k)))
          (call $emit_f32 (local.get $out) (local.get $bias) (local.get $count) (local.get $r) (local.get $c) (local.get $id) (f32x4.add (local.get $a0) (local.get $b0)))
          (call $emit_f32 (local.get $out) (local.get $bias) (local.get $count) (i32.add (local.get $r) (i32.const 1)) (local.get $c) (local.get $id) (f32x4.add (local.get $a1) (local.get $b1)))
          (call $emit_f32 (local.get $out) (local.get $bias) (local.get $count) (i32.add (local.get $r) (i32.const 2)) (local.get $c) (local.get $id) (f32x4.add (local.get $a2) (local.get $b2)))
          (call $emit_f32 (local.get $out) (local.get $bias) (local.get $count) (i32.add (local.get $r) (i32.const 3)) (local.get $c) (local.get $id) (f32x4.add (local.get $a3) (local.get $b3)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $units)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
      (block $rows_done (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (local.get $block))
        (block $units_done (loop $units
          (br_if $units_done (i32.ge_u (local.get $c) (local.get $end)))
          (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
          (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $id) (local.get $stride))))
          (local.set $stop (i32.add (local.get $wp) (local.get $stride)))
          (local.set $a0 (v128.const f32x4 0 0 0 0)) (local.set $b0 (v128.const f32x4 0 0 0 0))
          (block $k_done (loop $k
            (br_if $k_done (i32.ge_u (local.get $wp) (local.get $stop)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load offset=0 (local.get $wp)) (v128.load offset=0 (local.get $x0)))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load offset=16 (local.get $wp)) (v128.load offset=16 (local.get $x0)))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 32)))
            (local.set $x0 (i32.add (local.get $x0) (i32.const 32)))
            (br $k)))
          (call $emit_f32 (local.get $out) (local.get $bias) (local.get $count) (local.get $r) (local.get $c) (local.get $id) (f32x4.add (local.get $a0) (local.get $b0)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $units)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row)))
      (local.set $block (local.get $end))
      (br $blocks)))
  )

  ;; out[r, c] = bias[id] + (the lanes of acc summed)
  (func $emit_f32 (param $out i32) (param $bias i32) (param $count i32) (param $r i32) (param $c i32) (param $id i32) (param $acc v128)
    (f32.store
      (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $count)) (local.get $c)) (i32.const 2)))
      (f32.add (f32.load (i32.add (local.get $bias) (i32.shl (local.get $id) (i32.const 2))))
        (f32.add (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
          (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))))

;; Rows of float32 inputs [rows, K] -> int16 [rows, K] with a scale per row: x = q * scale, |q| <= 8191
  ;; (so that 127 x 8191 x K stays below 2^31 for K up to 2048), rounded to nearest.
  (func (export "quantize_rows") (param $x i32) (param $rows i32) (param $K i32) (param $q i32) (param $scales i32)
    (local $r i32) (local $p i32) (local $stop i32) (local $o i32) (local $m v128) (local $largest f32) (local $inverse v128)
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $p (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $K)) (i32.const 2))))
      (local.set $stop (i32.add (local.get $p) (i32.shl (local.get $K) (i32.const 2))))
      (local.set $m (v128.const f32x4 0 0 0 0))
      (block $max_done (loop $max
        (br_if $max_done (i32.ge_u (local.get $p) (local.get $stop)))
        (local.set $m (f32x4.max (local.get $m) (f32x4.abs (v128.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $max)))
      (local.set $largest (f32.max (f32.max (f32x4.extract_lane 0 (local.get $m)) (f32x4.extract_lane 1 (local.get $m)))
        (f32.max (f32x4.extract_lane 2 (local.get $m)) (f32x4.extract_lane 3 (local.get $m)))))
      (f32.store (i32.add (local.get $scales) (i32.shl (local.get $r) (i32.const 2))) (f32.div (local.get $largest) (f32.const 8191)))
      (local.set $inverse (f32x4.splat (select (f32.div (f32.const 8191) (local.get $largest)) (f32.const 0) (f32.gt (local.get $largest) (f32.const 0)))))
      (local.set $p (i32.sub (local.get $p) (i32.shl (local.get $K) (i32.const 2))))
      (local.set $o (i32.add (local.get $q) (i32.shl (i32.mul (local.get $r) (local.get $K)) (i32.const 1))))
      (block $q_done (loop $quantize
        (br_if $q_done (i32.ge_u (local.get $p) (local.get $stop)))
        (v128.store (local.get $o) (i16x8.narrow_i32x4_s
          (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (v128.load offset=0 (local.get $p)) (local.get $inverse))))
          (i32x4.trunc_sat_f32x4_s (f32x4.nearest (f32x4.mul (v128.load offset=16 (local.get $p)) (local.get $inverse))))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quantize)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row)))
  )

    ;; int8 weights, int16 inputs, each with a scale: out[r, c] = bias[id] + xscale[r] wscale[id] sum_k x[r, k] w[id, k].
  ;; The sum is exact in int32 (|x| <= 8191, |w| <= 127: K up to 2048), so a row's result does not depend on the batch.
  ;; Rows go four at a time where they can: one load and widening of the weights serves four rows' dot products.
  (func (export "gemm_i8") (param $x i32) (param $xscale i32) (param $rows i32) (param $K i32) (param $w i32)
    (param $ids i32) (param $count i32) (param $wscale i32) (param $bias i32) (param $out i32)
    (local $block i32) (local $end i32) (local $r i32) (local $c i32) (local $id i32) (local $stride i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $wp i32) (local $stop i32)
    (local $lo v128) (local $hi v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $stride (i32.shl (local.get $K) (i32.const 1)))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_u (local.get $block) (local.get $count)))
      (local.set $end (select (i32.add (local.get $block) (i32.const 16)) (local.get $count)
        (i32.lt_u (i32.add (local.get $block) (i32.const 16)) (local.get $count))))
      (local.set $r (i32.const 0))
      ;; four rows at a time
      (block $quads_done (loop $quads
        (br_if $quads_done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
        (local.set $c (local.get $block))
        (block $units_done (loop $units
          (br_if $units_done (i32.ge_u (local.get $c) (local.get $end)))
          (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
          (local.set $x1 (i32.add (local.get $x0) (local.get $stride)))
          (local.set $x2 (i32.add (local.get $x1) (local.get $stride)))
          (local.set $x3 (i32.add (local.get $x2) (local.get $stride)))
          (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $id) (local.get $K))))
          (local.set $stop (i32.add (local.get $wp) (local.get $K)))
          (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0)) (local.set $a3 (v128.const i32x4 0 0 0 0))
          (block $k_done (loop $k
            (br_if $k_done (i32.ge_u (local.get $wp) (local.get $stop)))
            (local.set $hi (v128.load (local.get $wp)))
            (local.set $lo (i16x8.extend_low_i8x16_s (local.get $hi)))
            (local.set $hi (i16x8.extend_high_i8x16_s (local.get $hi)))
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $lo) (v128.load offset=0 (local.get $x0))) (i32x4.dot_i16x8_s (local.get $hi) (v128.load offset=16 (local.get $x0))))))
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $lo) (v128.load offset=0 (local.get $x1))) (i32x4.dot_i16x8_s (local.get $hi) (v128.load offset=16 (local.get $x1))))))
            (local.set $a2 (i32x4.add (local.get $a2) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $lo) (v128.load offset=0 (local.get $x2))) (i32x4.dot_i16x8_s (local.get $hi) (v128.load offset=16 (local.get $x2))))))
            (local.set $a3 (i32x4.add (local.get $a3) (i32x4.add
              (i32x4.dot_i16x8_s (local.get $lo) (v128.load offset=0 (local.get $x3))) (i32x4.dot_i16x8_s (local.get $hi) (v128.load offset=16 (local.get $x3))))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
            (local.set $x0 (i32.add (local.get $x0) (i32.const 32))) (local.set $x1 (i32.add (local.get $x1) (i32.const 32)))
            (local.set $x2 (i32.add (local.get $x2) (i32.const 32))) (local.set $x3 (i32.add (local.get $x3) (i32.const 32)))
            (br $k)))
          (call $emit_i8 (local.get $out) (local.get $xscale) (local.get $wscale) (local.get $bias) (local.get $count) (local.get $r) (local.get $c) (local.get $id) (local.get $a0))
          (call $emit_i8 (local.get $out) (local.get $xscale) (local.get $wscale) (local.get $bias) (local.get $count) (i32.add (local.get $r) (i32.const 1)) (local.get $c) (local.get $id) (local.get $a1))
          (call $emit_i8 (local.get $out) (local.get $xscale) (local.get $wscale) (local.get $bias) (local.get $count) (i32.add (local.get $r) (i32.const 2)) (local.get $c) (local.get $id) (local.get $a2))
          (call $emit_i8 (local.get $out) (local.get $xscale) (local.get $wscale) (local.get $bias) (local.get $count) (i32.add (local.get $r) (i32.const 3)) (local.get $c) (local.get $id) (local.get $a3))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $units)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $quads)))
      ;; the rows left, one at a time
      (block $rows_done (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $c (local.get $block))
        (block $units_done (loop $units
          (br_if $units_done (i32.ge_u (local.get $c) (local.get $end)))
          (local.set $id (i32.load (i32.add (local.get $ids) (i32.shl (local.get $c) (i32.const 2)))))
          (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $stride))))
          (local.set $wp (i32.add (local.get $w) (i32.mul (local.get $id) (local.get $K))))
          (local.set $stop (i32.add (local.get $wp) (local.get $K)))
          (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (v128.const i32x4 0 0 0 0))
          (block $k_done (loop $k
            (br_if $k_done (i32.ge_u (local.get $wp) (local.get $stop)))
            (local.set $hi (v128.load (local.get $wp)))
            (local.set $a0 (i32x4.add (local.get $a0) (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $hi)) (v128.load offset=0 (local.get $x0)))))
            (local.set $a1 (i32x4.add (local.get $a1) (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $hi)) (v128.load offset=16 (local.get $x0)))))
            (local.set $wp (i32.add (local.get $wp) (i32.const 16)))
            (local.set $x0 (i32.add (local.get $x0) (i32.const 32)))
            (br $k)))
          (call $emit_i8 (local.get $out) (local.get $xscale) (local.get $wscale) (local.get $bias) (local.get $count) (local.get $r) (local.get $c) (local.get $id) (i32x4.add (local.get $a0) (local.get $a1)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br $units)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row)))
      (local.set $block (local.get $end))
      (br $blocks)))
  )

  ;; out[r, c] = bias[id] + xscale[r] wscale[id] (the lanes of acc summed)
  (func $emit_i8 (param $out i32) (param $xscale i32) (param $wscale i32) (param $bias i32) (param $count i32)
    (param $r i32) (param $c i32) (param $id i32) (param $acc v128)
    (f32.store
      (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $count)) (local.get $c)) (i32.const 2)))
      (f32.add (f32.load (i32.add (local.get $bias) (i32.shl (local.get $id) (i32.const 2))))
        (f32.mul
          (f32.mul (f32.load (i32.add (local.get $xscale) (i32.shl (local.get $r) (i32.const 2))))
            (f32.load (i32.add (local.get $wscale) (i32.shl (local.get $id) (i32.const 2)))))
          (f32.convert_i32_s (i32.add
            (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))))))
)
