/**
 * WebAssembly SIMD kernels (f32x4), generated here as WAT text. `npm run build:wasm` assembles it with wabt into the
 * committed module bytes (wasm-simd.bytes.ts), which the engine loads; nothing is assembled at run time, and
 * spec/engine/wasm-backend.spec.ts checks the committed bytes equal the assembly. Pointers are byte addresses into the
 * module's shared memory; strides are in elements.
 *
 *   gemm_nn(M, N, K, α, A, sAm, sAk, B, ldb, β, C, ldc):
 *       C[m][n] = α Σ_k A[m·sAm + k·sAk] B[k·ldb + n] + β C[m][n]
 *       op(B) must have unit stride along n (the NN and TN cases); callers transpose B for NT.
 *       4×8 register blocks (GEMM_BLOCKING): per k, two v128 loads of B, four broadcast loads of A
 *       (v128.load32_splat), eight f32x4 multiply-adds. Leftover columns run as 4×4 blocks, then through gemm_scalar
 *       (the same formula, one element at a time); leftover rows as 1×8 and 1×4 blocks.
 *       Blockings measured with bench/kernels.ts (GFLOP/s at 64×100×100): 4×8 38-40, 2×16 39, 4×12 28-32,
 *       6×8 26-27 (V8 has 15 usable xmm registers; 12 accumulators spill), unrolling k by 2 made every shape slower.
 *   gemm_nt_dot(M, N, K, α, A, lda, B, ldb, β, C, ldc):   C[m][n] = α Σ_k A[m·lda + k] B[n·ldb + k] + β C[m][n]
 *       Row-by-row dot products, f32x4 along k: the A·Bᵀ case with few columns (the readout, O outputs), where the
 *       transposed B would leave gemm_nn nothing but its scalar tail.
 *   transpose(src, rows, cols, ld, dst):                   dst[c][r] = src[r·ld + c]
 *   tanh_forward(R, Hp, Hn, bias, noise, B, N, α, alias):
 *       z = R + bias (+ noise);  r = tanh z → R;  unless alias: Hn = (1 − α) Hp + α r
 *       (R arrives holding W_in x_t + W_rec h_{t-1}: engine/step/rnn.ts computes the input term for all t in one
 *       product.)
 *   tanh_backward(D, carry, R, n, α):                      g = D + carry;  carry = (1 − α) g;  D = α (1 − r²) g
 *   axpy(D, X, n, c):                                      D[i] += c X[i]       (the rate penalty's gradient)
 *   sum_squares(X, n) → f64:                               Σ X[i]², accumulated in f64x2 (the rate penalty)
 *
 * tanh is Eigen's float rational approximation (x·P(x²)/Q(x²), x clamped to ±7.905): a few ulp of float32, and
 * about 10× cheaper than Math.tanh.
 */

const TANH_COEFFS = {
  a1: 4.89352455891786e-3,
  a3: 6.37261928875436e-4,
  a5: 1.48572235717979e-5,
  a7: 5.12229709037114e-8,
  a9: -8.60467152213735e-11,
  a11: 2.00018790482477e-13,
  a13: -2.76076847742355e-16,
  b0: 4.89352518554385e-3,
  b2: 2.268434632439e-3,
  b4: 1.18534705686654e-4,
  b6: 1.19825839466702e-6,
  clamp: 7.90531110763549805,
};

/** Horner evaluation of P(p) with coefficients high→low, in f32x4 (v = true) or f32. */
function horner(coeffs: number[], p: string, v: boolean): string {
  const t = v ? 'f32x4' : 'f32';
  const c = (x: number) => (v ? `(v128.const f32x4 ${x} ${x} ${x} ${x})` : `(f32.const ${x})`);
  let expr = c(coeffs[0]);
  for (const k of coeffs.slice(1)) expr = `(${t}.add (${t}.mul ${expr} ${p}) ${c(k)})`;
  return expr;
}

/**
 * tanh of local `z` into local `out`, as statements (inlined at each use: a call per vector costs more than the
 * arithmetic). `x` and `p` are scratch locals of the same type.
 */
