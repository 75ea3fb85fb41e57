;; The WebAssembly SIMD kernels of @mnist/tensor's `wasm-simd` backend, hand-written.
;;
;; Built by `scripts/build-wasm.mjs` (wabt from npm) into `src/backend/wasm/kernels.generated.ts`, once with a shared
;; memory (worker threads, cross-origin-isolated pages) and once with a plain one. All pointers and strides are byte
;; offsets into the imported memory; the JavaScript side (`src/backend/wasm/`) lays the operands out and checks sizes.
;;
;; gemm follows the GotoBLAS/BLIS structure: op(B) is packed, a KC × NC block at a time, into panels 8 columns wide,
;; and a 4 × 8 micro-kernel keeps the tile of C in eight f32x4 registers. op(A) is not packed: the micro-kernel reads
;; the four rows through a row stride and a depth stride, which covers A and Aᵀ alike (both stream through L1).
;; Where B is plain and its block of columns at least 32 wide, a tile of op(A) that is mostly zeros (a batch of MNIST
;; images) is computed from lists of its nonzeros instead, with the same result bit for bit (see "Zero skipping" below).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; The tuning of gemm, given at instantiation from src/backend/wasm/tuning.ts (the one place it is set, where each
  ;; entry says why): the depth of one packed block of B and its width in columns (a multiple of 8, at least 32), and
  ;; the zero-skipping thresholds (see "Zero skipping" below).
  (import "tuning" "KC" (global $KC i32))
  (import "tuning" "NC" (global $NC i32))
  (import "tuning" "ZERO_SKIP_MIN_COLUMNS" (global $ZERO_SKIP_MIN_COLUMNS i32))
  (import "tuning" "ZERO_SKIP_WIDE_COLUMNS" (global $ZERO_SKIP_WIDE_COLUMNS i32))
  (import "tuning" "ZERO_SKIP_MAX_PERCENT" (global $ZERO_SKIP_MAX_PERCENT i32))
  (import "tuning" "ZERO_SKIP_MAX_PERCENT_WIDE" (global $ZERO_SKIP_MAX_PERCENT_WIDE i32))
  (import "tuning" "ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED" (global $ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED i32))
  ;; Tiles of C computed by zero skipping (below) on this instance so far, for tests and benchmarks.
  (global $zeroSkippedTiles (mut i32) (i32.const 0))
  (export "ZERO_SKIPPED_TILES" (global $zeroSkippedTiles))

  ;; For each 4-bit mask of nonzero lanes (bit j: lane j), the i8x16.swizzle that moves those lanes, in order, to the
  ;; front of a vector: how a vector's nonzeros are appended to a list with no branch (see $rowList). Copied into a
  ;; gemm's scratch (memory.init) by each call that may skip zeros: a passive segment, since an active one would be
  ;; written again by every thread that instantiates the module over the shared memory.
  (data $compactLanes
    "\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03"
    "\04\05\06\07\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\04\05\06\07\00\01\02\03\00\01\02\03"
    "\08\09\0a\0b\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\08\09\0a\0b\00\01\02\03\00\01\02\03"
    "\04\05\06\07\08\09\0a\0b\00\01\02\03\00\01\02\03\00\01\02\03\04\05\06\07\08\09\0a\0b\00\01\02\03"
    "\0c\0d\0e\0f\00\01\02\03\00\01\02\03\00\01\02\03\00\01\02\03\0c\0d\0e\0f\00\01\02\03\00\01\02\03"
    "\04\05\06\07\0c\0d\0e\0f\00\01\02\03\00\01\02\03\00\01\02\03\04\05\06\07\0c\0d\0e\0f\00\01\02\03"
    "\08\09\0a\0b\0c\0d\0e\0f\00\01\02\03\00\01\02\03\00\01\02\03\08\09\0a\0b\0c\0d\0e\0f\00\01\02\03"
    "\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\00\01\02\03\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")

  ;; C[0:4, 0:8] = α·Σₚ A[r, p]·B[p, 0:8] (+ β·C when β ≠ 0), for kc ≥ 1 steps of depth.
  ;; pa: A[0, 0]; s1: bytes between rows of A; sp: bytes between depths of A; pb: B[0, 0:8]; sb: bytes between depths
  ;; of B (32 for a packed panel, the row stride for a plain B read in place).
  (func $tile (param $kc i32) (param $pa i32) (param $s1 i32) (param $sp i32) (param $pb i32) (param $sb i32)
              (param $c i32) (param $ldc i32) (param $alpha f32) (param $beta f32)
    (local $s2 i32) (local $s3 i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128) (local $va v128) (local $vb v128)
    (local.set $s2 (i32.shl (local.get $s1) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $s1)))
    (loop $depth
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load32_splat (local.get $pa)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s1))))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s2))))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat (i32.add (local.get $pa) (local.get $s3))))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (local.get $sp)))
      (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
      (br_if $depth (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (local.set $va (f32x4.splat (local.get $alpha)))
    ;; β = 0 must not read C (it may hold NaN), as in BLAS.
    (if (f32.eq (local.get $beta) (f32.const 0))
      (then
        (v128.store (local.get $c) (f32x4.mul (local.get $c00) (local.get $va)))
        (v128.store offset=16 (local.get $c) (f32x4.mul (local.get $c01) (local.get $va)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.mul (local.get $c10) (local.get $va)))
        (v128.store offset=16 (local.get $c) (f32x4.mul (local.get $c11) (local.get $va)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.mul (local.get $c20) (local.get $va)))
        (v128.store offset=16 (local.get $c) (f32x4.mul (local.get $c21) (local.get $va)))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.mul (local.get $c30) (local.get $va)))
        (v128.store offset=16 (local.get $c) (f32x4.mul (local.get $c31) (local.get $va))))
      (else
        (local.set $vb (f32x4.splat (local.get $beta)))
        (v128.store (local.get $c) (f32x4.add (f32x4.mul (local.get $c00) (local.get $va))
          (f32x4.mul (v128.load (local.get $c)) (local.get $vb))))
        (v128.store offset=16 (local.get $c) (f32x4.add (f32x4.mul (local.get $c01) (local.get $va))
          (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $vb))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (f32x4.mul (local.get $c10) (local.get $va))
          (f32x4.mul (v128.load (local.get $c)) (local.get $vb))))
        (v128.store offset=16 (local.get $c) (f32x4.add (f32x4.mul (local.get $c11) (local.get $va))
          (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $vb))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (f32x4.mul (local.get $c20) (local.get $va))
          (f32x4.mul (v128.load (local.get $c)) (local.get $vb))))
        (v128.store offset=16 (local.get $c) (f32x4.add (f32x4.mul (local.get $c21) (local.get $va))
          (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $vb))))
        (local.set $c (i32.add (local.get $c) (local.get $ldc)))
        (v128.store (local.get $c) (f32x4.add (f32x4.mul (local.get $c30) (local.get $va))
          (f32x4.mul (v128.load (local.get $c)) (local.get $vb))))
        (v128.store offset=16 (local.get $c) (f32x4.add (f32x4.mul (local.get $c31) (local.get $va))
          (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $vb)))))))

  ;; The narrow edge of C: a 4 × 4 tile (the first 4 columns of a panel) into a spill area with rows 32 bytes apart,
  ;; C = α·Σₚ A[r, p]·B[p, 0:4]. Used when 4 or fewer columns are left, so a 10-wide product wastes 2 lanes, not 6.
  (func $tile4 (param $kc i32) (param $pa i32) (param $s1 i32) (param $sp i32) (param $pb i32) (param $sb i32)
               (param $c i32) (param $alpha f32)
    (local $s2 i32) (local $s3 i32) (local $b0 v128) (local $va v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $s2 (i32.shl (local.get $s1) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $s1)))
    (loop $depth
      (local.set $b0 (v128.load (local.get $pb)))
      (local.set $c0 (f32x4.add (local.get $c0) (f32x4.mul (v128.load32_splat (local.get $pa)) (local.get $b0))))
      (local.set $c1 (f32x4.add (local.get $c1)
        (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $s1))) (local.get $b0))))
      (local.set $c2 (f32x4.add (local.get $c2)
        (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $s2))) (local.get $b0))))
      (local.set $c3 (f32x4.add (local.get $c3)
        (f32x4.mul (v128.load32_splat (i32.add (local.get $pa) (local.get $s3))) (local.get $b0))))
      (local.set $pa (i32.add (local.get $pa) (local.get $sp)))
      (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
      (br_if $depth (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (v128.store (local.get $c) (f32x4.mul (local.get $c0) (local.get $va)))
    (v128.store offset=32 (local.get $c) (f32x4.mul (local.get $c1) (local.get $va)))
    (v128.store offset=64 (local.get $c) (f32x4.mul (local.get $c2) (local.get $va)))
    (v128.store offset=96 (local.get $c) (f32x4.mul (local.get $c3) (local.get $va))))

  ;; Packs B[p0 : p0+kc, j0 : j0+nc] (of op(B)) into panels of 8 columns, zero-padding the last one:
  ;; element (p, j) lands at dst + ((j / 8)·kc + p)·32 + (j % 8)·4. transB: B is stored n × k (so op(B)[p, j] = b[j, p]).
  (func $packB (param $transB i32) (param $b i32) (param $ldb i32) (param $p0 i32) (param $kc i32)
               (param $j0 i32) (param $nc i32) (param $dst i32)
    (local $j i32) (local $p i32) (local $w i32) (local $jj i32) (local $src i32) (local $out i32) (local $step i32)
    (local $padTo i32)
    ;; Row stride of B in bytes.
    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $j (i32.const 0))
    (loop $panels
      (local.set $w (select (i32.sub (local.get $nc) (local.get $j)) (i32.const 8)
        (i32.lt_u (i32.sub (local.get $nc) (local.get $j)) (i32.const 8))))
      (if (i32.and (i32.eqz (local.get $transB)) (i32.eq (local.get $w) (i32.const 8)))
        (then
          ;; Full panel of a plain B: two vectors per depth, straight from the rows.
          (local.set $src (i32.add (local.get $b) (i32.add
            (i32.mul (local.get $p0) (local.get $ldb))
            (i32.shl (i32.add (local.get $j0) (local.get $j)) (i32.const 2)))))
          (local.set $p (local.get $kc))
          (loop $rows
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $ldb)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (br_if $rows (local.tee $p (i32.sub (local.get $p) (i32.const 1))))))
        (else
          ;; Transposed or partial panel: column by column. A column of a transposed B is contiguous in memory.
          (if (local.get $w) (then
            (local.set $jj (i32.const 0))
            (loop $columns
              (if (local.get $transB)
                (then
                  (local.set $src (i32.add (local.get $b) (i32.add
                    (i32.mul (i32.add (local.get $j0) (i32.add (local.get $j) (local.get $jj))) (local.get $ldb))
                    (i32.shl (local.get $p0) (i32.const 2)))))
                  (local.set $step (i32.const 4)))
                (else
                  (local.set $src (i32.add (local.get $b) (i32.add
                    (i32.mul (local.get $p0) (local.get $ldb))
                    (i32.shl (i32.add (local.get $j0) (i32.add (local.get $j) (local.get $jj))) (i32.const 2)))))
                  (local.set $step (local.get $ldb))))
              (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2))))
              (local.set $p (local.get $kc))
              (loop $depths
                (f32.store (local.get $out) (f32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (local.get $step)))
                (local.set $out (i32.add (local.get $out) (i32.const 32)))
                (br_if $depths (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
              (br_if $columns (i32.lt_u (local.tee $jj (i32.add (local.get $jj) (i32.const 1))) (local.get $w))))))
          ;; Zero the columns past the edge that a micro-kernel reads: up to 4 when the 4 × 4 edge kernel takes the
          ;; panel (4 columns or fewer), else up to 8. (Their products are discarded; zeros keep denormals out.)
          (local.set $padTo (select (i32.const 4) (i32.const 8) (i32.le_u (local.get $w) (i32.const 4))))
          (if (i32.lt_u (local.get $w) (local.get $padTo)) (then
            (local.set $jj (local.get $w))
            (loop $pad
              (local.set $out (i32.add (local.get $dst) (i32.shl (local.get $jj) (i32.const 2))))
              (local.set $p (local.get $kc))
              (loop $depths
                (f32.store (local.get $out) (f32.const 0))
                (local.set $out (i32.add (local.get $out) (i32.const 32)))
                (br_if $depths (local.tee $p (i32.sub (local.get $p) (i32.const 1)))))
              (br_if $pad (i32.lt_u (local.tee $jj (i32.add (local.get $jj) (i32.const 1))) (local.get $padTo))))))
          (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))))
      (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $nc)))))

  ;; ---- Zero skipping. When a 4-row tile of op(A) is mostly zeros over a depth block (an MNIST batch is about 80%
  ;; zeros), the tile is computed from lists of its rows' nonzeros instead: each row of C is α·Σ A[r, p]·B[p, :] over
  ;; the nonzero A[r, p] only, in increasing p, 28 columns at a time. Every product that is skipped is ±0, and a running
  ;; sum that starts at +0 is never −0 (x + y rounds to +0 when it is zero, unless both are −0), so adding ±0 leaves it
  ;; unchanged: the result is bit for bit the dense tile's as long as B is finite over the block (0·∞ is NaN); a block
  ;; of B with a non-finite value is never skipped. Where the lists are built but the tile turns out too dense, the
  ;; dense kernel computes it: the choice never changes a result, only the time.

  ;; Nonzeros (NaN counts as nonzero) in op(A)[0:4, 0:kc], rows si bytes apart and depths sp bytes apart.
  (func $nonzeros4 (param $transA i32) (param $pa i32) (param $si i32) (param $sp i32) (param $kc i32) (result i32)
    (local $acc v128) (local $count i32) (local $r i32) (local $src i32) (local $end i32)
    (if (local.get $transA)
      (then
        ;; The 4 rows are adjacent floats: one vector per depth.
        (loop $depths
          (local.set $acc (i32x4.sub (local.get $acc)
            (f32x4.ne (v128.load (local.get $pa)) (v128.const i32x4 0 0 0 0))))
          (local.set $pa (i32.add (local.get $pa) (local.get $sp)))
          (br_if $depths (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))
      (else
        (loop $rows
          (local.set $src (i32.add (local.get $pa) (i32.mul (local.get $r) (local.get $si))))
          (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $kc) (i32.const -4)) (i32.const 2))))
          (block $vectorsDone
            (br_if $vectorsDone (i32.ge_u (local.get $src) (local.get $end)))
            (loop $vectors
              (local.set $acc (i32x4.sub (local.get $acc)
                (f32x4.ne (v128.load (local.get $src)) (v128.const i32x4 0 0 0 0))))
              (br_if $vectors (i32.lt_u (local.tee $src (i32.add (local.get $src) (i32.const 16))) (local.get $end)))))
          (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $kc) (i32.const 3)) (i32.const 2))))
          (block $tailDone
            (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
            (loop $tail
              (local.set $count (i32.add (local.get $count) (f32.ne (f32.load (local.get $src)) (f32.const 0))))
              (br_if $tail (i32.lt_u (local.tee $src (i32.add (local.get $src) (i32.const 4))) (local.get $end)))))
          (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))))
    (i32.add (local.get $count) (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))

  ;; 1 if B[0:kc, 0:nc] (rows ldb bytes apart) holds no infinity or NaN, else 0: the largest magnitude, as bits, stays
  ;; below the exponent's all-ones pattern.
  (func $finite (param $b i32) (param $ldb i32) (param $kc i32) (param $nc i32) (result i32)
    (local $max v128) (local $max2 v128) (local $src i32) (local $end i32) (local $tail i32) (local $m i32)
    (local $magnitude v128)
    (local.set $magnitude (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
    (loop $rows
      (local.set $src (local.get $b))
      (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $nc) (i32.const -4)) (i32.const 2))))
      (block $vectorsDone
        (br_if $vectorsDone (i32.ge_u (local.get $src) (local.get $end)))
        ;; Two vectors a step while they last, into two maxima, then one.
        (block $pairsDone
          (br_if $pairsDone (i32.gt_u (i32.add (local.get $src) (i32.const 32)) (local.get $end)))
          (loop $pairs
            (local.set $max (i32x4.max_u (local.get $max)
              (v128.and (v128.load (local.get $src)) (local.get $magnitude))))
            (local.set $max2 (i32x4.max_u (local.get $max2)
              (v128.and (v128.load offset=16 (local.get $src)) (local.get $magnitude))))
            (br_if $pairs (i32.le_u (i32.add (local.tee $src (i32.add (local.get $src) (i32.const 32))) (i32.const 32))
              (local.get $end)))))
        (br_if $vectorsDone (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $max (i32x4.max_u (local.get $max) (v128.and (v128.load (local.get $src)) (local.get $magnitude))))
        (local.set $src (i32.add (local.get $src) (i32.const 16))))
      (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $nc) (i32.const 3)) (i32.const 2))))
      (block $tailDone
        (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
        (loop $tail
          (local.set $m (i32.and (i32.load (local.get $src)) (i32.const 0x7fffffff)))
          (local.set $tail (select (local.get $m) (local.get $tail) (i32.gt_u (local.get $m) (local.get $tail))))
          (br_if $tail (i32.lt_u (local.tee $src (i32.add (local.get $src) (i32.const 4))) (local.get $end)))))
      (local.set $b (i32.add (local.get $b) (local.get $ldb)))
      (br_if $rows (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (i32.and
      (i32x4.all_true (i32x4.lt_u (i32x4.max_u (local.get $max) (local.get $max2))
        (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)))
      (i32.lt_u (local.get $tail) (i32.const 0x7f800000))))

  ;; The nonzeros of the 4 rows of a transposed A's tile over kc depths (the rows are adjacent floats, the depths sp
  ;; bytes apart), as (byte offset of B's row, value) pairs: row r's at list + r·size. Writes the 4 counts at counts.
  ;; Four depths at a time are transposed in registers, so each row's four values sit in one vector, which is appended
  ;; as $rowList appends a vector (compact: the 256-byte swizzle table). Leftover depths go one at a time: each value
  ;; is written, and counted only if nonzero. (Value by value, with a branch per depth, the MNIST network's first
  ;; weight gradient, 784 × 128 × 64, took a quarter longer on one thread: 240 against 190 µs.)
  (func $columnLists (param $pa i32) (param $sp i32) (param $kc i32) (param $ldb i32) (param $list i32)
                     (param $size i32) (param $counts i32) (param $compact i32)
    (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32) (local $offset i32) (local $v v128) (local $xs f32)
    (local $at i32) (local $l1 i32) (local $l2 i32) (local $l3 i32) (local $mask i32) (local $order v128)
    (local $o v128) (local $x v128) (local $offsets v128) (local $step v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $t0 v128) (local $t1 v128)
    (local $t2 v128) (local $t3 v128) (local $quads i32) (local $sp4 i32)
    (local.set $l1 (i32.add (local.get $list) (local.get $size)))
    (local.set $l2 (i32.add (local.get $l1) (local.get $size)))
    (local.set $l3 (i32.add (local.get $l2) (local.get $size)))
    (local.set $offsets (i32x4.mul (i32x4.splat (local.get $ldb)) (v128.const i32x4 0 1 2 3)))
    (local.set $step (i32x4.splat (i32.shl (local.get $ldb) (i32.const 2))))
    (local.set $sp4 (i32.shl (local.get $sp) (i32.const 2)))
    (local.set $quads (i32.shr_u (local.get $kc) (i32.const 2)))
    (block $quadsDone
      (br_if $quadsDone (i32.eqz (local.get $quads)))
      (loop $quads
        ;; v_d holds the 4 rows at depth d; t_r the 4 depths of row r.
        (local.set $v0 (v128.load (local.get $pa)))
        (local.set $v1 (v128.load (i32.add (local.get $pa) (local.get $sp))))
        (local.set $v2 (v128.load (i32.add (local.get $pa) (i32.shl (local.get $sp) (i32.const 1)))))
        (local.set $v3 (v128.load (i32.add (local.get $pa) (i32.mul (local.get $sp) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
        (local.set $v0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (local.set $v1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (local.set $v2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (local.set $v3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $v0) (v128.const i32x4 0 0 0 0))))
        (local.set $order (v128.load (i32.add (local.get $compact) (i32.shl (local.get $mask) (i32.const 4)))))
        (local.set $o (i8x16.swizzle (local.get $offsets) (local.get $order)))
        (local.set $x (i8x16.swizzle (local.get $v0) (local.get $order)))
        (local.set $at (i32.add (local.get $list) (i32.shl (local.get $n0) (i32.const 3))))
        (v128.store (local.get $at)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $o) (local.get $x)))
        (v128.store offset=16 (local.get $at)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $o) (local.get $x)))
        (local.set $n0 (i32.add (local.get $n0) (i32.popcnt (local.get $mask))))
        (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $v1) (v128.const i32x4 0 0 0 0))))
        (local.set $order (v128.load (i32.add (local.get $compact) (i32.shl (local.get $mask) (i32.const 4)))))
        (local.set $o (i8x16.swizzle (local.get $offsets) (local.get $order)))
        (local.set $x (i8x16.swizzle (local.get $v1) (local.get $order)))
        (local.set $at (i32.add (local.get $l1) (i32.shl (local.get $n1) (i32.const 3))))
        (v128.store (local.get $at)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $o) (local.get $x)))
        (v128.store offset=16 (local.get $at)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $o) (local.get $x)))
        (local.set $n1 (i32.add (local.get $n1) (i32.popcnt (local.get $mask))))
        (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $v2) (v128.const i32x4 0 0 0 0))))
        (local.set $order (v128.load (i32.add (local.get $compact) (i32.shl (local.get $mask) (i32.const 4)))))
        (local.set $o (i8x16.swizzle (local.get $offsets) (local.get $order)))
        (local.set $x (i8x16.swizzle (local.get $v2) (local.get $order)))
        (local.set $at (i32.add (local.get $l2) (i32.shl (local.get $n2) (i32.const 3))))
        (v128.store (local.get $at)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $o) (local.get $x)))
        (v128.store offset=16 (local.get $at)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $o) (local.get $x)))
        (local.set $n2 (i32.add (local.get $n2) (i32.popcnt (local.get $mask))))
        (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $v3) (v128.const i32x4 0 0 0 0))))
        (local.set $order (v128.load (i32.add (local.get $compact) (i32.shl (local.get $mask) (i32.const 4)))))
        (local.set $o (i8x16.swizzle (local.get $offsets) (local.get $order)))
        (local.set $x (i8x16.swizzle (local.get $v3) (local.get $order)))
        (local.set $at (i32.add (local.get $l3) (i32.shl (local.get $n3) (i32.const 3))))
        (v128.store (local.get $at)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $o) (local.get $x)))
        (v128.store offset=16 (local.get $at)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $o) (local.get $x)))
        (local.set $n3 (i32.add (local.get $n3) (i32.popcnt (local.get $mask))))
        (local.set $offsets (i32x4.add (local.get $offsets) (local.get $step)))
        (local.set $pa (i32.add (local.get $pa) (local.get $sp4)))
        (br_if $quads (local.tee $quads (i32.sub (local.get $quads) (i32.const 1))))))
    (local.set $offset (i32x4.extract_lane 0 (local.get $offsets)))
    (local.set $kc (i32.and (local.get $kc) (i32.const 3)))
    (block $tailDone
      (br_if $tailDone (i32.eqz (local.get $kc)))
      (loop $tail
        (local.set $v (v128.load (local.get $pa)))
        (local.set $xs (f32x4.extract_lane 0 (local.get $v)))
        (local.set $at (i32.add (local.get $list) (i32.shl (local.get $n0) (i32.const 3))))
        (i32.store (local.get $at) (local.get $offset))
        (f32.store offset=4 (local.get $at) (local.get $xs))
        (local.set $n0 (i32.add (local.get $n0) (f32.ne (local.get $xs) (f32.const 0))))
        (local.set $xs (f32x4.extract_lane 1 (local.get $v)))
        (local.set $at (i32.add (local.get $l1) (i32.shl (local.get $n1) (i32.const 3))))
        (i32.store (local.get $at) (local.get $offset))
        (f32.store offset=4 (local.get $at) (local.get $xs))
        (local.set $n1 (i32.add (local.get $n1) (f32.ne (local.get $xs) (f32.const 0))))
        (local.set $xs (f32x4.extract_lane 2 (local.get $v)))
        (local.set $at (i32.add (local.get $l2) (i32.shl (local.get $n2) (i32.const 3))))
        (i32.store (local.get $at) (local.get $offset))
        (f32.store offset=4 (local.get $at) (local.get $xs))
        (local.set $n2 (i32.add (local.get $n2) (f32.ne (local.get $xs) (f32.const 0))))
        (local.set $xs (f32x4.extract_lane 3 (local.get $v)))
        (local.set $at (i32.add (local.get $l3) (i32.shl (local.get $n3) (i32.const 3))))
        (i32.store (local.get $at) (local.get $offset))
        (f32.store offset=4 (local.get $at) (local.get $xs))
        (local.set $n3 (i32.add (local.get $n3) (f32.ne (local.get $xs) (f32.const 0))))
        (local.set $pa (i32.add (local.get $pa) (local.get $sp)))
        (local.set $offset (i32.add (local.get $offset) (local.get $ldb)))
        (br_if $tail (local.tee $kc (i32.sub (local.get $kc) (i32.const 1))))))
    (i32.store (local.get $counts) (local.get $n0))
    (i32.store offset=4 (local.get $counts) (local.get $n1))
    (i32.store offset=8 (local.get $counts) (local.get $n2))
    (i32.store offset=12 (local.get $counts) (local.get $n3)))

  ;; The nonzeros of one row of a plain A over kc contiguous depths, as (byte offset of B's row, value) pairs at
  ;; `list`; returns how many. ldb: bytes between B's rows. Four depths at a time with no branch: the vector's nonzero
  ;; lanes are moved to its front by the swizzle that `compact` (the 256-byte table $compactLanes) holds for their
  ;; mask, and all four pairs are stored at the list's end, which then grows by the number of nonzeros. The stores past
  ;; it stay inside the list's kc pairs, and the next vector's overwrite them. The last kc mod 4 depths go one at a
  ;; time. (Per value, with a branch on each vector, the first layer's forward product took 4% longer.) These ten
  ;; lines are written out here and four times in $columnLists rather than called: as a function, which V8 in
  ;; Node.js 20 does not inline, the first layer's forward and weight-gradient products took 15–18% longer.
  (func $rowList (param $pa i32) (param $kc i32) (param $ldb i32) (param $list i32) (param $compact i32) (result i32)
    (local $count i32) (local $offset i32) (local $v v128) (local $end i32) (local $xs f32)
    (local $at i32) (local $mask i32) (local $order v128) (local $o v128) (local $x v128) (local $offsets v128)
    (local $step v128)
    (local.set $offsets (i32x4.mul (i32x4.splat (local.get $ldb)) (v128.const i32x4 0 1 2 3)))
    (local.set $step (i32x4.splat (i32.shl (local.get $ldb) (i32.const 2))))
    (local.set $end (i32.add (local.get $pa) (i32.shl (i32.and (local.get $kc) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $pa) (local.get $end)))
      (loop $vectors
        (local.set $v (v128.load (local.get $pa)))
        (local.set $mask (i32x4.bitmask (f32x4.ne (local.get $v) (v128.const i32x4 0 0 0 0))))
        (local.set $order (v128.load (i32.add (local.get $compact) (i32.shl (local.get $mask) (i32.const 4)))))
        (local.set $o (i8x16.swizzle (local.get $offsets) (local.get $order)))
        (local.set $x (i8x16.swizzle (local.get $v) (local.get $order)))
        (local.set $at (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 3))))
        (v128.store (local.get $at)
          (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $o) (local.get $x)))
        (v128.store offset=16 (local.get $at)
          (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $o) (local.get $x)))
        (local.set $count (i32.add (local.get $count) (i32.popcnt (local.get $mask))))
        (local.set $offsets (i32x4.add (local.get $offsets) (local.get $step)))
        (br_if $vectors (i32.lt_u (local.tee $pa (i32.add (local.get $pa) (i32.const 16))) (local.get $end)))))
    (local.set $offset (i32x4.extract_lane 0 (local.get $offsets)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $kc) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $pa) (local.get $end)))
      (loop $tail
        (local.set $xs (f32.load (local.get $pa)))
        (local.set $at (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 3))))
        (i32.store (local.get $at) (local.get $offset))
        (f32.store offset=4 (local.get $at) (local.get $xs))
        (local.set $count (i32.add (local.get $count) (f32.ne (local.get $xs) (f32.const 0))))
        (local.set $offset (i32.add (local.get $offset) (local.get $ldb)))
        (br_if $tail (i32.lt_u (local.tee $pa (i32.add (local.get $pa) (i32.const 4))) (local.get $end)))))
    (local.get $count))

  ;; Every depth of one row of a plain A over kc contiguous depths, zeros included, as (byte offset of B's row, value)
  ;; pairs at `list`, as rowList writes them; returns kc.
  (func $rowEntries (param $pa i32) (param $kc i32) (param $ldb i32) (param $list i32) (result i32)
    (local $offset i32) (local $end i32)
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $kc) (i32.const 3))))
    (loop $depths
      (i32.store (local.get $list) (local.get $offset))
      (f32.store offset=4 (local.get $list) (f32.load (local.get $pa)))
      (local.set $offset (i32.add (local.get $offset) (local.get $ldb)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
      (br_if $depths (i32.lt_u (local.tee $list (i32.add (local.get $list) (i32.const 8))) (local.get $end))))
    (local.get $kc))

  ;; C[0, 0:nc] = α·Σ value·B[row, 0:nc] over the `count` (offset, value) pairs at `list` (+ β·C when β ≠ 0). b: B's
  ;; first column at the block's first depth; the offsets are from there. Each element sums its products in list order
  ;; and is scaled as the dense tile does, (α·Σ) + β·C, so the widths below do not change a bit of the result.
  (func $sparseRow (param $list i32) (param $count i32) (param $b i32) (param $nc i32) (param $c i32) (param $alpha f32)
                   (param $beta f32)
    (local $end i32) (local $e i32) (local $pb i32) (local $j i32) (local $x v128) (local $va v128) (local $vb v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128)
    (local $s f32) (local $xs f32)
    (local.set $end (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vb (f32x4.splat (local.get $beta)))
    ;; 28 columns at a time: seven accumulators, each value times seven vectors of its row of B. (Seven, not eight:
    ;; with eight, V8's x64 code ran a quarter slower per column, which looks like a register spilled.)
    (block $wideDone
      (br_if $wideDone (i32.gt_u (i32.add (local.get $j) (i32.const 28)) (local.get $nc)))
      (loop $wide
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0))
        (local.set $a3 (local.get $a0)) (local.set $a4 (local.get $a0)) (local.set $a5 (local.get $a0))
        (local.set $a6 (local.get $a0))
        (local.set $e (local.get $list))
        (if (local.get $count) (then
          (loop $entries
            (local.set $pb (i32.add (local.get $b) (i32.load (local.get $e))))
            (local.set $x (v128.load32_splat offset=4 (local.get $e)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $pb)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $pb)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $pb)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $pb)))))
            (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $x) (v128.load offset=64 (local.get $pb)))))
            (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $x) (v128.load offset=80 (local.get $pb)))))
            (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $x) (v128.load offset=96 (local.get $pb)))))
            (br_if $entries (i32.lt_u (local.tee $e (i32.add (local.get $e) (i32.const 8))) (local.get $end))))))
        (if (f32.eq (local.get $beta) (f32.const 0))
          (then
            (v128.store offset=0 (local.get $c) (f32x4.mul (local.get $a0) (local.get $va)))
            (v128.store offset=16 (local.get $c) (f32x4.mul (local.get $a1) (local.get $va)))
            (v128.store offset=32 (local.get $c) (f32x4.mul (local.get $a2) (local.get $va)))
            (v128.store offset=48 (local.get $c) (f32x4.mul (local.get $a3) (local.get $va)))
            (v128.store offset=64 (local.get $c) (f32x4.mul (local.get $a4) (local.get $va)))
            (v128.store offset=80 (local.get $c) (f32x4.mul (local.get $a5) (local.get $va)))
            (v128.store offset=96 (local.get $c) (f32x4.mul (local.get $a6) (local.get $va))))
          (else
            (v128.store offset=0 (local.get $c) (f32x4.add (f32x4.mul (local.get $a0) (local.get $va))
              (f32x4.mul (v128.load offset=0 (local.get $c)) (local.get $vb))))
            (v128.store offset=16 (local.get $c) (f32x4.add (f32x4.mul (local.get $a1) (local.get $va))
              (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $vb))))
            (v128.store offset=32 (local.get $c) (f32x4.add (f32x4.mul (local.get $a2) (local.get $va))
              (f32x4.mul (v128.load offset=32 (local.get $c)) (local.get $vb))))
            (v128.store offset=48 (local.get $c) (f32x4.add (f32x4.mul (local.get $a3) (local.get $va))
              (f32x4.mul (v128.load offset=48 (local.get $c)) (local.get $vb))))
            (v128.store offset=64 (local.get $c) (f32x4.add (f32x4.mul (local.get $a4) (local.get $va))
              (f32x4.mul (v128.load offset=64 (local.get $c)) (local.get $vb))))
            (v128.store offset=80 (local.get $c) (f32x4.add (f32x4.mul (local.get $a5) (local.get $va))
              (f32x4.mul (v128.load offset=80 (local.get $c)) (local.get $vb))))
            (v128.store offset=96 (local.get $c) (f32x4.add (f32x4.mul (local.get $a6) (local.get $va))
              (f32x4.mul (v128.load offset=96 (local.get $c)) (local.get $vb))))))
        (local.set $b (i32.add (local.get $b) (i32.const 112)))
        (local.set $c (i32.add (local.get $c) (i32.const 112)))
        (br_if $wide (i32.le_u (i32.add (local.tee $j (i32.add (local.get $j) (i32.const 28))) (i32.const 28))
          (local.get $nc)))))
    ;; Then 16 columns once, if that many are left.
    (block $middleDone
      (br_if $middleDone (i32.gt_u (i32.add (local.get $j) (i32.const 16)) (local.get $nc)))
      (block $middle
        (local.set $a0 (v128.const i32x4 0 0 0 0)) (local.set $a1 (local.get $a0)) (local.set $a2 (local.get $a0))
        (local.set $a3 (local.get $a0))
        (local.set $e (local.get $list))
        (if (local.get $count) (then
          (loop $entries
            (local.set $pb (i32.add (local.get $b) (i32.load (local.get $e))))
            (local.set $x (v128.load32_splat offset=4 (local.get $e)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $pb)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $pb)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $pb)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $pb)))))
            (br_if $entries (i32.lt_u (local.tee $e (i32.add (local.get $e) (i32.const 8))) (local.get $end))))))
        (if (f32.eq (local.get $beta) (f32.const 0))
          (then
            (v128.store offset=0 (local.get $c) (f32x4.mul (local.get $a0) (local.get $va)))
            (v128.store offset=16 (local.get $c) (f32x4.mul (local.get $a1) (local.get $va)))
            (v128.store offset=32 (local.get $c) (f32x4.mul (local.get $a2) (local.get $va)))
            (v128.store offset=48 (local.get $c) (f32x4.mul (local.get $a3) (local.get $va))))
          (else
            (v128.store offset=0 (local.get $c) (f32x4.add (f32x4.mul (local.get $a0) (local.get $va))
              (f32x4.mul (v128.load offset=0 (local.get $c)) (local.get $vb))))
            (v128.store offset=16 (local.get $c) (f32x4.add (f32x4.mul (local.get $a1) (local.get $va))
              (f32x4.mul (v128.load offset=16 (local.get $c)) (local.get $vb))))
            (v128.store offset=32 (local.get $c) (f32x4.add (f32x4.mul (local.get $a2) (local.get $va))
              (f32x4.mul (v128.load offset=32 (local.get $c)) (local.get $vb))))
            (v128.store offset=48 (local.get $c) (f32x4.add (f32x4.mul (local.get $a3) (local.get $va))
              (f32x4.mul (v128.load offset=48 (local.get $c)) (local.get $vb))))))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))))
    ;; Then 4 columns at a time.
    (block $narrowDone
      (br_if $narrowDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $nc)))
      (loop $narrow
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $e (local.get $list))
        (if (local.get $count) (then
          (loop $entries
            (local.set $pb (i32.add (local.get $b) (i32.load (local.get $e))))
            (local.set $x (v128.load32_splat offset=4 (local.get $e)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load offset=0 (local.get $pb)))))
            (br_if $entries (i32.lt_u (local.tee $e (i32.add (local.get $e) (i32.const 8))) (local.get $end))))))
        (if (f32.eq (local.get $beta) (f32.const 0))
          (then
            (v128.store offset=0 (local.get $c) (f32x4.mul (local.get $a0) (local.get $va))))
          (else
            (v128.store offset=0 (local.get $c) (f32x4.add (f32x4.mul (local.get $a0) (local.get $va))
              (f32x4.mul (v128.load offset=0 (local.get $c)) (local.get $vb))))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br_if $narrow (i32.le_u (i32.add (local.tee $j (i32.add (local.get $j) (i32.const 4))) (i32.const 4))
          (local.get $nc)))))
    ;; Then the last 0–3 columns one at a time, with the dense edge tile's arithmetic: (α·Σ) + β·C. The sum runs in
    ;; lane 0 of a vector, not in an f32: lane 0 of f32x4.add and f32x4.mul is f32.add and f32.mul bit for bit, and
    ;; written so, the relaxed build fuses these multiply-adds as it fuses the dense tile's (scripts/build-wasm.mjs).
    (block $scalarDone
      (br_if $scalarDone (i32.ge_u (local.get $j) (local.get $nc)))
      (loop $scalar
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $e (local.get $list))
        (if (local.get $count) (then
          (loop $entries
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat offset=4 (local.get $e))
              (v128.load32_splat (i32.add (local.get $b) (i32.load (local.get $e)))))))
            (br_if $entries (i32.lt_u (local.tee $e (i32.add (local.get $e) (i32.const 8))) (local.get $end))))))
        (local.set $s (f32x4.extract_lane 0 (local.get $a0)))
        (local.set $xs (f32.mul (local.get $s) (local.get $alpha)))
        (if (f32.eq (local.get $beta) (f32.const 0))
          (then (f32.store (local.get $c) (local.get $xs)))
          (else (f32.store (local.get $c)
            (f32.add (local.get $xs) (f32.mul (local.get $beta) (f32.load (local.get $c)))))))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br_if $scalar (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $nc))))))

  ;; The zero-skipping path for one full 4-row tile: C[0:4, 0:nc] over one depth block, from op(A)'s rows (si bytes
  ;; apart, depths sp bytes apart), B at its block (rows ldb bytes apart), C rows ldc bytes apart. Lists the tile's
  ;; nonzeros at `lists` (4·kc·8 + 16 bytes); if more than maxPercent of the tile is nonzero, returns 0 without
  ;; writing C (the dense kernel is then faster), else computes the tile and returns 1.
  (func $sparseTile (param $transA i32) (param $pa i32) (param $si i32) (param $sp i32) (param $kc i32) (param $b i32)
                    (param $ldb i32) (param $nc i32) (param $c i32) (param $ldc i32) (param $alpha f32)
                    (param $beta f32) (param $lists i32) (param $maxPercent i32) (param $compact i32) (result i32)
    (local $n0 i32) (local $n1 i32) (local $n2 i32) (local $n3 i32) (local $size i32) (local $counts i32)
    (local.set $size (i32.shl (local.get $kc) (i32.const 3)))
    (local.set $counts (i32.add (local.get $lists) (i32.shl (local.get $size) (i32.const 2))))
    (if (local.get $transA)
      (then
        ;; One pass over the depths fills the four lists; their counts go just past the fourth.
        (call $columnLists (local.get $pa) (local.get $sp) (local.get $kc) (local.get $ldb) (local.get $lists)
          (local.get $size) (local.get $counts) (local.get $compact))
        (local.set $n0 (i32.load (local.get $counts)))
        (local.set $n1 (i32.load offset=4 (local.get $counts)))
        (local.set $n2 (i32.load offset=8 (local.get $counts)))
        (local.set $n3 (i32.load offset=12 (local.get $counts))))
      (else
        (local.set $n0 (call $rowList (local.get $pa) (local.get $kc) (local.get $ldb) (local.get $lists)
          (local.get $compact)))
        (local.set $n1 (call $rowList (i32.add (local.get $pa) (local.get $si)) (local.get $kc) (local.get $ldb)
          (i32.add (local.get $lists) (local.get $size)) (local.get $compact)))
        (local.set $n2 (call $rowList (i32.add (local.get $pa) (i32.shl (local.get $si) (i32.const 1))) (local.get $kc)
          (local.get $ldb) (i32.add (local.get $lists) (i32.shl (local.get $size) (i32.const 1))) (local.get $compact)))
        (local.set $n3 (call $rowList (i32.add (local.get $pa) (i32.mul (local.get $si) (i32.const 3))) (local.get $kc)
          (local.get $ldb) (i32.add (local.get $lists) (i32.mul (local.get $size) (i32.const 3))) (local.get $compact)))))
    (if (i32.gt_u (i32.mul (i32.add (i32.add (local.get $n0) (local.get $n1)) (i32.add (local.get $n2) (local.get $n3)))
          (i32.const 100)) (i32.mul (i32.shl (local.get $kc) (i32.const 2)) (local.get $maxPercent)))
      (then (return (i32.const 0))))
    (call $sparseRow (local.get $lists) (local.get $n0) (local.get $b) (local.get $nc) (local.get $c) (local.get $alpha)
      (local.get $beta))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $sparseRow (i32.add (local.get $lists) (local.get $size)) (local.get $n1) (local.get $b) (local.get $nc)
      (local.get $c) (local.get $alpha) (local.get $beta))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $sparseRow (i32.add (local.get $lists) (i32.shl (local.get $size) (i32.const 1))) (local.get $n2)
      (local.get $b) (local.get $nc) (local.get $c) (local.get $alpha) (local.get $beta))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (call $sparseRow (i32.add (local.get $lists) (i32.mul (local.get $size) (i32.const 3))) (local.get $n3)
      (local.get $b) (local.get $nc) (local.get $c) (local.get $alpha) (local.get $beta))
    (global.set $zeroSkippedTiles (i32.add (global.get $zeroSkippedTiles) (i32.const 1)))
    (i32.const 1))

  ;; C = α·op(A)·op(B) + β·C for m, n, k ≥ 1. a, b, c: byte offsets; lda, ldb, ldc: row strides in floats of the arrays
  ;; as stored. work: 4·KC·NC + 384 bytes of scratch owned by this call (GEMM_WORK_BYTES in tuning.ts): the packed
  ;; block of B, then a 4 × 8 spill tile, then the lists' swizzle table (256 bytes); with a plain B only the block's
  ;; first 32·KC bytes hold a packed (narrow) panel, and the zero-skipping lists (32·KC + 16 bytes) follow them. When fewer than 4 rows remain, the micro-kernel still
  ;; reads 4 rows of A, so up to 3 rows (plain A) or 3 floats (Aᵀ) past op(A)'s last row must be readable; their
  ;; products land only in the spill tile and are discarded. progress: 0, or the byte offset of an i32 that is
  ;; atomically incremented after every row tile of every block, so that a thread waiting for a worker's share can
  ;; tell a long product (the count keeps moving) from a dead or hung worker (it stops) whatever the product's size.
  (func $gemm (export "gemm") (param $transA i32) (param $transB i32) (param $m i32) (param $n i32) (param $k i32)
        (param $alpha f32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32) (param $beta f32)
        (param $c i32) (param $ldc i32) (param $work i32) (param $progress i32)
    (local $si i32) (local $sp i32) (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32)
    (local $i i32) (local $j i32) (local $rows i32) (local $cols i32) (local $betaBlock f32)
    (local $pa i32) (local $pb i32) (local $cp i32) (local $spill i32) (local $r i32) (local $q i32)
    (local $src i32) (local $dst i32) (local $panel i32) (local $sb i32)
    (local $zeroSkip i32) (local $bFinite i32) (local $ldbBytes i32) (local $skipped i32) (local $maxPercent i32)
    (local $lists i32) (local $compact i32)
    ;; Byte strides of op(A) between rows (si) and between depths (sp).
    (if (local.get $transA)
      (then (local.set $si (i32.const 4)) (local.set $sp (i32.shl (local.get $lda) (i32.const 2))))
      (else (local.set $si (i32.shl (local.get $lda) (i32.const 2))) (local.set $sp (i32.const 4))))
    (local.set $ldc (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $spill (i32.add (local.get $work) (i32.shl (i32.mul (global.get $KC) (global.get $NC)) (i32.const 2))))
    (local.set $lists (i32.add (local.get $work) (i32.shl (global.get $KC) (i32.const 5))))
    ;; The swizzle table of the zero-skipping lists, after the spill tile, for a product that may skip zeros.
    (local.set $compact (i32.add (local.get $spill) (i32.const 128)))
    (if (i32.and (i32.eqz (local.get $transB)) (i32.ge_u (local.get $n) (global.get $ZERO_SKIP_MIN_COLUMNS)))
      (then (memory.init $compactLanes (local.get $compact) (i32.const 0) (i32.const 256))))
    (local.set $ldbBytes (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $jc (i32.const 0))
    (loop $columnBlocks
      (local.set $nc (select (i32.sub (local.get $n) (local.get $jc)) (global.get $NC)
        (i32.lt_u (i32.sub (local.get $n) (local.get $jc)) (global.get $NC))))
      ;; Zero skipping reads B in place, 28 columns at a time: a plain B, over a block at least ZERO_SKIP_MIN_COLUMNS
      ;; wide (the block is at most NC wide, and a thread's share of a product split by columns narrower). It pays up
      ;; to a density that grows with the width, since the list of a row's nonzeros serves more columns, and is higher
      ;; with a transposed A (whose dense tiles read A a row apart per depth): the thresholds are in tuning.ts.
      (local.set $zeroSkip (i32.and (i32.eqz (local.get $transB))
        (i32.ge_u (local.get $nc) (global.get $ZERO_SKIP_MIN_COLUMNS))))
      (local.set $maxPercent (select
        (select (global.get $ZERO_SKIP_MAX_PERCENT_WIDE_TRANSPOSED) (global.get $ZERO_SKIP_MAX_PERCENT_WIDE)
          (local.get $transA))
        (global.get $ZERO_SKIP_MAX_PERCENT)
        (i32.ge_u (local.get $nc) (global.get $ZERO_SKIP_WIDE_COLUMNS))))
      (local.set $pc (i32.const 0))
      (loop $depthBlocks
        (local.set $kc (select (i32.sub (local.get $k) (local.get $pc)) (global.get $KC)
          (i32.lt_u (i32.sub (local.get $k) (local.get $pc)) (global.get $KC))))
        ;; A transposed B is packed whole. A plain B is read in place, its rows already holding 8 adjacent columns,
        ;; except a last panel narrower than 8, which is packed (zero-padded) at the start of work.
        (if (local.get $transB)
          (then
            (call $packB (i32.const 1) (local.get $b) (local.get $ldb) (local.get $pc) (local.get $kc)
              (local.get $jc) (local.get $nc) (local.get $work)))
          (else
            (if (i32.and (local.get $nc) (i32.const 7))
              (then
                (call $packB (i32.const 0) (local.get $b) (local.get $ldb) (local.get $pc) (local.get $kc)
                  (i32.add (local.get $jc) (i32.and (local.get $nc) (i32.const -8)))
                  (i32.and (local.get $nc) (i32.const 7)) (local.get $work))))))
        ;; The first depth block applies β; the later ones accumulate.
        (local.set $betaBlock (select (local.get $beta) (f32.const 1) (i32.eqz (local.get $pc))))
        ;; Whether this block of B is finite: -1 until a tile asks.
        (local.set $bFinite (i32.const -1))
        (local.set $i (i32.const 0))
        (loop $rowTiles
          (local.set $rows (select (i32.sub (local.get $m) (local.get $i)) (i32.const 4)
            (i32.lt_u (i32.sub (local.get $m) (local.get $i)) (i32.const 4))))
          (local.set $pa (i32.add (local.get $a) (i32.add
            (i32.mul (local.get $i) (local.get $si)) (i32.mul (local.get $pc) (local.get $sp)))))
          (block $tileDone
          ;; The last 1 to 3 rows of a plain A against a plain B (one image through a dense layer, a batch that is not a
          ;; multiple of 4): row by row, every depth listed (zeros too, so no check of B is needed), where the dense
          ;; tile would compute 4 rows to keep 1 to 3. Same result bit for bit (sparseRow's arithmetic is the tile's).
          (if (i32.and (i32.lt_u (local.get $rows) (i32.const 4))
                (i32.eqz (i32.or (local.get $transA) (local.get $transB)))) (then
            (local.set $r (i32.const 0))
            (loop $edgeRows
              (call $sparseRow
                (local.get $lists)
                (call $rowEntries (i32.add (local.get $pa) (i32.mul (local.get $r) (local.get $si))) (local.get $kc)
                  (local.get $ldbBytes) (local.get $lists))
                (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb))
                  (local.get $jc)) (i32.const 2)))
                (local.get $nc)
                (i32.add (local.get $c) (i32.add (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $ldc))
                  (i32.shl (local.get $jc) (i32.const 2))))
                (local.get $alpha) (local.get $betaBlock))
              (br_if $edgeRows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $rows))))
            (br $tileDone)))
          ;; A full tile that is at most maxPercent nonzeros skips its zeros, if B is finite over the block. After a
          ;; tile that did, the next is tried directly (building its lists counts them); after one that did not, only
          ;; once a count shows it is sparse. (`if` rather than `i32.or` or `select`, which evaluate both operands.)
          (if (i32.and (i32.and (local.get $zeroSkip) (i32.eq (local.get $rows) (i32.const 4)))
                (i32.ne (local.get $bFinite) (i32.const 0))) (then
            (if (if (result i32) (local.get $skipped)
                  (then (i32.const 1))
                  (else (i32.le_u (i32.mul (call $nonzeros4 (local.get $transA) (local.get $pa) (local.get $si)
                      (local.get $sp) (local.get $kc)) (i32.const 100))
                    (i32.mul (i32.shl (local.get $kc) (i32.const 2)) (local.get $maxPercent)))))
              (then
                (if (i32.lt_s (local.get $bFinite) (i32.const 0)) (then
                  (local.set $bFinite (call $finite
                    (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb))
                      (local.get $jc)) (i32.const 2)))
                    (local.get $ldbBytes) (local.get $kc) (local.get $nc)))))
                (local.set $skipped (i32.const 0))
                (if (local.get $bFinite) (then (local.set $skipped (call $sparseTile (local.get $transA) (local.get $pa)
                  (local.get $si) (local.get $sp) (local.get $kc)
                  (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb))
                    (local.get $jc)) (i32.const 2)))
                  (local.get $ldbBytes) (local.get $nc)
                  (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc))
                    (i32.shl (local.get $jc) (i32.const 2))))
                  (local.get $ldc) (local.get $alpha) (local.get $betaBlock)
                  (local.get $lists) (local.get $maxPercent) (local.get $compact)))))
                (br_if $tileDone (local.get $skipped))))))
          (local.set $pb (local.get $work))
          (local.set $j (i32.const 0))
          (loop $columnTiles
            (local.set $cols (select (i32.sub (local.get $nc) (local.get $j)) (i32.const 8)
              (i32.lt_u (i32.sub (local.get $nc) (local.get $j)) (i32.const 8))))
            (local.set $cp (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc))
              (i32.shl (i32.add (local.get $jc) (local.get $j)) (i32.const 2)))))
            ;; Where this panel of B is: in place in a plain B (full panels), else packed.
            (if (i32.or (local.get $transB) (i32.lt_u (local.get $cols) (i32.const 8)))
              (then
                (local.set $panel (select (local.get $pb) (local.get $work) (local.get $transB)))
                (local.set $sb (i32.const 32)))
              (else
                (local.set $panel (i32.add (local.get $b) (i32.shl (i32.add (i32.mul (local.get $pc) (local.get $ldb))
                  (i32.add (local.get $jc) (local.get $j))) (i32.const 2))))
                (local.set $sb (i32.shl (local.get $ldb) (i32.const 2)))))
            (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
              (then
                (call $tile (local.get $kc) (local.get $pa) (local.get $si) (local.get $sp) (local.get $panel)
                  (local.get $sb) (local.get $cp) (local.get $ldc) (local.get $alpha) (local.get $betaBlock)))
              (else
                ;; Edge tile: compute it into the spill tile (4 × 4 when 4 columns or fewer are left, else 4 × 8),
                ;; then merge the valid part.
                (if (i32.le_u (local.get $cols) (i32.const 4))
                  (then
                    (call $tile4 (local.get $kc) (local.get $pa) (local.get $si) (local.get $sp) (local.get $panel)
                      (local.get $sb) (local.get $spill) (local.get $alpha)))
                  (else
                    (call $tile (local.get $kc) (local.get $pa) (local.get $si) (local.get $sp) (local.get $panel)
                      (local.get $sb) (local.get $spill) (i32.const 32) (local.get $alpha) (f32.const 0))))
                (local.set $r (i32.const 0))
                (loop $spillRows
                  (local.set $src (i32.add (local.get $spill) (i32.shl (local.get $r) (i32.const 5))))
                  (local.set $dst (i32.add (local.get $cp) (i32.mul (local.get $r) (local.get $ldc))))
                  (local.set $q (i32.const 0))
                  (loop $spillColumns
                    (if (f32.eq (local.get $betaBlock) (f32.const 0))
                      (then (f32.store (local.get $dst) (f32.load (local.get $src))))
                      (else (f32.store (local.get $dst) (f32.add (f32.load (local.get $src))
                        (f32.mul (local.get $betaBlock) (f32.load (local.get $dst)))))))
                    (local.set $src (i32.add (local.get $src) (i32.const 4)))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                    (br_if $spillColumns (i32.lt_u (local.tee $q (i32.add (local.get $q) (i32.const 1)))
                      (local.get $cols))))
                  (br_if $spillRows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1)))
                    (local.get $rows))))))
            (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $kc) (i32.const 5))))
            (br_if $columnTiles (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $nc)))))
          ;; A row tile is at most 4 × NC × KC multiply-adds: the heartbeat moves far more often than the stall deadline.
          (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
          (br_if $rowTiles (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $m))))
        (br_if $depthBlocks (i32.lt_u (local.tee $pc (i32.add (local.get $pc) (global.get $KC))) (local.get $k))))
      (br_if $columnBlocks (i32.lt_u (local.tee $jc (i32.add (local.get $jc) (global.get $NC))) (local.get $n)))))

  ;; A batch of gemm calls: product i reads op(A) at a + i·strideA and op(B) at b + i·strideB, and writes C at
  ;; c + i·strideC (byte strides; 0 for an operand shared by every product). With strideC 0 the products are summed
  ;; into C in order, the first applying β. Each product is one gemm call, computed exactly as that call alone; the
  ;; loop runs here so that a batch costs one call from JavaScript (or one job for a worker), not one per product.
  (func (export "gemm_batched") (param $count i32) (param $transA i32) (param $transB i32) (param $m i32)
        (param $n i32) (param $k i32) (param $alpha f32) (param $a i32) (param $lda i32) (param $strideA i32)
        (param $b i32) (param $ldb i32) (param $strideB i32) (param $beta f32) (param $c i32) (param $ldc i32)
        (param $strideC i32) (param $work i32) (param $progress i32)
    (local $i i32)
    (loop $products
      (call $gemm (local.get $transA) (local.get $transB) (local.get $m) (local.get $n) (local.get $k)
        (local.get $alpha) (local.get $a) (local.get $lda) (local.get $b) (local.get $ldb)
        (select (f32.const 1) (local.get $beta) (i32.and (i32.eqz (local.get $strideC)) (i32.ne (local.get $i) (i32.const 0))))
        (local.get $c) (local.get $ldc) (local.get $work) (local.get $progress))
      (local.set $a (i32.add (local.get $a) (local.get $strideA)))
      (local.set $b (i32.add (local.get $b) (local.get $strideB)))
      (local.set $c (i32.add (local.get $c) (local.get $strideC)))
      (br_if $products (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $count)))))

  ;; dst[r, 0:cols] += src[r, 0:cols] for each of rows rows, lds and ldd the row strides in floats: a gemm computed
  ;; in two halves of its depth adds the second half's product into C with this.
  (func (export "add_block") (param $rows i32) (param $cols i32) (param $src i32) (param $lds i32) (param $dst i32)
        (param $ldd i32)
    (local $s i32) (local $d i32) (local $end i32)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $cols))) (then (return)))
    (local.set $lds (i32.shl (local.get $lds) (i32.const 2)))
    (local.set $ldd (i32.shl (local.get $ldd) (i32.const 2)))
    (loop $rows
      (local.set $s (local.get $src))
      (local.set $d (local.get $dst))
      (local.set $end (i32.add (local.get $d) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
      (block $vectorsDone
        (br_if $vectorsDone (i32.ge_u (local.get $d) (local.get $end)))
        (loop $vectors
          (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br_if $vectors (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 16))) (local.get $end)))))
      (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $cols) (i32.const 3)) (i32.const 2))))
      (block $tailDone
        (br_if $tailDone (i32.ge_u (local.get $d) (local.get $end)))
        (loop $tail
          (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (br_if $tail (i32.lt_u (local.tee $d (i32.add (local.get $d) (i32.const 4))) (local.get $end)))))
      (local.set $src (i32.add (local.get $src) (local.get $lds)))
      (local.set $dst (i32.add (local.get $dst) (local.get $ldd)))
      (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; ---- Elementwise and row-wise kernels: whole f32x4 vectors, then the last 0–3 elements one at a time, so nothing
  ;; past n is written (arrays may be views into larger ones).

  ;; v ← β·v + c·g; θ ← θ − α·v, or θ ← θ − α·(β·v + c·g) when nesterov ≠ 0 (v already updated).
  (func (export "momentum_update") (param $n i32) (param $lr f32) (param $beta f32) (param $scale f32)
        (param $nesterov i32) (param $g i32) (param $v i32) (param $theta i32)
    (local $end i32) (local $vb v128) (local $vc v128) (local $vl v128) (local $step v128) (local $vi v128)
    (local $s f32) (local $w f32)
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $vc (f32x4.splat (local.get $scale)))
    (local.set $vl (f32x4.splat (local.get $lr)))
    (local.set $end (i32.add (local.get $g) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $g) (local.get $end)))
      (loop $vectors
        (local.set $step (f32x4.mul (local.get $vc) (v128.load (local.get $g))))
        (local.set $vi (f32x4.add (f32x4.mul (local.get $vb) (v128.load (local.get $v))) (local.get $step)))
        (v128.store (local.get $v) (local.get $vi))
        (if (local.get $nesterov)
          (then (local.set $vi (f32x4.add (f32x4.mul (local.get $vb) (local.get $vi)) (local.get $step)))))
        (v128.store (local.get $theta)
          (f32x4.sub (v128.load (local.get $theta)) (f32x4.mul (local.get $vl) (local.get $vi))))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (local.set $theta (i32.add (local.get $theta) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 16))) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $g) (local.get $end)))
      (loop $tail
        (local.set $s (f32.mul (local.get $scale) (f32.load (local.get $g))))
        (local.set $w (f32.add (f32.mul (local.get $beta) (f32.load (local.get $v))) (local.get $s)))
        (f32.store (local.get $v) (local.get $w))
        (if (local.get $nesterov)
          (then (local.set $w (f32.add (f32.mul (local.get $beta) (local.get $w)) (local.get $s)))))
        (f32.store (local.get $theta) (f32.sub (f32.load (local.get $theta)) (f32.mul (local.get $lr) (local.get $w))))
        (local.set $v (i32.add (local.get $v) (i32.const 4)))
        (local.set $theta (i32.add (local.get $theta) (i32.const 4)))
        (br_if $tail (i32.lt_u (local.tee $g (i32.add (local.get $g) (i32.const 4))) (local.get $end))))))

  ;; dst[i] = src[i] / divisor in float32 for i < n: bytes (0…255) to floats, sixteen at a time. A float32 division
  ;; is correctly rounded, so each quotient has the bits of the reference's (b / divisor in float64, rounded once to
  ;; float32). A 256-entry table of quotients, looked up one byte at a time, took a third longer for a whole batch:
  ;; `benchmarks/src/datasets.ts`, gather + convert of 64 MNIST images, 65 → 45 µs.
  (func (export "bytes_to_floats") (param $n i32) (param $src i32) (param $divisor f32) (param $dst i32)
    (local $end i32) (local $d v128) (local $v v128) (local $half v128)
    (local.set $d (f32x4.splat (local.get $divisor)))
    (local.set $end (i32.add (local.get $src) (i32.and (local.get $n) (i32.const -16))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $src) (local.get $end)))
      (loop $vectors
        (local.set $v (v128.load (local.get $src)))
        (local.set $half (i16x8.extend_low_i8x16_u (local.get $v)))
        (v128.store offset=0 (local.get $dst)
          (f32x4.div (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $half))) (local.get $d)))
        (v128.store offset=16 (local.get $dst)
          (f32x4.div (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $half))) (local.get $d)))
        (local.set $half (i16x8.extend_high_i8x16_u (local.get $v)))
        (v128.store offset=32 (local.get $dst)
          (f32x4.div (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_u (local.get $half))) (local.get $d)))
        (v128.store offset=48 (local.get $dst)
          (f32x4.div (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_u (local.get $half))) (local.get $d)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (br_if $vectors (i32.lt_u (local.tee $src (i32.add (local.get $src) (i32.const 16))) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.and (local.get $n) (i32.const 15))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $src) (local.get $end)))
      (loop $tail
        (f32.store (local.get $dst) (f32.div (f32.convert_i32_u (i32.load8_u (local.get $src))) (local.get $divisor)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br_if $tail (i32.lt_u (local.tee $src (i32.add (local.get $src) (i32.const 1))) (local.get $end))))))

  ;; out[0:n] = value.
  (func (export "fill") (param $n i32) (param $value f32) (param $out i32)
    (local $end i32) (local $v v128)
    (local.set $v (f32x4.splat (local.get $value)))
    (local.set $end (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $out) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $out) (local.get $v))
        (br_if $vectors (i32.lt_u (local.tee $out (i32.add (local.get $out) (i32.const 16))) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $out) (local.get $end)))
      (loop $tail
        (f32.store (local.get $out) (local.get $value))
        (br_if $tail (i32.lt_u (local.tee $out (i32.add (local.get $out) (i32.const 4))) (local.get $end))))))

  ;; out = max(x, 0), in place (x = out) or not. NaN stays NaN, as f32x4.max propagates it.
  (func (export "relu") (param $n i32) (param $x i32) (param $out i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $x) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $out) (f32x4.max (v128.load (local.get $x)) (v128.const f32x4 0 0 0 0)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 16))) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
      (loop $tail
        (f32.store (local.get $out) (f32.max (f32.load (local.get $x)) (f32.const 0)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br_if $tail (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 4))) (local.get $end))))))

  ;; dx = dy where x > 0, else 0 (NaN in x gives 0; NaN in dy passes where x > 0).
  (func (export "relu_backward") (param $n i32) (param $x i32) (param $dy i32) (param $dx i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (br_if $vectorsDone (i32.ge_u (local.get $x) (local.get $end)))
      (loop $vectors
        (v128.store (local.get $dx) (v128.and (v128.load (local.get $dy))
          (f32x4.gt (v128.load (local.get $x)) (v128.const f32x4 0 0 0 0))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br_if $vectors (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 16))) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
      (loop $tail
        (f32.store (local.get $dx) (select (f32.load (local.get $dy)) (f32.const 0)
          (f32.gt (f32.load (local.get $x)) (f32.const 0))))
        (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 4)))
        (br_if $tail (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 4))) (local.get $end))))))

  ;; out[i, j] = x[i, j] + v[j] for a rows × cols matrix; rows are contiguous (no padding between them), so each row
  ;; runs whole vectors (unaligned) and finishes with scalars.
  (func (export "add_row_vector") (param $rows i32) (param $cols i32) (param $x i32) (param $v i32) (param $out i32)
    (local $j i32) (local $vectors i32)
    (if (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $cols))) (then (return)))
    (local.set $vectors (i32.and (local.get $cols) (i32.const -4)))
    (loop $rows
      (local.set $j (i32.const 0))
      (block $vectorsDone
        (br_if $vectorsDone (i32.eqz (local.get $vectors)))
        (loop $columns
          (v128.store (local.get $out) (f32x4.add (v128.load (local.get $x))
            (v128.load (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (br_if $columns (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $vectors)))))
      (block $scalarsDone
        (br_if $scalarsDone (i32.ge_u (local.get $j) (local.get $cols)))
        (loop $tail
          (f32.store (local.get $out) (f32.add (f32.load (local.get $x))
            (f32.load (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $x (i32.add (local.get $x) (i32.const 4)))
          (local.set $out (i32.add (local.get $out) (i32.const 4)))
          (br_if $tail (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $cols)))))
      (br_if $rows (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; out[i] = Σₛ x[s, i] for a size × inner matrix (rows contiguous), accumulated in float64 like the reference.
  ;; acc: ⌈inner / 4⌉·32 bytes of scratch for the float64 sums.
  (func (export "sum_columns") (param $size i32) (param $inner i32) (param $x i32) (param $out i32) (param $acc i32)
    (local $i i32) (local $s i32) (local $row i32) (local $a i32) (local $vectors i32) (local $v v128)
    (if (i32.eqz (local.get $inner)) (then (return)))
    (local.set $vectors (i32.and (local.get $inner) (i32.const -4)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (i32.add (local.get $inner) (i32.const 4)) (i32.const 3)))
    (local.set $s (i32.const 0))
    (block $rowsDone
      (br_if $rowsDone (i32.eqz (local.get $size)))
      (loop $rows
        (local.set $row (i32.add (local.get $x) (i32.shl (i32.mul (local.get $s) (local.get $inner)) (i32.const 2))))
        (local.set $a (local.get $acc))
        (local.set $i (i32.const 0))
        (block $vectorsDone
          (br_if $vectorsDone (i32.eqz (local.get $vectors)))
          (loop $columns
            (local.set $v (v128.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (local.get $v))))
            (v128.store offset=16 (local.get $a) (f64x2.add (v128.load offset=16 (local.get $a))
              (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7
                (local.get $v) (local.get $v)))))
            (local.set $a (i32.add (local.get $a) (i32.const 32)))
            (br_if $columns (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $vectors)))))
        (block $scalarsDone
          (br_if $scalarsDone (i32.ge_u (local.get $i) (local.get $inner)))
          (loop $tail
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
              (f64.promote_f32 (f32.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))))))
            (local.set $a (i32.add (local.get $a) (i32.const 8)))
            (br_if $tail (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $inner)))))
        (br_if $rows (i32.lt_u (local.tee $s (i32.add (local.get $s) (i32.const 1))) (local.get $size)))))
    (local.set $i (i32.const 0))
    (loop $store
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $i) (i32.const 3))))))
      (br_if $store (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $inner)))))

  ;; ---- Convolution columns (Caffe's layout, as the reference in src/backend/js/im2col.ts): row (c·kh + i)·kw + j of
  ;; col, column oy·outW + ox, holds x[c, oy·sh − ph + i, ox·sw − pw + j], or 0 in the padding.
  (func $im2col (export "im2col") (param $channels i32) (param $height i32) (param $width i32) (param $kh i32) (param $kw i32)
        (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $x i32) (param $col i32)
    (local $outH i32) (local $outW i32) (local $c i32) (local $ki i32) (local $kj i32) (local $oy i32) (local $ox i32)
    (local $y i32) (local $xx i32) (local $plane i32) (local $row i32) (local $n i32) (local $src i32) (local $end i32)
    (local.set $outH (i32.add (i32.div_u (i32.sub (i32.add (local.get $height) (i32.shl (local.get $ph) (i32.const 1)))
      (local.get $kh)) (local.get $sh)) (i32.const 1)))
    (local.set $outW (i32.add (i32.div_u (i32.sub (i32.add (local.get $width) (i32.shl (local.get $pw) (i32.const 1)))
      (local.get $kw)) (local.get $sw)) (i32.const 1)))
    (local.set $c (i32.const 0))
    (loop $channels
      (local.set $plane (i32.add (local.get $x)
        (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $height) (local.get $width))) (i32.const 2))))
      (local.set $ki (i32.const 0))
      (loop $kernelRows
        (local.set $kj (i32.const 0))
        (loop $kernelColumns
          (local.set $oy (i32.const 0))
          (loop $outputRows
            (local.set $y (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph)) (local.get $ki)))
            (if (i32.ge_u (local.get $y) (local.get $height))
              (then
                ;; The whole output row reads the padding (y < 0 wraps to a large unsigned value).
                (memory.fill (local.get $col) (i32.const 0) (i32.shl (local.get $outW) (i32.const 2)))
                (local.set $col (i32.add (local.get $col) (i32.shl (local.get $outW) (i32.const 2)))))
              (else
                (local.set $row (i32.add (local.get $plane) (i32.shl (i32.mul (local.get $y) (local.get $width))
                  (i32.const 2))))
                (local.set $xx (i32.sub (local.get $kj) (local.get $pw)))
                (local.set $ox (local.get $outW))
                (if (i32.eq (local.get $sw) (i32.const 1))
                  (then
                    ;; Stride 1: the row is padding, a run of the image row, padding. First the padding on the left.
                    (local.set $n (i32.const 0))
                    (if (i32.lt_s (local.get $xx) (i32.const 0))
                      (then (local.set $n (i32.sub (i32.const 0) (local.get $xx)))))
                    (if (i32.gt_u (local.get $n) (local.get $ox)) (then (local.set $n (local.get $ox))))
                    (local.set $end (i32.add (local.get $col) (i32.shl (local.get $n) (i32.const 2))))
                    (block $leftDone
                      (br_if $leftDone (i32.ge_u (local.get $col) (local.get $end)))
                      (loop $leftPadding
                        (f32.store (local.get $col) (f32.const 0))
                        (br_if $leftPadding (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 4)))
                          (local.get $end)))))
                    ;; The run: min(what is left of the row, what is left of the image row).
                    (local.set $ox (i32.sub (local.get $ox) (local.get $n)))
                    (local.set $xx (i32.add (local.get $xx) (local.get $n)))
                    (local.set $n (i32.const 0))
                    (if (i32.lt_s (local.get $xx) (local.get $width))
                      (then (local.set $n (i32.sub (local.get $width) (local.get $xx)))))
                    (if (i32.gt_u (local.get $n) (local.get $ox)) (then (local.set $n (local.get $ox))))
                    (local.set $ox (i32.sub (local.get $ox) (local.get $n)))
                    (local.set $src (i32.add (local.get $row) (i32.shl (local.get $xx) (i32.const 2))))
                    (local.set $end (i32.add (local.get $col) (i32.shl (local.get $n) (i32.const 2))))
                    ;; Four values at a time (unaligned), then one at a time; then the padding on the right.
                    (block $vectorsDone
                      (br_if $vectorsDone (i32.gt_u (i32.add (local.get $col) (i32.const 16)) (local.get $end)))
                      (loop $vectors
                        (v128.store (local.get $col) (v128.load (local.get $src)))
                        (local.set $src (i32.add (local.get $src) (i32.const 16)))
                        (br_if $vectors (i32.le_u (i32.add (local.tee $col (i32.add (local.get $col) (i32.const 16)))
                          (i32.const 16)) (local.get $end)))))
                    (block $tailDone
                      (br_if $tailDone (i32.ge_u (local.get $col) (local.get $end)))
                      (loop $tail
                        (f32.store (local.get $col) (f32.load (local.get $src)))
                        (local.set $src (i32.add (local.get $src) (i32.const 4)))
                        (br_if $tail (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 4)))
                          (local.get $end)))))
                    (local.set $end (i32.add (local.get $col) (i32.shl (local.get $ox) (i32.const 2))))
                    (block $rightDone
                      (br_if $rightDone (i32.ge_u (local.get $col) (local.get $end)))
                      (loop $rightPadding
                        (f32.store (local.get $col) (f32.const 0))
                        (br_if $rightPadding (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 4)))
                          (local.get $end))))))
                  (else
                    (loop $outputColumns
                      (f32.store (local.get $col)
                        (if (result f32) (i32.lt_u (local.get $xx) (local.get $width))
                          (then (f32.load (i32.add (local.get $row) (i32.shl (local.get $xx) (i32.const 2)))))
                          (else (f32.const 0))))
                      (local.set $col (i32.add (local.get $col) (i32.const 4)))
                      (local.set $xx (i32.add (local.get $xx) (local.get $sw)))
                      (br_if $outputColumns (local.tee $ox (i32.sub (local.get $ox) (i32.const 1)))))))))
            (br_if $outputRows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
          (br_if $kernelColumns (i32.lt_u (local.tee $kj (i32.add (local.get $kj) (i32.const 1))) (local.get $kw))))
        (br_if $kernelRows (i32.lt_u (local.tee $ki (i32.add (local.get $ki) (i32.const 1))) (local.get $kh))))
      (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $channels)))))

  ;; The adjoint of im2col: adds each entry of col onto the image position it was read from; padding entries drop.
  (func $col2im (export "col2im") (param $channels i32) (param $height i32) (param $width i32) (param $kh i32) (param $kw i32)
        (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $col i32) (param $dx i32)
    (local $outH i32) (local $outW i32) (local $c i32) (local $ki i32) (local $kj i32) (local $oy i32) (local $ox i32)
    (local $y i32) (local $xx i32) (local $plane i32) (local $row i32) (local $at i32) (local $n i32) (local $end i32)
    (local.set $outH (i32.add (i32.div_u (i32.sub (i32.add (local.get $height) (i32.shl (local.get $ph) (i32.const 1)))
      (local.get $kh)) (local.get $sh)) (i32.const 1)))
    (local.set $outW (i32.add (i32.div_u (i32.sub (i32.add (local.get $width) (i32.shl (local.get $pw) (i32.const 1)))
      (local.get $kw)) (local.get $sw)) (i32.const 1)))
    (local.set $c (i32.const 0))
    (loop $channels
      (local.set $plane (i32.add (local.get $dx)
        (i32.shl (i32.mul (local.get $c) (i32.mul (local.get $height) (local.get $width))) (i32.const 2))))
      (local.set $ki (i32.const 0))
      (loop $kernelRows
        (local.set $kj (i32.const 0))
        (loop $kernelColumns
          (local.set $oy (i32.const 0))
          (loop $outputRows
            (local.set $y (i32.add (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph)) (local.get $ki)))
            (if (i32.ge_u (local.get $y) (local.get $height))
              (then (local.set $col (i32.add (local.get $col) (i32.shl (local.get $outW) (i32.const 2)))))
              (else
                (local.set $row (i32.add (local.get $plane) (i32.shl (i32.mul (local.get $y) (local.get $width))
                  (i32.const 2))))
                (local.set $xx (i32.sub (local.get $kj) (local.get $pw)))
                (local.set $ox (local.get $outW))
                (if (i32.eq (local.get $sw) (i32.const 1))
                  (then
                    ;; Stride 1: the row is padding, a run of the image row, padding. First the padding on the left.
                    (local.set $n (i32.const 0))
                    (if (i32.lt_s (local.get $xx) (i32.const 0))
                      (then (local.set $n (i32.sub (i32.const 0) (local.get $xx)))))
                    (if (i32.gt_u (local.get $n) (local.get $ox)) (then (local.set $n (local.get $ox))))
                    (local.set $col (i32.add (local.get $col) (i32.shl (local.get $n) (i32.const 2))))
                    ;; The run: min(what is left of the row, what is left of the image row).
                    (local.set $ox (i32.sub (local.get $ox) (local.get $n)))
                    (local.set $xx (i32.add (local.get $xx) (local.get $n)))
                    (local.set $n (i32.const 0))
                    (if (i32.lt_s (local.get $xx) (local.get $width))
                      (then (local.set $n (i32.sub (local.get $width) (local.get $xx)))))
                    (if (i32.gt_u (local.get $n) (local.get $ox)) (then (local.set $n (local.get $ox))))
                    (local.set $ox (i32.sub (local.get $ox) (local.get $n)))
                    ;; Each entry of the run adds onto its own position: four at a time, then one at a time, the
                    ;; same one addition per entry as the loop below.
                    (local.set $at (i32.add (local.get $row) (i32.shl (local.get $xx) (i32.const 2))))
                    (local.set $end (i32.add (local.get $col) (i32.shl (local.get $n) (i32.const 2))))
                    (block $vectorsDone
                      (br_if $vectorsDone (i32.gt_u (i32.add (local.get $col) (i32.const 16)) (local.get $end)))
                      (loop $vectors
                        (v128.store (local.get $at) (f32x4.add (v128.load (local.get $at)) (v128.load (local.get $col))))
                        (local.set $at (i32.add (local.get $at) (i32.const 16)))
                        (br_if $vectors (i32.le_u (i32.add (local.tee $col (i32.add (local.get $col) (i32.const 16)))
                          (i32.const 16)) (local.get $end)))))
                    (block $tailDone
                      (br_if $tailDone (i32.ge_u (local.get $col) (local.get $end)))
                      (loop $tail
                        (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32.load (local.get $col))))
                        (local.set $at (i32.add (local.get $at) (i32.const 4)))
                        (br_if $tail (i32.lt_u (local.tee $col (i32.add (local.get $col) (i32.const 4)))
                          (local.get $end)))))
                    ;; The padding on the right drops.
                    (local.set $col (i32.add (local.get $col) (i32.shl (local.get $ox) (i32.const 2)))))
                  (else
                    (loop $outputColumns
                      (if (i32.lt_u (local.get $xx) (local.get $width))
                        (then
                          (local.set $at (i32.add (local.get $row) (i32.shl (local.get $xx) (i32.const 2))))
                          (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32.load (local.get $col))))))
                      (local.set $col (i32.add (local.get $col) (i32.const 4)))
                      (local.set $xx (i32.add (local.get $xx) (local.get $sw)))
                      (br_if $outputColumns (local.tee $ox (i32.sub (local.get $ox) (i32.const 1)))))))))
            (br_if $outputRows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
          (br_if $kernelColumns (i32.lt_u (local.tee $kj (i32.add (local.get $kj) (i32.const 1))) (local.get $kw))))
        (br_if $kernelRows (i32.lt_u (local.tee $ki (i32.add (local.get $ki) (i32.const 1))) (local.get $kh))))
      (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $channels)))))

  ;; im2col and col2im over `count` images: image i at x + i·imageBytes, its columns at col + i·columnBytes. One call
  ;; for a run of images, so a batch costs one call from JavaScript, or one job for each thread; each image's columns
  ;; (and, for col2im, its gradient) are its own, so how the images are shared out never changes a result.
  (func (export "im2col_batch") (param $count i32) (param $channels i32) (param $height i32) (param $width i32)
        (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $x i32)
        (param $imageBytes i32) (param $col i32) (param $columnBytes i32) (param $progress i32)
    (loop $images
      (call $im2col (local.get $channels) (local.get $height) (local.get $width) (local.get $kh) (local.get $kw)
        (local.get $sh) (local.get $sw) (local.get $ph) (local.get $pw) (local.get $x) (local.get $col))
      (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
      (local.set $x (i32.add (local.get $x) (local.get $imageBytes)))
      (local.set $col (i32.add (local.get $col) (local.get $columnBytes)))
      (br_if $images (local.tee $count (i32.sub (local.get $count) (i32.const 1))))))

  (func (export "col2im_batch") (param $count i32) (param $channels i32) (param $height i32) (param $width i32)
        (param $kh i32) (param $kw i32) (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $col i32)
        (param $columnBytes i32) (param $dx i32) (param $imageBytes i32) (param $progress i32)
    (loop $images
      (call $col2im (local.get $channels) (local.get $height) (local.get $width) (local.get $kh) (local.get $kw)
        (local.get $sh) (local.get $sw) (local.get $ph) (local.get $pw) (local.get $col) (local.get $dx))
      (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
      (local.set $col (i32.add (local.get $col) (local.get $columnBytes)))
      (local.set $dx (i32.add (local.get $dx) (local.get $imageBytes)))
      (br_if $images (local.tee $count (i32.sub (local.get $count) (i32.const 1))))))

  ;; ---- Max pooling (as src/backend/js/pool2d.ts): out[o] is the maximum of its window, argmax[o] its element index
  ;; in x (the first on ties; the first NaN wins and stays); a window entirely in the padding gives −∞ and −1.
  (func (export "max_pool2d") (param $planes i32) (param $height i32) (param $width i32) (param $kh i32) (param $kw i32)
        (param $sh i32) (param $sw i32) (param $ph i32) (param $pw i32) (param $x i32) (param $out i32)
        (param $argmax i32)
    (local $outH i32) (local $outW i32) (local $p i32) (local $plane i32) (local $oy i32) (local $ox i32)
    (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32) (local $yy i32) (local $i i32) (local $end i32)
    (local $index i32) (local $best f32) (local $v f32) (local $t i32)
    (local.set $outH (i32.add (i32.div_u (i32.sub (i32.add (local.get $height) (i32.shl (local.get $ph) (i32.const 1)))
      (local.get $kh)) (local.get $sh)) (i32.const 1)))
    (local.set $outW (i32.add (i32.div_u (i32.sub (i32.add (local.get $width) (i32.shl (local.get $pw) (i32.const 1)))
      (local.get $kw)) (local.get $sw)) (i32.const 1)))
    (local.set $p (i32.const 0))
    (loop $planes
      (local.set $plane (i32.mul (local.get $p) (i32.mul (local.get $height) (local.get $width))))
      (local.set $oy (i32.const 0))
      (loop $outputRows
        (local.set $t (i32.sub (i32.mul (local.get $oy) (local.get $sh)) (local.get $ph)))
        (local.set $y0 (select (local.get $t) (i32.const 0) (i32.gt_s (local.get $t) (i32.const 0))))
        (local.set $t (i32.add (local.get $t) (local.get $kh)))
        (local.set $y1 (select (local.get $t) (local.get $height) (i32.lt_s (local.get $t) (local.get $height))))
        (local.set $ox (i32.const 0))
        (loop $outputColumns
          (local.set $t (i32.sub (i32.mul (local.get $ox) (local.get $sw)) (local.get $pw)))
          (local.set $x0 (select (local.get $t) (i32.const 0) (i32.gt_s (local.get $t) (i32.const 0))))
          (local.set $t (i32.add (local.get $t) (local.get $kw)))
          (local.set $x1 (select (local.get $t) (local.get $width) (i32.lt_s (local.get $t) (local.get $width))))
          (local.set $best (f32.const -inf))
          (local.set $index (i32.const -1))
          (local.set $yy (local.get $y0))
          (block $windowDone
            (br_if $windowDone (i32.ge_s (local.get $yy) (local.get $y1)))
            (br_if $windowDone (i32.ge_s (local.get $x0) (local.get $x1)))
            (loop $windowRows
              (local.set $i (i32.add (local.get $plane) (i32.add (i32.mul (local.get $yy) (local.get $width))
                (local.get $x0))))
              (local.set $end (i32.add (local.get $i) (i32.sub (local.get $x1) (local.get $x0))))
              (loop $windowColumns
                (local.set $v (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
                (if (i32.or (i32.or (f32.gt (local.get $v) (local.get $best))
                      (i32.and (f32.ne (local.get $v) (local.get $v)) (f32.eq (local.get $best) (local.get $best))))
                      (i32.lt_s (local.get $index) (i32.const 0)))
                  (then (local.set $best (local.get $v)) (local.set $index (local.get $i))))
                (br_if $windowColumns (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $end))))
              (br_if $windowRows (i32.lt_s (local.tee $yy (i32.add (local.get $yy) (i32.const 1))) (local.get $y1)))))
          (f32.store (local.get $out) (local.get $best))
          (i32.store (local.get $argmax) (local.get $index))
          (local.set $out (i32.add (local.get $out) (i32.const 4)))
          (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))
          (br_if $outputColumns (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW))))
        (br_if $outputRows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
      (br_if $planes (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $planes)))))

  ;; Max pooling with the 2 × 2 window at stride 2 and no padding that most networks use, over `planes` planes of
  ;; height × width: the results of max_pool2d (same maxima, same first-on-ties and first-NaN argmax), four outputs
  ;; at a time. The four candidates of a window are taken in max_pool2d's order, (y, x), (y, x+1), (y+1, x),
  ;; (y+1, x+1), and each replaces the best so far when greater, or when NaN over a best that is not.
  ;; Planes `from` to `to` (exclusive, from < to), so that threads can take ranges of them: x is plane 0's start
  ;; (argmax holds indices into x, whichever range is computed), out and argmax point at plane from's first output.
  ;; progress: 0, or the byte offset of an i32 beaten after every plane.
  (func (export "max_pool2x2") (param $from i32) (param $to i32) (param $height i32) (param $width i32) (param $x i32)
        (param $out i32) (param $argmax i32) (param $progress i32)
    (local $outH i32) (local $outW i32) (local $p i32) (local $oy i32) (local $ox i32) (local $base i32) (local $at i32)
    (local $r0a v128) (local $r0b v128) (local $r1a v128) (local $r1b v128) (local $v v128) (local $take v128)
    (local $best v128) (local $index v128) (local $i0 v128) (local $row v128)
    (local $sb f32) (local $sv f32) (local $si i32) (local $k i32) (local $ci i32)
    (local.set $outH (i32.shr_u (local.get $height) (i32.const 1)))
    (local.set $outW (i32.shr_u (local.get $width) (i32.const 1)))
    (if (i32.eqz (i32.mul (local.get $outH) (local.get $outW))) (then (return)))
    (local.set $row (i32x4.splat (local.get $width)))
    (local.set $p (local.get $from))
    (loop $planes
      (local.set $oy (i32.const 0))
      (loop $outputRows
        (local.set $ox (i32.const 0))
        ;; Four outputs at a time: two vectors of each input row, their even and odd lanes.
        (block $vectorsDone
          (br_if $vectorsDone (i32.gt_u (i32.add (local.get $ox) (i32.const 4)) (local.get $outW)))
          (loop $vectors
            (local.set $base (i32.add (i32.mul (i32.add (i32.mul (local.get $p) (local.get $height))
              (i32.shl (local.get $oy) (i32.const 1))) (local.get $width)) (i32.shl (local.get $ox) (i32.const 1))))
            (local.set $at (i32.add (local.get $x) (i32.shl (local.get $base) (i32.const 2))))
            (local.set $r0a (v128.load (local.get $at)))
            (local.set $r0b (v128.load offset=16 (local.get $at)))
            (local.set $at (i32.add (local.get $at) (i32.shl (local.get $width) (i32.const 2))))
            (local.set $r1a (v128.load (local.get $at)))
            (local.set $r1b (v128.load offset=16 (local.get $at)))
            (local.set $i0 (i32x4.add (i32x4.splat (local.get $base)) (v128.const i32x4 0 2 4 6)))
            (local.set $best (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $r0a) (local.get $r0b)))
            (local.set $index (local.get $i0))
            (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $r0a) (local.get $r0b)))
            (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $best))
              (v128.and (f32x4.ne (local.get $v) (local.get $v)) (f32x4.eq (local.get $best) (local.get $best)))))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $take)))
            (local.set $index (v128.bitselect (i32x4.add (local.get $i0) (v128.const i32x4 1 1 1 1)) (local.get $index)
              (local.get $take)))
            (local.set $v (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $r1a) (local.get $r1b)))
            (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $best))
              (v128.and (f32x4.ne (local.get $v) (local.get $v)) (f32x4.eq (local.get $best) (local.get $best)))))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $take)))
            (local.set $index (v128.bitselect (i32x4.add (local.get $i0) (local.get $row)) (local.get $index)
              (local.get $take)))
            (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $r1a) (local.get $r1b)))
            (local.set $take (v128.or (f32x4.gt (local.get $v) (local.get $best))
              (v128.and (f32x4.ne (local.get $v) (local.get $v)) (f32x4.eq (local.get $best) (local.get $best)))))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $take)))
            (local.set $index (v128.bitselect
              (i32x4.add (i32x4.add (local.get $i0) (local.get $row)) (v128.const i32x4 1 1 1 1))
              (local.get $index) (local.get $take)))
            (v128.store (local.get $out) (local.get $best))
            (v128.store (local.get $argmax) (local.get $index))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (local.set $argmax (i32.add (local.get $argmax) (i32.const 16)))
            (br_if $vectors (i32.le_u (i32.add (local.tee $ox (i32.add (local.get $ox) (i32.const 4))) (i32.const 4))
              (local.get $outW)))))
        ;; The last 0 to 3 outputs of the row one at a time, with the same order and rule.
        (block $tailDone
          (br_if $tailDone (i32.ge_u (local.get $ox) (local.get $outW)))
          (loop $tail
            (local.set $base (i32.add (i32.mul (i32.add (i32.mul (local.get $p) (local.get $height))
              (i32.shl (local.get $oy) (i32.const 1))) (local.get $width)) (i32.shl (local.get $ox) (i32.const 1))))
            (local.set $si (local.get $base))
            (local.set $sb (f32.load (i32.add (local.get $x) (i32.shl (local.get $base) (i32.const 2)))))
            (local.set $k (i32.const 1))
            (loop $candidates
              ;; Candidate k of the window: k & 1 the column, k >> 1 the row.
              (local.set $ci (i32.add (i32.add (local.get $base) (i32.and (local.get $k) (i32.const 1)))
                (i32.mul (i32.shr_u (local.get $k) (i32.const 1)) (local.get $width))))
              (local.set $sv (f32.load (i32.add (local.get $x) (i32.shl (local.get $ci) (i32.const 2)))))
              (if (i32.or (f32.gt (local.get $sv) (local.get $sb))
                    (i32.and (f32.ne (local.get $sv) (local.get $sv)) (f32.eq (local.get $sb) (local.get $sb))))
                (then (local.set $sb (local.get $sv)) (local.set $si (local.get $ci))))
              (br_if $candidates (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (i32.const 4))))
            (f32.store (local.get $out) (local.get $sb))
            (i32.store (local.get $argmax) (local.get $si))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))
            (br_if $tail (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $outW)))))
        (br_if $outputRows (i32.lt_u (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $outH))))
      (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
      (br_if $planes (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $to)))))

  ;; Max pooling's backward pass: dx[argmax[o]] += dy[o] for o < n, in order; an index outside dx's `size` elements
  ;; (−1: a window in the padding) is skipped, as the reference's typed array ignores it. One f32 addition per output,
  ;; as the reference's float64 sum rounded once: the same bits.
  (func (export "max_pool_backward") (param $n i32) (param $dy i32) (param $argmax i32) (param $dx i32)
        (param $size i32)
    (local $end i32) (local $i i32) (local $at i32)
    (local.set $end (i32.add (local.get $dy) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $dy) (local.get $end)))
      (loop $outputs
        (local.set $i (i32.load (local.get $argmax)))
        (if (i32.lt_u (local.get $i) (local.get $size))
          (then
            (local.set $at (i32.add (local.get $dx) (i32.shl (local.get $i) (i32.const 2))))
            (f32.store (local.get $at) (f32.add (f32.load (local.get $at)) (f32.load (local.get $dy))))))
        (local.set $argmax (i32.add (local.get $argmax) (i32.const 4)))
        (br_if $outputs (i32.lt_u (local.tee $dy (i32.add (local.get $dy) (i32.const 4))) (local.get $end))))))

  ;; ---- Batch normalisation over [outer, channels, inner] (as src/backend/js/batch-norm.ts): each channel's values are
  ;; `outer` contiguous runs of `inner` floats, `channels·inner` apart. Sums and the normalisation run in float64.

  ;; Σ of a run of `count` floats at p, with four accumulators so the additions do not wait on each other.
  (func $sumRun (param $p i32) (param $count i32) (result f64)
    (local $a f64) (local $b f64) (local $c f64) (local $d f64) (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 2))))
    (block $quadsDone
      (br_if $quadsDone (i32.ge_u (local.get $p) (local.get $end)))
      (loop $quads
        (local.set $a (f64.add (local.get $a) (f64.promote_f32 (f32.load (local.get $p)))))
        (local.set $b (f64.add (local.get $b) (f64.promote_f32 (f32.load offset=4 (local.get $p)))))
        (local.set $c (f64.add (local.get $c) (f64.promote_f32 (f32.load offset=8 (local.get $p)))))
        (local.set $d (f64.add (local.get $d) (f64.promote_f32 (f32.load offset=12 (local.get $p)))))
        (br_if $quads (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end)))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $count) (i32.const 3)) (i32.const 2))))
    (block $tailDone
      (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
      (loop $tail
        (local.set $a (f64.add (local.get $a) (f64.promote_f32 (f32.load (local.get $p)))))
        (br_if $tail (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $end)))))
    (f64.add (f64.add (local.get $a) (local.get $b)) (f64.add (local.get $c) (local.get $d))))

  ;; Σ (x − m)² of a run.
  (func $squaresRun (param $p i32) (param $count i32) (param $m f64) (result f64)
    (local $a f64) (local $b f64) (local $t f64) (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 2))))
    (block $pairsDone
      (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $end)))
      (loop $pairs
        (local.set $t (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $m)))
        (local.set $a (f64.add (local.get $a) (f64.mul (local.get $t) (local.get $t))))
        (local.set $t (f64.sub (f64.promote_f32 (f32.load offset=4 (local.get $p))) (local.get $m)))
        (local.set $b (f64.add (local.get $b) (f64.mul (local.get $t) (local.get $t))))
        (br_if $pairs (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 8))) (local.get $end)))))
    (if (i32.and (local.get $count) (i32.const 1))
      (then
        (local.set $t (f64.sub (f64.promote_f32 (f32.load (local.get $p))) (local.get $m)))
        (local.set $a (f64.add (local.get $a) (f64.mul (local.get $t) (local.get $t))))))
    (f64.add (local.get $a) (local.get $b)))

  ;; Channels `from` to `to` (exclusive, from < to) of `channels`: a thread computes a range of them, each channel
  ;; exactly as when one thread does all. progress: 0, or the byte offset of an i32 beaten after every channel.
  (func (export "batch_norm_statistics") (param $outer i32) (param $channels i32) (param $inner i32) (param $from i32)
        (param $to i32) (param $x i32) (param $mean i32) (param $variance i32) (param $progress i32)
    (local $c i32) (local $o i32) (local $run i32) (local $stride i32) (local $n f64) (local $sum f64) (local $m f64)
    (local.set $n (f64.convert_i32_u (i32.mul (local.get $outer) (local.get $inner))))
    (local.set $stride (i32.shl (i32.mul (local.get $channels) (local.get $inner)) (i32.const 2)))
    (local.set $c (local.get $from))
    (loop $channels
      (local.set $sum (f64.const 0))
      (local.set $run (i32.add (local.get $x) (i32.shl (i32.mul (local.get $c) (local.get $inner)) (i32.const 2))))
      (local.set $o (local.get $outer))
      (loop $runs
        (local.set $sum (f64.add (local.get $sum) (call $sumRun (local.get $run) (local.get $inner))))
        (local.set $run (i32.add (local.get $run) (local.get $stride)))
        (br_if $runs (local.tee $o (i32.sub (local.get $o) (i32.const 1)))))
      (local.set $m (f64.div (local.get $sum) (local.get $n)))
      (local.set $sum (f64.const 0))
      (local.set $run (i32.add (local.get $x) (i32.shl (i32.mul (local.get $c) (local.get $inner)) (i32.const 2))))
      (local.set $o (local.get $outer))
      (loop $runs
        (local.set $sum (f64.add (local.get $sum) (call $squaresRun (local.get $run) (local.get $inner) (local.get $m))))
        (local.set $run (i32.add (local.get $run) (local.get $stride)))
        (br_if $runs (local.tee $o (i32.sub (local.get $o) (i32.const 1)))))
      (f32.store (i32.add (local.get $mean) (i32.shl (local.get $c) (i32.const 2))) (f32.demote_f64 (local.get $m)))
      (f32.store (i32.add (local.get $variance) (i32.shl (local.get $c) (i32.const 2)))
        (f32.demote_f64 (f64.div (local.get $sum) (local.get $n))))
      (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
      (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $to)))))

  ;; x̂ = (x − mean)/√(variance + ε), y = γ·x̂ + β; xhat and y may be x (each element is read before it is written), not
  ;; each other.
  ;; Channels `from` to `to` (exclusive), as batch_norm_statistics.
  (func (export "batch_norm_forward") (param $outer i32) (param $channels i32) (param $inner i32) (param $from i32)
        (param $to i32) (param $epsilon f64) (param $x i32) (param $mean i32) (param $variance i32) (param $gamma i32)
        (param $beta i32) (param $xhat i32) (param $y i32) (param $progress i32)
    (local $c i32) (local $o i32) (local $i i32) (local $at i32) (local $stride i32)
    (local $m f64) (local $invStd f64) (local $g f64) (local $b f64) (local $h f64)
    (local $m2 v128) (local $invStd2 v128) (local $g2 v128) (local $b2 v128) (local $h2 v128)
    (local.set $stride (i32.mul (local.get $channels) (local.get $inner)))
    (local.set $c (local.get $from))
    (loop $channels
      (local.set $at (i32.shl (local.get $c) (i32.const 2)))
      (local.set $m (f64.promote_f32 (f32.load (i32.add (local.get $mean) (local.get $at)))))
      (local.set $invStd (f64.div (f64.const 1) (f64.sqrt (f64.add
        (f64.promote_f32 (f32.load (i32.add (local.get $variance) (local.get $at)))) (local.get $epsilon)))))
      (local.set $g (f64.promote_f32 (f32.load (i32.add (local.get $gamma) (local.get $at)))))
      (local.set $b (f64.promote_f32 (f32.load (i32.add (local.get $beta) (local.get $at)))))
      (local.set $m2 (f64x2.splat (local.get $m)))
      (local.set $invStd2 (f64x2.splat (local.get $invStd)))
      (local.set $g2 (f64x2.splat (local.get $g)))
      (local.set $b2 (f64x2.splat (local.get $b)))
      (local.set $o (i32.const 0))
      (loop $runs
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $o) (local.get $stride))
          (i32.mul (local.get $c) (local.get $inner))) (i32.const 2)))
        ;; Two elements at a time in float64 lanes (each lane's arithmetic is the scalar loop's, bit for bit), then
        ;; the odd one.
        (local.set $i (local.get $inner))
        (block $pairsDone
          (br_if $pairsDone (i32.lt_u (local.get $i) (i32.const 2)))
          (loop $pairs
            (local.set $h2 (f64x2.mul (f64x2.sub (f64x2.promote_low_f32x4
              (v128.load64_zero (i32.add (local.get $x) (local.get $at)))) (local.get $m2)) (local.get $invStd2)))
            (v128.store64_lane 0 (i32.add (local.get $xhat) (local.get $at)) (f32x4.demote_f64x2_zero (local.get $h2)))
            (v128.store64_lane 0 (i32.add (local.get $y) (local.get $at)) (f32x4.demote_f64x2_zero
              (f64x2.add (f64x2.mul (local.get $g2) (local.get $h2)) (local.get $b2))))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (br_if $pairs (i32.ge_u (local.tee $i (i32.sub (local.get $i) (i32.const 2))) (i32.const 2)))))
        (if (local.get $i)
          (then
            (local.set $h (f64.mul (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $at))))
              (local.get $m)) (local.get $invStd)))
            (f32.store (i32.add (local.get $xhat) (local.get $at)) (f32.demote_f64 (local.get $h)))
            (f32.store (i32.add (local.get $y) (local.get $at))
              (f32.demote_f64 (f64.add (f64.mul (local.get $g) (local.get $h)) (local.get $b))))))
        (br_if $runs (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $outer))))
      (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
      (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $to)))))

  ;; Per channel: dγ += Σ dy·x̂, dβ += Σ dy, then dx = (γ/σ)·(dy − mean(dy) − x̂·mean(dy·x̂)) (batch statistics) or
  ;; (γ/σ)·dy into dx, which may be dy or xhat (the sums are complete first, and each element is read before it is
  ;; written).
  ;; Channels `from` to `to` (exclusive), as batch_norm_statistics.
  (func (export "batch_norm_backward") (param $outer i32) (param $channels i32) (param $inner i32) (param $from i32)
        (param $to i32) (param $epsilon f64) (param $batchStatistics i32) (param $xhat i32) (param $dy i32)
        (param $variance i32) (param $gamma i32) (param $dgamma i32) (param $dbeta i32) (param $dx i32)
        (param $progress i32)
    (local $c i32) (local $o i32) (local $i i32) (local $at i32) (local $stride i32) (local $cAt i32)
    (local $sumDy f64) (local $sumDyXhat f64) (local $n f64) (local $k f64) (local $meanDy f64) (local $meanDyXhat f64)
    (local $d f64) (local $k2 v128) (local $meanDy2 v128) (local $meanDyXhat2 v128)
    (local.set $n (f64.convert_i32_u (i32.mul (local.get $outer) (local.get $inner))))
    (local.set $stride (i32.mul (local.get $channels) (local.get $inner)))
    (local.set $c (local.get $from))
    (loop $channels
      (local.set $sumDy (f64.const 0))
      (local.set $sumDyXhat (f64.const 0))
      (local.set $o (i32.const 0))
      (loop $runs
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $o) (local.get $stride))
          (i32.mul (local.get $c) (local.get $inner))) (i32.const 2)))
        (local.set $i (local.get $inner))
        (loop $elements
          (local.set $d (f64.promote_f32 (f32.load (i32.add (local.get $dy) (local.get $at)))))
          (local.set $sumDy (f64.add (local.get $sumDy) (local.get $d)))
          (local.set $sumDyXhat (f64.add (local.get $sumDyXhat) (f64.mul (local.get $d)
            (f64.promote_f32 (f32.load (i32.add (local.get $xhat) (local.get $at)))))))
          (local.set $at (i32.add (local.get $at) (i32.const 4)))
          (br_if $elements (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
        (br_if $runs (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $outer))))
      (local.set $cAt (i32.shl (local.get $c) (i32.const 2)))
      (f32.store (i32.add (local.get $dgamma) (local.get $cAt)) (f32.demote_f64 (f64.add
        (f64.promote_f32 (f32.load (i32.add (local.get $dgamma) (local.get $cAt)))) (local.get $sumDyXhat))))
      (f32.store (i32.add (local.get $dbeta) (local.get $cAt)) (f32.demote_f64 (f64.add
        (f64.promote_f32 (f32.load (i32.add (local.get $dbeta) (local.get $cAt)))) (local.get $sumDy))))
      (local.set $k (f64.div (f64.promote_f32 (f32.load (i32.add (local.get $gamma) (local.get $cAt))))
        (f64.sqrt (f64.add (f64.promote_f32 (f32.load (i32.add (local.get $variance) (local.get $cAt))))
          (local.get $epsilon)))))
      (local.set $meanDy (f64.const 0))
      (local.set $meanDyXhat (f64.const 0))
      (if (local.get $batchStatistics)
        (then
          (local.set $meanDy (f64.div (local.get $sumDy) (local.get $n)))
          (local.set $meanDyXhat (f64.div (local.get $sumDyXhat) (local.get $n)))))
      (local.set $k2 (f64x2.splat (local.get $k)))
      (local.set $meanDy2 (f64x2.splat (local.get $meanDy)))
      (local.set $meanDyXhat2 (f64x2.splat (local.get $meanDyXhat)))
      (local.set $o (i32.const 0))
      (loop $runs
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $o) (local.get $stride))
          (i32.mul (local.get $c) (local.get $inner))) (i32.const 2)))
        ;; dx two elements at a time in float64 lanes (the scalar arithmetic, bit for bit), then the odd one. (The
        ;; sums above stay scalar: their order is the reference's.)
        (local.set $i (local.get $inner))
        (block $pairsDone
          (br_if $pairsDone (i32.lt_u (local.get $i) (i32.const 2)))
          (loop $pairs
            (v128.store64_lane 0 (i32.add (local.get $dx) (local.get $at)) (f32x4.demote_f64x2_zero (f64x2.mul
              (local.get $k2) (f64x2.sub
                (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $dy) (local.get $at))))
                  (local.get $meanDy2))
                (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xhat) (local.get $at))))
                  (local.get $meanDyXhat2))))))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (br_if $pairs (i32.ge_u (local.tee $i (i32.sub (local.get $i) (i32.const 2))) (i32.const 2)))))
        (if (local.get $i)
          (then
            (f32.store (i32.add (local.get $dx) (local.get $at)) (f32.demote_f64 (f64.mul (local.get $k) (f64.sub
              (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $dy) (local.get $at)))) (local.get $meanDy))
              (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $xhat) (local.get $at))))
                (local.get $meanDyXhat))))))))
        (br_if $runs (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 1))) (local.get $outer))))
      (if (local.get $progress) (then (drop (i32.atomic.rmw.add (local.get $progress) (i32.const 1)))))
      (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $to)))))

  ;; out[n, c, s] = x[n, c, s] + bias[c] for batch ≥ 1 images; out may be x.
  (func (export "add_channel_bias") (param $batch i32) (param $channels i32) (param $spatial i32) (param $x i32)
        (param $bias i32) (param $out i32)
    (local $n i32) (local $c i32) (local $end i32) (local $b v128)
    (local.set $n (local.get $batch))
    (loop $images
      (local.set $c (i32.const 0))
      (loop $channels
        (local.set $b (v128.load32_splat (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $spatial) (i32.const 2))))
        ;; Whole vectors, then the last 0–3 floats one at a time (runs need not be vector-aligned).
        (block $vectorsDone
          (br_if $vectorsDone (i32.lt_u (local.get $spatial) (i32.const 4)))
          (loop $vectors
            (v128.store (local.get $out) (f32x4.add (v128.load (local.get $x)) (local.get $b)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (br_if $vectors (i32.le_u (local.tee $x (i32.add (local.get $x) (i32.const 16)))
              (i32.sub (local.get $end) (i32.const 16))))))
        (block $tailDone
          (br_if $tailDone (i32.ge_u (local.get $x) (local.get $end)))
          (loop $tail
            (f32.store (local.get $out) (f32.add (f32.load (local.get $x)) (f32x4.extract_lane 0 (local.get $b))))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (br_if $tail (i32.lt_u (local.tee $x (i32.add (local.get $x) (i32.const 4))) (local.get $end)))))
        (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (local.get $channels))))
      (br_if $images (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
)
