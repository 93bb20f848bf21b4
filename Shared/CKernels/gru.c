#include "irg_kernels.h"

#include <immintrin.h>
#include <math.h>

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

__attribute__((target("avx512f"))) static void update_avx512(const float *gi, const float *gh, float *h, int hidden) {
    int j = 0;
    for (; j + 16 <= hidden; j += 16) {
        __m512 r = sigmoid16(_mm512_add_ps(_mm512_loadu_ps(gi + j), _mm512_loadu_ps(gh + j)));
        __m512 z = sigmoid16(_mm512_add_ps(_mm512_loadu_ps(gi + hidden + j), _mm512_loadu_ps(gh + hidden + j)));
        __m512 n = tanh16(_mm512_fmadd_ps(r, _mm512_loadu_ps(gh + 2 * hidden + j), _mm512_loadu_ps(gi + 2 * hidden + j)));
        __m512 old = _mm512_loadu_ps(h + j);
        /* (1 - z) n + z h = n + z (h - n) */
        _mm512_storeu_ps(h + j, _mm512_fmadd_ps(z, _mm512_sub_ps(old, n), n));
    }
    for (; j < hidden; j++) {
        float r = 1 / (1 + expf(-(gi[j] + gh[j])));
        float z = 1 / (1 + expf(-(gi[hidden + j] + gh[hidden + j])));
        float n = tanhf(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
        h[j] = n + z * (h[j] - n);
    }
}

static void update_scalar(const float *gi, const float *gh, float *h, int hidden) {
    for (int j = 0; j < hidden; j++) {
        float r = 1 / (1 + expf(-(gi[j] + gh[j])));
        float z = 1 / (1 + expf(-(gi[hidden + j] + gh[hidden + j])));
        float n = tanhf(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
        h[j] = n + z * (h[j] - n);
    }
}

void irg_gru_update(const float *input_gates, const float *hidden_gates, float *h, int hidden, int vectorized) {
    if (vectorized && irg_conv1d_available()) update_avx512(input_gates, hidden_gates, h, hidden);
    else update_scalar(input_gates, hidden_gates, h, hidden);
}
