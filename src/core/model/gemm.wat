;; The model's math at inference but for the encoder's two products over every position: matrix products, LSTM
;; cells, attention and softmax (./gemm.ts holds the JS side and says why they are not tfjs kernels).
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

;; Softmax of each row of x [rows, count] in place. exp is Cephes's expf (relative error ~1e-7), four lanes at a
  ;; time: Math.exp one at a time was most of a beam batch's step.
  (func (export "softmax_rows") (param $x i32) (param $rows i32) (param $count i32)
    (local $r i32) (local $c i32) (local $p i32) (local $v v128) (local $max v128) (local $sum v128) (local $top f32) (local $inverse v128)
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $p (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $count)) (i32.const 2))))
      ;; the largest logit
      (local.set $max (v128.const f32x4 -inf -inf -inf -inf))
      (local.set $c (i32.const 0))
      (block $max_done (loop $max_loop
        (br_if $max_done (i32.ge_u (local.get $c) (local.get $count)))
        (local.set $max (f32x4.max (local.get $max) (v128.bitselect (call $at (local.get $p) (local.get $c))
          (v128.const f32x4 -inf -inf -inf -inf) (call $lanes (i32.sub (local.get $count) (local.get $c))))))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $max_loop)))
      (local.set $top (f32.max (f32.max (f32x4.extract_lane 0 (local.get $max)) (f32x4.extract_lane 1 (local.get $max)))
        (f32.max (f32x4.extract_lane 2 (local.get $max)) (f32x4.extract_lane 3 (local.get $max)))))
      ;; exp(x - top) and their sum
      (local.set $max (f32x4.splat (local.get $top)))
      (local.set $sum (v128.const f32x4 0 0 0 0))
      (local.set $c (i32.const 0))
      (block $exp_done (loop $exp_loop
        (br_if $exp_done (i32.ge_u (local.get $c) (local.get $count)))
        (local.set $v (v128.and (call $exp (f32x4.sub (call $at (local.get $p) (local.get $c)) (local.get $max)))
          (call $lanes (i32.sub (local.get $count) (local.get $c)))))
        (call $store (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2))) (local.get $v) (i32.sub (local.get $count) (local.get $c)))
        (local.set $sum (f32x4.add (local.get $sum) (local.get $v)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $exp_loop)))
      ;; normalized
      (local.set $inverse (f32x4.splat (f32.div (f32.const 1) (call $sum (local.get $sum)))))
      (local.set $c (i32.const 0))
      (block $norm_done (loop $norm
        (br_if $norm_done (i32.ge_u (local.get $c) (local.get $count)))
        (call $store (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))
          (f32x4.mul (call $at (local.get $p) (local.get $c)) (local.get $inverse)) (i32.sub (local.get $count) (local.get $c)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $norm)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row)))
  )

  ;; The four floats at p + 4c.
  (func $at (param $p i32) (param $c i32) (result v128)
    (v128.load (i32.add (local.get $p) (i32.shl (local.get $c) (i32.const 2)))))