function tanhInline(v: boolean, z: string, out: string, x: string, p: string): string {
  const t = v ? 'f32x4' : 'f32';
  const k = TANH_COEFFS;
  const c = (n: number) => (v ? `(v128.const f32x4 ${n} ${n} ${n} ${n})` : `(f32.const ${n})`);
  return `(local.set ${x} (${t}.max ${c(-k.clamp)} (${t}.min ${c(k.clamp)} (local.get ${z}))))
        (local.set ${p} (${t}.mul (local.get ${x}) (local.get ${x})))
        (local.set ${out} (${t}.div
          (${t}.mul (local.get ${x}) ${horner([k.a13, k.a11, k.a9, k.a7, k.a5, k.a3, k.a1], `(local.get ${p})`, v)})
          ${horner([k.b6, k.b4, k.b2, k.b0], `(local.get ${p})`, v)}))`;
}

/** One f32x4 of tanh_forward at column `i` of row $b; `sfx` picks a private set of locals. */
function tanhForwardVector(sfx: string, i: string): string {
  const L = (n: string) => `$${n}${sfx}`;
  return `(local.set ${L('off')} (i32.shl (i32.add (i32.mul (local.get $b) (local.get $N)) ${i}) (i32.const 2)))
        (local.set ${L('z')} (f32x4.add (v128.load (i32.add (local.get $R) (local.get ${L('off')}))) (v128.load
          (i32.add (local.get $bias) (i32.shl ${i} (i32.const 2))))))
        (if (local.get $noise) (then (local.set ${L('z')} (f32x4.add (local.get ${L('z')}) (v128.load (i32.add
          (local.get $noise) (local.get ${L('off')})))))))
        ${tanhInline(true, L('z'), L('r'), L('x'), L('p'))}
        (v128.store (i32.add (local.get $R) (local.get ${L('off')})) (local.get ${L('r')}))
        (if (i32.eqz (local.get $alias)) (then
          (v128.store (i32.add (local.get $Hn) (local.get ${L('off')}))
            (f32x4.add (f32x4.mul (local.get $vl) (v128.load (i32.add (local.get $Hp) (local.get ${L('off')}))))
              (f32x4.mul (local.get $va) (local.get ${L('r')}))))))`;
}

/** C = α·acc (β = 0, C not read) or α·acc + β·C: the store every product kernel ends with. */
function scaledStore(v: boolean, at: string, acc: string, indent: string): string {
  const [t, store, load, a, b] = v
    ? ['f32x4', 'v128.store', 'v128.load', '$va', '$vb']
    : ['f32', 'f32.store', 'f32.load', '$alpha', '$beta'];
  return `(${store} ${at}
${indent}  (if (result ${v ? 'v128' : 'f32'}) (f32.eq (local.get $beta) (f32.const 0))
${indent}    (then (${t}.mul (local.get ${acc}) (local.get ${a})))
${indent}    (else (${t}.add (${t}.mul (local.get ${acc}) (local.get ${a})) (${t}.mul (local.get ${b})
  (${load} ${at}))))))`;
}

/** Register-block shape of gemm_nn: MR rows × NV four-float vectors of columns. */
interface GemmBlocking {
  rows: number;
  vectors: number;
}
const GEMM_BLOCKING: GemmBlocking = { rows: 4, vectors: 2 };

/**
 * One register block of C: rows m..m+R−1, columns n..n+4V−1, accumulated over all K in R·V f32x4 registers.
 * Per k: V vector loads of B, then for each row one broadcast load of A (v128.load32_splat) and V multiply-adds.
 * Expects $a0..$a{R-1} (row starts of A), $n and $m set.
 */
