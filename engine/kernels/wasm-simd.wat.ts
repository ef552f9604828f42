/**
 * WebAssembly SIMD kernels (f32x4), as WAT text assembled at start-up by wabt. Pointers are byte addresses into the
 * module's shared memory; strides are in elements.
 *
 *   gemm_nn(M, N, K, α, A, sAm, sAk, B, ldb, β, C, ldc):   C[m][n] = α Σ_k A[m·sAm + k·sAk] B[k·ldb + n] + β C[m][n]
 *       op(B) must have unit stride along n (the NN and TN cases); callers transpose B for NT.
 *       4×8 register blocks: per k, two v128 loads of B, four scalar loads of A splatted, eight f32x4 multiply-adds.
 *       Leftover rows run as 1×8 blocks; leftover columns through gemm_scalar (the same formula, one element at a time).
 *   transpose(src, rows, cols, ld, dst):                   dst[c][r] = src[r·ld + c]
 *   tanh_forward(R, Hp, Hn, X, WinT, bias, noise, B, N, I, α, alias):
 *       z = R + bias + Σ_k x[b][k] WinT[k][i] (+ noise);  r = tanh z → R;  unless alias: Hn = (1 − α) Hp + α r
 *   tanh_backward(D, carry, R, n, α):                      g = D + carry;  carry = (1 − α) g;  D = α (1 − r²) g
 *
 * tanh is Eigen's float rational approximation (x·P(x²)/Q(x²), x clamped to ±7.905): a few ulp of float32, and
 * about 10× cheaper than Math.tanh.
 */

const rows = [0, 1, 2, 3];
const halves = [0, 1];
const acc = (r: number, h: number) => `$c${r}${h}`;

const TANH_COEFFS = {
  a1: 4.89352455891786e-3, a3: 6.37261928875436e-4, a5: 1.48572235717979e-5, a7: 5.12229709037114e-8,
  a9: -8.60467152213735e-11, a11: 2.00018790482477e-13, a13: -2.76076847742355e-16,
  b0: 4.89352518554385e-3, b2: 2.2684346324390e-3, b4: 1.18534705686654e-4, b6: 1.19825839466702e-6,
  clamp: 7.90531110763549805,
};

/** Horner evaluation of P(p) with coefficients high→low, in f32x4 (v = true) or f32. */
function horner(coeffs: number[], p: string, v: boolean): string {
  const t = v ? 'f32x4' : 'f32';
  const c = (x: number) => (v ? `(f32x4.splat (f32.const ${x}))` : `(f32.const ${x})`);
  let expr = c(coeffs[0]);
  for (const k of coeffs.slice(1)) expr = `(${t}.add (${t}.mul ${expr} ${p}) ${c(k)})`;
  return expr;
}

function tanhBody(v: boolean): string {
  const t = v ? 'f32x4' : 'f32';
  const k = TANH_COEFFS;
  const clampLo = v ? `(f32x4.splat (f32.const ${-k.clamp}))` : `(f32.const ${-k.clamp})`;
  const clampHi = v ? `(f32x4.splat (f32.const ${k.clamp}))` : `(f32.const ${k.clamp})`;
  return `
    (local.set $x (${t}.max ${clampLo} (${t}.min ${clampHi} (local.get $z))))
    (local.set $p (${t}.mul (local.get $x) (local.get $x)))
    (${t}.div
      (${t}.mul (local.get $x) ${horner([k.a13, k.a11, k.a9, k.a7, k.a5, k.a3, k.a1], '(local.get $p)', v)})
      ${horner([k.b6, k.b4, k.b2, k.b0], '(local.get $p)', v)})`;
}