;; uint8 codes [n] -> float32 out [n]: code * scale + min, computed in float64 and rounded once, as tfjs decodes
  ;; its uint8-quantized weights (so a weight has the same value whichever loader read it).
  (func (export "dequantize_u8") (param $codes i32) (param $n i32) (param $scale f64) (param $min f64) (param $out i32)
    (local $i i32)
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (f32.demote_f64 (f64.add (f64.mul (f64.convert_i32_u (i32.load8_u (i32.add (local.get $codes) (local.get $i)))) (local.get $scale)) (local.get $min))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each)))
  )

  ;; int8 weights [N, padded] unit by unit with a scale per unit, w = q * scale, |q| <= 127, scale = max_k |w[k, j]|
  ;; / 127, from Keras kernels [K, N] stacked on K: for each part, units_largest; then units_scales; then, for each
  ;; part, units_quantize (its rows from k0). A part is float32 (u8 = 0) or uint8 codes, w = code * scale + min
  ;; (tfjs's quantization, computed as dequantize_u8 does), read where it is: no float32 copy of the matrix.
  (func (export "units_largest") (param $p i32) (param $u8 i32) (param $scale f64) (param $min f64) (param $K i32) (param $N i32) (param $largest i32)
    (local $k i32) (local $j i32) (local $at i32)
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $j (i32.const 0))
      (block $units_done (loop $units
        (br_if $units_done (i32.ge_u (local.get $j) (local.get $N)))
        (local.set $at (i32.add (local.get $largest) (i32.shl (local.get $j) (i32.const 2))))
        (f32.store (local.get $at) (f32.max (f32.load (local.get $at)) (f32.abs
          (call $weight (local.get $p) (i32.add (i32.mul (local.get $k) (local.get $N)) (local.get $j)) (local.get $u8) (local.get $scale) (local.get $min)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $units)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rows)))
  )

  ;; scales[j] = largest[j] / 127 in place, and inverses[j] = 1 / scales[j] (0 for a unit of zeros).
  (func (export "units_scales") (param $scales i32) (param $inverses i32) (param $N i32)
    (local $at i32) (local $s f32)
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $at) (i32.shl (local.get $N) (i32.const 2))))
      (local.set $s (f32.div (f32.load (i32.add (local.get $scales) (local.get $at))) (f32.const 127)))
      (f32.store (i32.add (local.get $scales) (local.get $at)) (local.get $s))
      (f32.store (i32.add (local.get $inverses) (local.get $at)) (select (f32.div (f32.const 1) (local.get $s)) (f32.const 0) (f32.gt (local.get $s) (f32.const 0))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $each)))
  )

  (func (export "units_quantize") (param $p i32) (param $u8 i32) (param $scale f64) (param $min f64) (param $K i32) (param $N i32)
    (param $k0 i32) (param $padded i32) (param $weights i32) (param $inverses i32)
    (local $k i32) (local $j i32)
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $k) (local.get $K)))
      (local.set $j (i32.const 0))
      (block $units_done (loop $units
        (br_if $units_done (i32.ge_u (local.get $j) (local.get $N)))
        (i32.store8 (i32.add (i32.add (local.get $weights) (i32.mul (local.get $j) (local.get $padded))) (i32.add (local.get $k0) (local.get $k)))
          (i32.trunc_sat_f32_s (f32.nearest (f32.mul
            (call $weight (local.get $p) (i32.add (i32.mul (local.get $k) (local.get $N)) (local.get $j)) (local.get $u8) (local.get $scale) (local.get $min))
            (f32.load (i32.add (local.get $inverses) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $units)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $rows)))
  )

  ;; Weight i of a part: float32 at p + 4i, or (u8) code p[i] * scale + min in float64, rounded once.
  (func $weight (param $p i32) (param $i i32) (param $u8 i32) (param $scale f64) (param $min f64) (result f32)
    (if (result f32) (local.get $u8)
      (then (f32.demote_f64 (f64.add (f64.mul (f64.convert_i32_u (i32.load8_u (i32.add (local.get $p) (local.get $i)))) (local.get $scale)) (local.get $min))))
      (else (f32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))))

  ;; Keras LSTM cells (recurrent activation sigmoid) for rows of pre-activations z [rows, 4H], gates [i, f, g, o],
  ;; plus add [rows, 4H] when add != 0 (the encoder's input projection): c [rows, H] is updated in place and h
  ;; [rows, H] written. Four units at a time; past a row's last unit a vector reads into what follows (z, add and
  ;; c need 12 bytes after them) and only the units there are stored.
  (func (export "lstm_cells") (param $z i32) (param $add i32) (param $c i32) (param $rows i32) (param $H i32) (param $h i32)
    (local $r i32) (local $j i32) (local $gate i32) (local $zp i32) (local $ap i32) (local $cp i32) (local $left i32)
    (local $i v128) (local $f v128) (local $g v128) (local $o v128) (local $cell v128)
    (local.set $gate (i32.shl (local.get $H) (i32.const 2))) ;; bytes from one gate's unit j to the next gate's
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $units_done (loop $units
        (br_if $units_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $zp (i32.shl (i32.add (i32.mul (local.get $r) (i32.shl (local.get $H) (i32.const 2))) (local.get $j)) (i32.const 2)))
        (local.set $ap (i32.add (local.get $add) (local.get $zp)))
        (local.set $zp (i32.add (local.get $z) (local.get $zp)))
        (local.set $i (v128.load (local.get $zp)))
        (local.set $f (v128.load (i32.add (local.get $zp) (local.get $gate))))
        (local.set $g (v128.load (i32.add (local.get $zp) (i32.shl (local.get $gate) (i32.const 1)))))
        (local.set $o (v128.load (i32.add (local.get $zp) (i32.mul (local.get $gate) (i32.const 3)))))
        (if (local.get $add) (then
          (local.set $i (f32x4.add (local.get $i) (v128.load (local.get $ap))))
          (local.set $f (f32x4.add (local.get $f) (v128.load (i32.add (local.get $ap) (local.get $gate)))))
          (local.set $g (f32x4.add (local.get $g) (v128.load (i32.add (local.get $ap) (i32.shl (local.get $gate) (i32.const 1))))))
          (local.set $o (f32x4.add (local.get $o) (v128.load (i32.add (local.get $ap) (i32.mul (local.get $gate) (i32.const 3))))))))
        (local.set $cp (i32.shl (i32.add (i32.mul (local.get $r) (local.get $H)) (local.get $j)) (i32.const 2)))
        (local.set $left (i32.sub (local.get $H) (local.get $j)))
        (local.set $cell (f32x4.add (f32x4.mul (call $sigmoid (local.get $f)) (v128.load (i32.add (local.get $c) (local.get $cp))))
          (f32x4.mul (call $sigmoid (local.get $i)) (call $tanh (local.get $g)))))
        (call $store (i32.add (local.get $c) (local.get $cp)) (local.get $cell) (local.get $left))
        (call $store (i32.add (local.get $h) (local.get $cp)) (f32x4.mul (call $sigmoid (local.get $o)) (call $tanh (local.get $cell))) (local.get $left))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $units)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row)))
  )

  ;; tanh of x [n] in place (the attention layer's output).
  (func (export "tanh_in_place") (param $x i32) (param $n i32)
    (local $i i32)
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (call $store (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))
        (call $tanh (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))) (i32.sub (local.get $n) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $each)))
  )

  ;; Luong attention for rows of decoder outputs s [rows, H] in groups of R, group g reading sentence sentences[g] of
  ;; a memory: keys and values [B, S, H], lengths [B] (int32). weights [rows, S]: the softmax over the sentence's
  ;; tokens of s . key_t (0 past its end); contexts [rows, H] = sum_t weight_t value_t. Each row's dot products sum
  ;; in the same order whatever the batch. Vectors reading past a row of H are masked (s, keys and values need 12
  ;; bytes after them).
  (func (export "attend") (param $s i32) (param $rows i32) (param $R i32) (param $H i32) (param $sentences i32)
    (param $lengths i32) (param $S i32) (param $keys i32) (param $values i32) (param $weights i32) (param $contexts i32)
    (local $r i32) (local $row i32) (local $base i32) (local $length i32) (local $t i32) (local $j i32) (local $sp i32)
    (local $wp i32) (local $kp i32) (local $acc v128) (local $top f32) (local $total f32) (local $e f32)
    (local.set $row (i32.shl (local.get $H) (i32.const 2)))
    (block $rows_done (loop $each_row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $base (i32.load (i32.add (local.get $sentences) (i32.shl (i32.div_u (local.get $r) (local.get $R)) (i32.const 2)))))
      (local.set $length (i32.load (i32.add (local.get $lengths) (i32.shl (local.get $base) (i32.const 2)))))
      (local.set $base (i32.mul (i32.mul (local.get $base) (local.get $S)) (local.get $row))) ;; bytes to the sentence's first token
      (local.set $sp (i32.add (local.get $s) (i32.mul (local.get $r) (local.get $row))))
      (local.set $wp (i32.add (local.get $weights) (i32.shl (i32.mul (local.get $r) (local.get $S)) (i32.const 2))))
      ;; scores, and the largest
      (local.set $top (f32.const -inf))
      (local.set $t (i32.const 0))
      (block $scores_done (loop $scores
        (br_if $scores_done (i32.ge_u (local.get $t) (local.get $length)))
        (local.set $kp (i32.add (i32.add (local.get $keys) (local.get $base)) (i32.mul (local.get $t) (local.get $row))))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $dot_done (loop $dot
          (br_if $dot_done (i32.ge_u (local.get $j) (local.get $H)))
          (local.set $acc (f32x4.add (local.get $acc) (v128.and (call $lanes (i32.sub (local.get $H) (local.get $j)))
            (f32x4.mul (v128.load (i32.add (local.get $sp) (i32.shl (local.get $j) (i32.const 2))))
              (v128.load (i32.add (local.get $kp) (i32.shl (local.get $j) (i32.const 2))))))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $dot)))
        (local.set $e (call $sum (local.get $acc)))
        (f32.store (i32.add (local.get $wp) (i32.shl (local.get $t) (i32.const 2))) (local.get $e))
        (local.set $top (f32.max (local.get $top) (local.get $e)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $scores)))
      ;; softmax over the sentence's tokens, 0 after them
      (local.set $total (f32.const 0))
      (local.set $t (i32.const 0))
      (block $exp_done (loop $exps
        (br_if $exp_done (i32.ge_u (local.get $t) (local.get $length)))
        (local.set $e (f32x4.extract_lane 0 (call $exp (f32x4.splat
          (f32.sub (f32.load (i32.add (local.get $wp) (i32.shl (local.get $t) (i32.const 2)))) (local.get $top))))))
        (f32.store (i32.add (local.get $wp) (i32.shl (local.get $t) (i32.const 2))) (local.get $e))
        (local.set $total (f32.add (local.get $total) (local.get $e)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $exps)))
      (local.set $total (f32.div (f32.const 1) (local.get $total)))
      (local.set $t (i32.const 0))
      (block $norm_done (loop $norm
        (br_if $norm_done (i32.ge_u (local.get $t) (local.get $S)))
        (f32.store (i32.add (local.get $wp) (i32.shl (local.get $t) (i32.const 2)))
          (select (f32.mul (f32.load (i32.add (local.get $wp) (i32.shl (local.get $t) (i32.const 2)))) (local.get $total)) (f32.const 0)
            (i32.lt_u (local.get $t) (local.get $length))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $norm)))
      ;; the context: four units at a time, every token's value weighted
      (local.set $j (i32.const 0))
      (block $context_done (loop $context
        (br_if $context_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $kp (i32.add (i32.add (local.get $values) (local.get $base)) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $t (i32.const 0))
        (block $tokens_done (loop $tokens
          (br_if $tokens_done (i32.ge_u (local.get $t) (local.get $length)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $kp))
            (f32x4.splat (f32.load (i32.add (local.get $wp) (i32.shl (local.get $t) (i32.const 2))))))))
          (local.set $kp (i32.add (local.get $kp) (local.get $row)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tokens)))
        (call $store (i32.add (i32.add (local.get $contexts) (i32.mul (local.get $r) (local.get $row))) (i32.shl (local.get $j) (i32.const 2)))
          (local.get $acc) (i32.sub (local.get $H) (local.get $j)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $context)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $each_row)))
  )

  (func $sigmoid (param $x v128) (result v128)
    (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (v128.const f32x4 1 1 1 1) (call $exp (f32x4.neg (local.get $x))))))

  ;; tanh(x) = 2 sigmoid(2x) - 1
  (func $tanh (param $x v128) (result v128)
    (f32x4.sub (f32x4.mul (v128.const f32x4 2 2 2 2) (call $sigmoid (f32x4.add (local.get $x) (local.get $x)))) (v128.const f32x4 1 1 1 1)))

  ;; The lanes of v summed.
  (func $sum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; All ones in the first n lanes (every lane when n >= 4).
  (func $lanes (param $n i32) (result v128)
    (i32x4.gt_s (i32x4.splat (local.get $n)) (v128.const i32x4 0 1 2 3)))

  ;; Stores the first n lanes of v at p (all four when n >= 4).
  (func $store (param $p i32) (param $v v128) (param $n i32)
    (if (i32.ge_u (local.get $n) (i32.const 4)) (then (v128.store (local.get $p) (local.get $v)) (return)))
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_u (local.get $n) (i32.const 2)) (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_u (local.get $n) (i32.const 3)) (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; Cephes expf, four lanes: exp(x) = 2^n exp(g), n = round(x / ln 2), |g| <= ln 2 / 2, a degree-6 polynomial.
  (func $exp (param $x v128) (result v128)
    (local $n v128) (local $g v128) (local $p v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 88.3762626647949 88.3762626647949 88.3762626647949 88.3762626647949))
      (v128.const f32x4 -87.3365478515625 -87.3365478515625 -87.3365478515625 -87.3365478515625)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $g (f32x4.sub (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $g)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $g)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $g)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $g)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $g)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $g)) (local.get $g)) (local.get $g)) (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

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
