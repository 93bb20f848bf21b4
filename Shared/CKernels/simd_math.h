#ifndef IRG_SIMD_MATH_H
#define IRG_SIMD_MATH_H

/* exp, sigmoid and tanh 16 lanes at a time (AVX-512F), shared by the
 * kernels that apply them elementwise (the GRU update, Gemma2's softcaps). */

#include <immintrin.h>

/* exp(x) for 16 lanes: x = n ln2 + r with |r| <= ln2 / 2, exp(r) by its
 * degree-6 Taylor polynomial (relative error < 2e-7 there), times 2^n. */
__attribute__((always_inline, target("avx512f"))) static inline __m512 exp16(__m512 x) {
    x = _mm512_max_ps(_mm512_min_ps(x, _mm512_set1_ps(88.0f)), _mm512_set1_ps(-88.0f));
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)), _MM_FROUND_TO_NEAREST_INT);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);  /* ln2 in two parts keeps r exact */
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.0f / 720);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    return _mm512_scalef_ps(p, n);
}

__attribute__((always_inline, target("avx512f"))) static inline __m512 sigmoid16(__m512 x) {
    __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_div_ps(one, _mm512_add_ps(one, exp16(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

/* tanh(x) = 2 sigmoid(2x) - 1: absolute error ~1e-7, what a GRU state needs. */
__attribute__((always_inline, target("avx512f"))) static inline __m512 tanh16(__m512 x) {
    __m512 s = sigmoid16(_mm512_add_ps(x, x));
    return _mm512_sub_ps(_mm512_add_ps(s, s), _mm512_set1_ps(1.0f));
}

#endif