function gemmBlock(tag: string, R: number, V: number, fma: boolean): string {
  const c = (r: number, v: number) => `$c${r}_${v}`;
  const rs = [...Array(R).keys()],
    vs = [...Array(V).keys()];
  const zero = rs.flatMap((r) => vs.map((v) => `(local.set ${c(r, v)} (v128.const i32x4 0 0 0 0))`)).join(' ');
  // multiply-add: acc += x·b, fused (relaxed SIMD) or as two operations
  const madd = (acc: string, b: string) =>
    fma
      ? `(local.set ${acc} (f32x4.relaxed_madd (local.get $x) (local.get ${b}) (local.get ${acc})))`
      : `(local.set ${acc} (f32x4.add (local.get ${acc}) (f32x4.mul (local.get $x) (local.get ${b}))))`;
  const kBody = [
    ...vs.map((v) => `(local.set $b${v} (v128.load offset=${16 * v} (local.get $bp)))`),
    ...rs.flatMap((r) => [
      `(local.set $x (v128.load32_splat (i32.add (local.get $a${r}) (local.get $ap))))`,
      ...vs.map((v) => madd(c(r, v), `$b${v}`)),
    ]),
    '(local.set $bp (i32.add (local.get $bp) (local.get $ldb4)))',
  ].join('\n            ');
  const store = rs
    .flatMap((r) =>
      vs.map((v) => {
        const ptr = `(i32.add (local.get $cp) (i32.const ${16 * v}))`;
        const at = r === 0 ? ptr : `(i32.add ${ptr} (i32.mul (i32.const ${r}) (local.get $ldc4)))`;
        return scaledStore(true, at, c(r, v), '          ');
      }),
    )
    .join('\n          ');
  return `
        ;; ${R}×${4 * V} block
        ${zero}
        (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $ap (i32.const 0))
        (local.set $k (local.get $K))
        (block $${tag}_kd (loop $${tag}_kl
          (br_if $${tag}_kd (i32.eqz (local.get $k)))
            ${kBody}
          (local.set $ap (i32.add (local.get $ap) (local.get $sAk4)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $${tag}_kl)))
        (local.set $cp (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc))
          (local.get $n)) (i32.const 2))))
        ${store}`;
}

/** $a0 … $a{R−1}: the byte addresses of the R rows of A that a row block reads. */
function rowPointers(R: number): string {
  const first = '(local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $sAm4))))';
  const next = (r: number) => `(local.set $a${r} (i32.add (local.get $a${r - 1}) (local.get $sAm4)))`;
  return [...Array(R).keys()].map((r) => (r === 0 ? first : next(r))).join('\n      ');
}

/**
 * Rows in blocks of R (then one at a time); within them columns in blocks of 4V, then of 4, then one by one.
 */
function gemmRowPanel(tag: string, R: number, V: number, fma: boolean): string {
  return `
      ${rowPointers(R)}
      (local.set $n (i32.const 0))
      (block $${tag}_wd (loop $${tag}_wl
        (br_if $${tag}_wd (i32.gt_s (i32.add (local.get $n) (i32.const ${4 * V})) (local.get $N)))
        ${gemmBlock(`${tag}w`, R, V, fma)}
        (local.set $n (i32.add (local.get $n) (i32.const ${4 * V})))
        (br $${tag}_wl)))
      ${
        V > 1
          ? `(block $${tag}_nd (loop $${tag}_nl
        (br_if $${tag}_nd (i32.gt_s (i32.add (local.get $n) (i32.const 4)) (local.get $N)))
        ${gemmBlock(`${tag}n`, R, 1, fma)}
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $${tag}_nl)))`
          : ''
      }
      (call $gemm_scalar (local.get $m) (i32.add (local.get $m) (i32.const ${R})) (local.get $n) (local.get $N)
        (local.get $K) (local.get $alpha)
        (local.get $A) (local.get $sAm) (local.get $sAk) (local.get $B) (local.get $ldb) (local.get $beta)
          (local.get $C) (local.get $ldc))`;
}

export interface WatOptions {
  /**
   * Multiply-adds as f32x4.relaxed_madd (relaxed SIMD: one fused multiply-add where the CPU has FMA) instead of
   * f32x4.mul + f32x4.add. Measured with bench/kernels.ts at 64×100×100: 51 GFLOP/s against 40; fewer instructions
   * per k, same arithmetic pipes. Rounding differs from the unfused kernel (one rounding instead of two).
   */
  fma?: boolean;
  blocking?: GemmBlocking;
}

