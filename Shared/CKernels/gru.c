#include "irg_kernels.h"

#include <immintrin.h>
#include <math.h>

#include "simd_math.h"

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