export function wasmSimdWat(): string {
  const zeroAcc = rows.flatMap((r) => halves.map((h) => `(local.set ${acc(r, h)} (v128.const i32x4 0 0 0 0))`)).join('\n        ');
  const accLocals = rows.flatMap((r) => halves.map((h) => `(local ${acc(r, h)} v128)`)).join(' ');
  const kBody = `
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
          ${rows.map((r) => `(local.set $x${r} (f32x4.splat (f32.load (i32.add (local.get $a${r}) (local.get $ap)))))`).join('\n          ')}
          ${rows.flatMap((r) => halves.map((h) => `(local.set ${acc(r, h)} (f32x4.add (local.get ${acc(r, h)}) (f32x4.mul (local.get $x${r}) (local.get $b${h}))))`)).join('\n          ')}`;
  const store = rows.flatMap((r) => halves.map((h) => {
    const ptr = `(i32.add (i32.add (local.get $cp) (i32.mul (i32.const ${r}) (local.get $ldc4))) (i32.const ${16 * h}))`;
    return `(v128.store ${ptr}
          (if (result v128) (f32.eq (local.get $beta) (f32.const 0))
            (then (f32x4.mul (local.get ${acc(r, h)}) (local.get $va)))
            (else (f32x4.add (f32x4.mul (local.get ${acc(r, h)}) (local.get $va)) (f32x4.mul (local.get $vb) (v128.load ${ptr}))))))`;
  })).join('\n        ');

  return `(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $gemm_scalar (param $m0 i32) (param $m1 i32) (param $n0 i32) (param $n1 i32) (param $K i32) (param $alpha f32)
      (param $A i32) (param $sAm i32) (param $sAk i32) (param $B i32) (param $ldb i32) (param $beta f32) (param $C i32) (param $ldc i32)
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
        (local.set $cp (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc)) (local.get $n)) (i32.const 2))))
        (f32.store (local.get $cp)
          (if (result f32) (f32.eq (local.get $beta) (f32.const 0))
            (then (f32.mul (local.get $alpha) (local.get $s)))
            (else (f32.add (f32.mul (local.get $alpha) (local.get $s)) (f32.mul (local.get $beta) (f32.load (local.get $cp)))))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $nl)))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $ml))))

  (func (export "gemm_nn") (param $M i32) (param $N i32) (param $K i32) (param $alpha f32)
      (param $A i32) (param $sAm i32) (param $sAk i32) (param $B i32) (param $ldb i32) (param $beta f32) (param $C i32) (param $ldc i32)
    (local $m i32) (local $n i32) (local $k i32) (local $M4 i32) (local $N8 i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $ap i32) (local $bp i32) (local $cp i32)
    (local $sAm4 i32) (local $sAk4 i32) (local $ldb4 i32) (local $ldc4 i32)
    (local $b0 v128) (local $b1 v128) (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $va v128) (local $vb v128)
    ${accLocals}
    (local.set $M4 (i32.and (local.get $M) (i32.const -4)))
    (local.set $N8 (i32.and (local.get $N) (i32.const -8)))
    (local.set $sAm4 (i32.shl (local.get $sAm) (i32.const 2)))
    (local.set $sAk4 (i32.shl (local.get $sAk) (i32.const 2)))
    (local.set $ldb4 (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $ldc4 (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $m (i32.const 0))
    (block $md (loop $ml
      (br_if $md (i32.ge_s (local.get $m) (local.get $M4)))
      (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $sAm4))))
      (local.set $a1 (i32.add (local.get $a0) (local.get $sAm4)))
      (local.set $a2 (i32.add (local.get $a1) (local.get $sAm4)))
      (local.set $a3 (i32.add (local.get $a2) (local.get $sAm4)))
      (local.set $n (i32.const 0))
      (block $nd (loop $nl
        (br_if $nd (i32.ge_s (local.get $n) (local.get $N8)))
        ${zeroAcc}
        (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $ap (i32.const 0))
        (local.set $k (local.get $K))
        (block $kd (loop $kl
          (br_if $kd (i32.eqz (local.get $k)))
          ${kBody}
          (local.set $bp (i32.add (local.get $bp) (local.get $ldb4)))
          (local.set $ap (i32.add (local.get $ap) (local.get $sAk4)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kl)))
        (local.set $cp (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc)) (local.get $n)) (i32.const 2))))
        ${store}
        (local.set $n (i32.add (local.get $n) (i32.const 8)))
        (br $nl)))
      (local.set $m (i32.add (local.get $m) (i32.const 4)))
      (br $ml)))
    ;; leftovers: columns N8..N of the blocked rows, then every column of rows M4..M
    (call $gemm_scalar (i32.const 0) (local.get $M4) (local.get $N8) (local.get $N) (local.get $K) (local.get $alpha)
      (local.get $A) (local.get $sAm) (local.get $sAk) (local.get $B) (local.get $ldb) (local.get $beta) (local.get $C) (local.get $ldc))
    ;; leftover rows, one at a time: 1×8 SIMD blocks along n, then the scalar tail
    (local.set $m (local.get $M4))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $m) (local.get $M)))
      (local.set $a0 (i32.add (local.get $A) (i32.mul (local.get $m) (local.get $sAm4))))
      (local.set $n (i32.const 0))
      (block $nd2 (loop $nl2
        (br_if $nd2 (i32.ge_s (local.get $n) (local.get $N8)))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $bp (i32.add (local.get $B) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $ap (local.get $a0))
        (local.set $k (local.get $K))
        (block $kd2 (loop $kl2
          (br_if $kd2 (i32.eqz (local.get $k)))
          (local.set $x0 (f32x4.splat (f32.load (local.get $ap))))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (v128.load (local.get $bp)))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (v128.load offset=16 (local.get $bp)))))
          (local.set $bp (i32.add (local.get $bp) (local.get $ldb4)))
          (local.set $ap (i32.add (local.get $ap) (local.get $sAk4)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kl2)))
        (local.set $cp (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc)) (local.get $n)) (i32.const 2))))
        (v128.store (local.get $cp)
          (if (result v128) (f32.eq (local.get $beta) (f32.const 0))
            (then (f32x4.mul (local.get $c00) (local.get $va)))
            (else (f32x4.add (f32x4.mul (local.get $c00) (local.get $va)) (f32x4.mul (local.get $vb) (v128.load (local.get $cp)))))))
        (v128.store offset=16 (local.get $cp)
          (if (result v128) (f32.eq (local.get $beta) (f32.const 0))
            (then (f32x4.mul (local.get $c01) (local.get $va)))
            (else (f32x4.add (f32x4.mul (local.get $c01) (local.get $va)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $cp)))))))
        (local.set $n (i32.add (local.get $n) (i32.const 8)))
        (br $nl2)))
      (call $gemm_scalar (local.get $m) (i32.add (local.get $m) (i32.const 1)) (local.get $N8) (local.get $N) (local.get $K) (local.get $alpha)
        (local.get $A) (local.get $sAm) (local.get $sAk) (local.get $B) (local.get $ldb) (local.get $beta) (local.get $C) (local.get $ldc))
      (local.set $m (i32.add (local.get $m) (i32.const 1)))
      (br $rl))))

  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $ld i32) (param $dst i32)
    (local $r i32) (local $c i32)
    (local.set $r (i32.const 0))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $cd (loop $cl
        (br_if $cd (i32.ge_s (local.get $c) (local.get $cols)))
        (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
          (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $ld)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl))))

  (func $tanh4 (param $z v128) (result v128) (local $x v128) (local $p v128)
    ${tanhBody(true)})

  (func $tanh1 (param $z f32) (result f32) (local $x f32) (local $p f32)
    ${tanhBody(false)})

  (func (export "tanh") (param $z f32) (result f32) (call $tanh1 (local.get $z)))

  (func (export "tanh_forward") (param $R i32) (param $Hp i32) (param $Hn i32) (param $X i32) (param $WinT i32) (param $bias i32)
      (param $noise i32) (param $B i32) (param $N i32) (param $I i32) (param $alpha f32) (param $alias i32)
    (local $b i32) (local $i i32) (local $k i32) (local $N4 i32) (local $off i32) (local $xb i32)
    (local $z v128) (local $r v128) (local $zs f32) (local $rs f32) (local $va v128) (local $vl v128)
    (local.set $N4 (i32.and (local.get $N) (i32.const -4)))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vl (f32x4.splat (f32.sub (f32.const 1) (local.get $alpha))))
    (local.set $b (i32.const 0))
    (block $bd (loop $bl
      (br_if $bd (i32.ge_s (local.get $b) (local.get $B)))
      (local.set $xb (i32.add (local.get $X) (i32.shl (i32.mul (local.get $b) (local.get $I)) (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $id (loop $il
        (br_if $id (i32.ge_s (local.get $i) (local.get $N4)))
        (local.set $off (i32.shl (i32.add (i32.mul (local.get $b) (local.get $N)) (local.get $i)) (i32.const 2)))
        (local.set $z (f32x4.add (v128.load (i32.add (local.get $R) (local.get $off))) (v128.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $k (i32.const 0))
        (block $kd (loop $kl
          (br_if $kd (i32.ge_s (local.get $k) (local.get $I)))
          (local.set $z (f32x4.add (local.get $z) (f32x4.mul
            (f32x4.splat (f32.load (i32.add (local.get $xb) (i32.shl (local.get $k) (i32.const 2)))))
            (v128.load (i32.add (local.get $WinT) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $N)) (local.get $i)) (i32.const 2)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl)))
        (if (local.get $noise) (then (local.set $z (f32x4.add (local.get $z) (v128.load (i32.add (local.get $noise) (local.get $off)))))))
        (local.set $r (call $tanh4 (local.get $z)))
        (v128.store (i32.add (local.get $R) (local.get $off)) (local.get $r))
        (if (i32.eqz (local.get $alias)) (then
          (v128.store (i32.add (local.get $Hn) (local.get $off))
            (f32x4.add (f32x4.mul (local.get $vl) (v128.load (i32.add (local.get $Hp) (local.get $off)))) (f32x4.mul (local.get $va) (local.get $r))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $il)))
      (block $td (loop $tl
        (br_if $td (i32.ge_s (local.get $i) (local.get $N)))
        (local.set $off (i32.shl (i32.add (i32.mul (local.get $b) (local.get $N)) (local.get $i)) (i32.const 2)))
        (local.set $zs (f32.add (f32.load (i32.add (local.get $R) (local.get $off))) (f32.load (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2))))))
        (local.set $k (i32.const 0))
        (block $kd2 (loop $kl2
          (br_if $kd2 (i32.ge_s (local.get $k) (local.get $I)))
          (local.set $zs (f32.add (local.get $zs) (f32.mul
            (f32.load (i32.add (local.get $xb) (i32.shl (local.get $k) (i32.const 2))))
            (f32.load (i32.add (local.get $WinT) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $N)) (local.get $i)) (i32.const 2)))))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $kl2)))
        (if (local.get $noise) (then (local.set $zs (f32.add (local.get $zs) (f32.load (i32.add (local.get $noise) (local.get $off)))))))
        (local.set $rs (call $tanh1 (local.get $zs)))
        (f32.store (i32.add (local.get $R) (local.get $off)) (local.get $rs))
        (if (i32.eqz (local.get $alias)) (then
          (f32.store (i32.add (local.get $Hn) (local.get $off))
            (f32.add (f32.mul (f32.sub (f32.const 1) (local.get $alpha)) (f32.load (i32.add (local.get $Hp) (local.get $off)))) (f32.mul (local.get $alpha) (local.get $rs))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl))))

  (func (export "tanh_backward") (param $D i32) (param $carry i32) (param $R i32) (param $n i32) (param $alpha f32)
    (local $i i32) (local $n4 i32) (local $g v128) (local $r v128) (local $gs f32) (local $rs f32) (local $va v128) (local $vl v128) (local $one v128)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (local.set $vl (f32x4.splat (f32.sub (f32.const 1) (local.get $alpha))))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $i (i32.const 0))
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n4)))
      (local.set $g (f32x4.add (v128.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))) (v128.load (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))))))
      (v128.store (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))) (f32x4.mul (local.get $vl) (local.get $g)))
      (local.set $r (v128.load (i32.add (local.get $R) (i32.shl (local.get $i) (i32.const 2)))))
      (v128.store (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))
        (f32x4.mul (f32x4.mul (local.get $va) (f32x4.sub (local.get $one) (f32x4.mul (local.get $r) (local.get $r)))) (local.get $g)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $l)))
    (block $d2 (loop $l2
      (br_if $d2 (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $gs (f32.add (f32.load (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))) (f32.load (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))))))
      (f32.store (i32.add (local.get $carry) (i32.shl (local.get $i) (i32.const 2))) (f32.mul (f32.sub (f32.const 1) (local.get $alpha)) (local.get $gs)))
      (local.set $rs (f32.load (i32.add (local.get $R) (i32.shl (local.get $i) (i32.const 2)))))
      (f32.store (i32.add (local.get $D) (i32.shl (local.get $i) (i32.const 2)))
        (f32.mul (f32.mul (local.get $alpha) (f32.sub (f32.const 1) (f32.mul (local.get $rs) (local.get $rs)))) (local.get $gs)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l2))))
)`;
}