/** the scalar GEMM tail
  ($gemm_scalar, internal): one element of C at a time, for the columns and rows the blocks leave. */
export function gemmScalarWat(): string {
  return `  (func $gemm_scalar (param $m0 i32) (param $m1 i32) (param $n0 i32) (param $n1 i32) (param $K i32)
    (param $alpha f32)
      (param $A i32) (param $sAm i32) (param $sAk i32) (param $B i32) (param $ldb i32) (param $beta f32)
        (param $C i32) (param $ldc i32)
    (local $m i32) (local $n i32) (local $k i32) (local $s f32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local.set $m (local.get $m0))
    (block $md (loop $ml
      (br_if $md (i32.ge_s (local.get $m) (local.get $m1)))
      (local.set $n (local.get $n0))
      (block $nd (loop $nl
        (br_if $nd (i32.ge_s (local.get $n) (local.get $n1)))
        (local.set $s (f32.const 0))
        (local.set $ap (i32.add (local.get $A) (i32.shl (i32.mul (local.get $m) (local.get $sAm)) (i32.const 2))))
        (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $k (local.get $K))
        (block $kd (loop $kl
          (br_if $kd (i32.eqz (local.get $k)))
          (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $ap)) (f32.load (local.get $bp)))))
          (local.set $ap (i32.add (local.get $ap) (i32.shl (local.get $sAk) (i32.const 2))))
          (local.set $bp (i32.add (local.get $bp) (i32.shl (local.get $ldb) (i32.const 2))))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kl)))
        (local.set $cp (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc))
          (local.get $n)) (i32.const 2))))
        ${scaledStore(false, '(local.get $cp)', '$s', '        ')}
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nl)))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $ml))))`;
}

/** gemm_nn: C = α op(A) B + β C with op(B) unit-stride along n, in R×4V register blocks
  (gemmRowPanel), then 1-row panels and the scalar tail. */
function gemmNnWat(R: number, V: number, fma: boolean): string {
  const accLocals = [...Array(R).keys()]
    .flatMap((r) => [...Array(V).keys()].map((v) => `(local $c${r}_${v} v128)`))
    .join(' ');
  const aLocals = [...Array(R).keys()].map((r) => `(local $a${r} i32)`).join(' ');
  const bLocals = [...Array(V).keys()].map((v) => `(local $b${v} v128)`).join(' ');
  return `  (func (export "gemm_nn") (param $M i32) (param $N i32) (param $K i32) (param $alpha f32)
      (param $A i32) (param $sAm i32) (param $sAk i32) (param $B i32) (param $ldb i32) (param $beta f32)
        (param $C i32) (param $ldc i32)
    (local $m i32) (local $n i32) (local $k i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $sAm4 i32) (local $sAk4 i32) (local $ldb4 i32) (local $ldc4 i32)
    (local $x v128) (local $va v128) (local $vb v128)
    ${aLocals} ${bLocals} ${accLocals}
    (local.set $sAm4 (i32.shl (local.get $sAm) (i32.const 2)))
    (local.set $sAk4 (i32.shl (local.get $sAk) (i32.const 2)))
    (local.set $ldb4 (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $m (i32.const 0))
    (block $md (loop $ml
      (br_if $md (i32.gt_s (i32.add (local.get $m) (i32.const ${R})) (local.get $M)))
      ${gemmRowPanel('p', R, V, fma)}
      (local.set $m (i32.add (local.get $m) (i32.const ${R})))
      (br $ml)))
    ;; leftover rows, one at a time
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $m) (local.get $M)))
      ${gemmRowPanel('r', 1, V, fma)}
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $rl))))`;
}

/** $hsum (internal): the horizontal sum of an f32x4. */
function hsumWat(): string {
  return `  (func $hsum (param $v v128) (result f32)
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
             (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))`;
}

/** gemm_nt_dot: C = α A Bᵀ + β C as row-by-row dot products, f32x4 along k (the readout, few columns). */
export function gemmNtDotWat(): string {
  return `  ;; C[m][n] = α Σ_k A[m][k] B[n][k] + β C[m][n], both operands unit-stride along k:
  ;; four rows of A at a time against one row of B (four f32x4 partial sums), then leftover rows singly;
  ;; k beyond a multiple of 4 in scalar.
  (func (export "gemm_nt_dot") (param $M i32) (param $N i32) (param $K i32) (param $alpha f32)
      (param $A i32) (param $lda i32) (param $B i32) (param $ldb i32) (param $beta f32) (param $C i32) (param $ldc i32)
    (local $m i32) (local $n i32) (local $k i32) (local $K4 i32) (local $r i32) (local $rows i32)
    (local $ap i32) (local $bp i32) (local $cp i32) (local $lda4 i32) (local $bv v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $t f32)
    (local.set $K4 (i32.and (local.get $K) (i32.const -4)))
    (local.set $lda4 (i32.shl (local.get $lda) (i32.const 2)))
    (local.set $m (i32.const 0))
    (block $md (loop $ml
      (br_if $md (i32.ge_s (local.get $m) (local.get $M)))
      ;; a panel of four rows, or of one row for the last M mod 4
      (local.set $rows (select (i32.const 4) (i32.const 1) (i32.le_s (i32.add (local.get $m) (i32.const 4))
        (local.get $M))))
      (local.set $n (i32.const 0))
      (block $nd (loop $nl
        (br_if $nd (i32.ge_s (local.get $n) (local.get $N)))
        (local.set $s0 (v128.const i32x4 0 0 0 0)) (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0)) (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $ap (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $lda4))))
        (local.set $bp (i32.add (local.get $B) (i32.shl (i32.mul (local.get $n) (local.get $ldb)) (i32.const 2))))
        (if (i32.eq (local.get $rows) (i32.const 4))
          (then
            (local.set $k (i32.const 0))
            (block $kd (loop $kl
              (br_if $kd (i32.ge_s (local.get $k) (local.get $K4)))
              (local.set $bv (v128.load (local.get $bp)))
              (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $bv) (v128.load (local.get $ap)))))
              (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $bv) (v128.load (i32.add
                (local.get $ap) (local.get $lda4))))))
              (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $bv) (v128.load (i32.add
                (local.get $ap) (i32.shl (local.get $lda4) (i32.const 1)))))))
              (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $bv) (v128.load (i32.add
                (local.get $ap) (i32.mul (local.get $lda4) (i32.const 3)))))))
              (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
              (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
              (local.set $k (i32.add (local.get $k) (i32.const 4)))
              (br $kl))))
          (else
            (local.set $k (i32.const 0))
            (block $kd1 (loop $kl1
              (br_if $kd1 (i32.ge_s (local.get $k) (local.get $K4)))
              (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (local.get $bp)) (v128.load
                (local.get $ap)))))
              (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
              (local.set $bp (i32.add (local.get $bp) (i32.const 16)))
              (local.set $k (i32.add (local.get $k) (i32.const 4)))
              (br $kl1)))))
        ;; finish each row of the panel: horizontal sum, scalar tail of k, scale and store
        (local.set $r (i32.const 0))
        (block $rd (loop $rl
          (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
          (local.set $t (call $hsum (select (local.get $s0) (select (local.get $s1) (select (local.get $s2)
            (local.get $s3)
            (i32.eq (local.get $r) (i32.const 2))) (i32.eq (local.get $r) (i32.const 1))) (i32.eqz (local.get $r)))))
          (local.set $ap (i32.add (local.get $A) (i32.mul (i32.add (local.get $m) (local.get $r)) (local.get $lda4))))
          (local.set $bp (i32.add (local.get $B) (i32.shl (i32.mul (local.get $n) (local.get $ldb)) (i32.const 2))))
          (local.set $k (local.get $K4))
          (block $td (loop $tl
            (br_if $td (i32.ge_s (local.get $k) (local.get $K)))
            (local.set $t (f32.add (local.get $t) (f32.mul (f32.load (i32.add (local.get $ap) (i32.shl
              (local.get $k) (i32.const 2))))
                                                        (f32.load (i32.add (local.get $bp) (i32.shl (local.get $k)
                                                          (i32.const 2)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $tl)))
          (local.set $cp (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (i32.add (local.get $m) (local.get $r))
            (local.get $ldc)) (local.get $n)) (i32.const 2))))
          ${scaledStore(false, '(local.get $cp)', '$t', '          ')}
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $rl)))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nl)))
      (local.set $m (i32.add (local.get $m) (local.get $rows)))
      (br $ml))))`;
}

/** transpose: dst[c][r] = src[r·ld + c]. */
export function transposeWat(): string {
  return `  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $ld i32)
      (param $dst i32)
    (local $r i32) (local $c i32)
    (local.set $r (i32.const 0))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_s (local.get $c) (local.get $cols)))
        (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows))
          (local.get $r)) (i32.const 2)))
          (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ld))
            (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))`;
}

/** tanh (exported for the spec): the scalar rational tanh. */
function tanhScalarWat(): string {
  return `  (func (export "tanh") (param $z f32) (result f32) (local $x f32) (local $p f32) (local $r f32)
    ${tanhInline(false, '$z', '$r', '$x', '$p')}
    (local.get $r))`;
}

/** tanh_forward: z = R + bias (+ noise); r = tanh z → R; unless alias, Hn = (1 − α) Hp + α r. */
export function tanhForwardWat(): string {
  return `  (func (export "tanh_forward") (param $R i32) (param $Hp i32) (param $Hn i32) (param $bias i32)
      (param $noise i32) (param $B i32) (param $N i32) (param $alpha f32) (param $alias i32)
    (local $b i32) (local $i i32) (local $off i32)
    (local $z v128) (local $r v128) (local $zs f32) (local $rs f32) (local $va v128) (local $vl v128)
    (local $x v128) (local $p v128) (local $xs f32) (local $ps f32)
    (local $off2 i32) (local $z2 v128) (local $r2 v128) (local $x2 v128) (local $p2 v128)
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vl (f32x4.splat (f32.sub (f32.const 1) (local.get $alpha))))
    (local.set $b (i32.const 0))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
      (local.set $i (i32.const 0))
      ;; two vectors per iteration: their tanh chains are independent, so they overlap
      (block $id2 (loop $il2
        (br_if $id2 (i32.gt_s (i32.add (local.get $i) (i32.const 8)) (local.get $N)))
        ${tanhForwardVector('', '(local.get $i)')}
        ${tanhForwardVector('2', '(i32.add (local.get $i) (i32.const 4))')}
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $il2)))
      (block $id (loop $il
        (br_if $id (i32.gt_s (i32.add (local.get $i) (i32.const 4)) (local.get $N)))
        ${tanhForwardVector('', '(local.get $i)')}
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
      (block $td (loop $tl
        (br_if $td (i32.ge_s (local.get $i) (local.get $N)))
        (local.set $off (i32.shl (i32.add (i32.mul (local.get $b) (local.get $N)) (local.get $i)) (i32.const 2)))
        (local.set $zs (f32.add (f32.load (i32.add (local.get $R) (local.get $off))) (f32.load (i32.add
          (local.get $bias) (i32.shl (local.get $i) (i32.const 2))))))
        (if (local.get $noise) (then (local.set $zs (f32.add (local.get $zs) (f32.load (i32.add (local.get $noise)
          (local.get $off)))))))
        ${tanhInline(false, '$zs', '$rs', '$xs', '$ps')}
        (f32.store (i32.add (local.get $R) (local.get $off)) (local.get $rs))
        (if (i32.eqz (local.get $alias)) (then
          (f32.store (i32.add (local.get $Hn) (local.get $off))
            (f32.add (f32.mul (f32.sub (f32.const 1) (local.get $alpha)) (f32.load (i32.add (local.get $Hp)
              (local.get $off)))) (f32.mul (local.get $alpha) (local.get $rs))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl))))`;
}

/** tanh_backward: g = D + carry; carry = (1 − α) g; D = α (1 − r²) g. */
export function tanhBackwardWat(): string {
  return `  (func (export "tanh_backward") (param $D i32) (param $carry i32) (param $R i32) (param $n i32)
      (param $alpha f32)
    (local $i i32) (local $n4 i32) (local $g v128) (local $r v128) (local $gs f32) (local $rs f32) (local $va v128)
      (local $vl v128) (local $one v128)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vl (f32x4.splat (f32.sub (f32.const 1) (local.get $alpha))))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n4)))
      (local.set $g (f32x4.add (v128.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2))))
        (v128.load (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))))))
      (v128.store (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))) (f32x4.mul (local.get $vl)
        (local.get $g)))
      (local.set $r (v128.load (i32.add (local.get $R) (i32.shl (local.get $i) (i32.const 2)))))
      (v128.store (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))
        (f32x4.mul (f32x4.mul (local.get $va) (f32x4.sub (local.get $one) (f32x4.mul (local.get $r)
          (local.get $r)))) (local.get $g)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $gs (f32.add (f32.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))) (f32.load
        (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))))))
      (f32.store (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))) (f32.mul (f32.sub (f32.const 1)
        (local.get $alpha)) (local.get $gs)))
      (local.set $rs (f32.load (i32.add (local.get $R) (i32.shl (local.get $i) (i32.const 2)))))
      (f32.store (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))
        (f32.mul (f32.mul (local.get $alpha) (f32.sub (f32.const 1) (f32.mul (local.get $rs) (local.get $rs))))
          (local.get $gs)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2))))`;
}

/** axpy: D[i] += c·X[i], f32x4 then a scalar tail. */
export function axpyWat(): string {
  return `  (func (export "axpy") (param $D i32) (param $X i32) (param $n i32) (param $c f32)
    (local $i i32) (local $n4 i32) (local $vc v128) (local $at i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n4)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (v128.store (i32.add (local.get $D) (local.get $at)) (f32x4.add (v128.load (i32.add (local.get $D)
        (local.get $at))) (f32x4.mul (local.get $vc) (v128.load (i32.add (local.get $X) (local.get $at))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (f32.store (i32.add (local.get $D) (local.get $at)) (f32.add (f32.load (i32.add (local.get $D) (local.get $at)))
        (f32.mul (local.get $c) (f32.load (i32.add (local.get $X) (local.get $at))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2))))`;
}

/** sum_squares: Σ X[i]², each f32x4 promoted to two f64x2 and accumulated in double precision. */
export function sumSquaresWat(): string {
  return `  (func (export "sum_squares") (param $X i32) (param $n i32) (result f64)
    (local $i i32) (local $n4 i32) (local $v v128) (local $lo v128) (local $hi v128) (local $acc v128) (local $s f64)
      (local $x f64)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $acc (f64x2.splat (f64.const 0)))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n4)))
      (local.set $v (v128.load (i32.add (local.get $X) (i32.shl (local.get $i) (i32.const 2)))))
      (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
      (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v)
        (local.get $v))))
      (local.set $acc (f64x2.add (local.get $acc) (f64x2.add (f64x2.mul (local.get $lo) (local.get $lo))
        (f64x2.mul (local.get $hi) (local.get $hi)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (local.set $s (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $x (f64.promote_f32 (f32.load (i32.add (local.get $X) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $s (f64.add (local.get $s) (f64.mul (local.get $x) (local.get $x))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2)))
    (local.get $s))`;
}

/** The whole module: the memory import, then every function's generator in order. */
export function wasmSimdWat(opts: WatOptions = {}): string {
  const { rows: R, vectors: V } = opts.blocking ?? GEMM_BLOCKING;
  const fma = opts.fma ?? false;
  const funcs = [
    gemmScalarWat(),
    gemmNnWat(R, V, fma),
    hsumWat(),
    gemmNtDotWat(),
    transposeWat(),
    tanhScalarWat(),
    tanhForwardWat(),
    tanhBackwardWat(),
    axpyWat(),
    sumSquaresWat(),
  ];
  return `(module
  (import "env" "memory" (memory 1 65536 shared))

${funcs.join('\n\n')}
)`;
}
