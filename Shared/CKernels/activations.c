#include "irg_kernels.h"

#include <math.h>

#include "simd_math.h"

/* Gemma2's elementwise tanh: the final softcap runs over a whole vocabulary
 * of logits every decode step (256k for Gemma2-2b: libm's tanhf costs 1.7 ms
 * a row there), and GeGLU over every row's 9216 hidden units (a seventh of an
 * int8 prefill with tanhf). The 16-lane tanh takes a tenth of that. */

/* Lanes i ..< min(i + 16, count): every vector, the last one partial. */
static inline __mmask16 lanes_from(size_t i, size_t count) {
    return count - i >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (count - i)) - 1);
}

__attribute__((target("avx512f"))) static void softcap_avx512(float *x, size_t count, float cap) {
    const __m512 scale = _mm512_set1_ps(cap), inverse = _mm512_set1_ps(1 / cap);
    for (size_t i = 0; i < count; i += 16) {
        const __mmask16 lanes = lanes_from(i, count);
        const __m512 capped = _mm512_mul_ps(tanh16(_mm512_mul_ps(_mm512_maskz_loadu_ps(lanes, x + i), inverse)), scale);
        _mm512_mask_storeu_ps(x + i, lanes, capped);
    }
}

void irg_softcap(float *x, size_t count, float cap, int vectorized) {
    if (vectorized && irg_conv1d_available()) return softcap_avx512(x, count, cap);
    for (size_t i = 0; i < count; i++) x[i] = tanhf(x[i] / cap) * cap;
}

/* GELU, tanh approximation (PyTorch's approximate='tanh'). */
static inline float gelu_tanh(float x) {
    const float beta = 0.7978845608028654f; /* sqrt(2 / pi) */
    return 0.5f * x * (1 + tanhf(beta * (x + 0.044715f * x * x * x)));
}

__attribute__((target("avx512f"))) static inline __m512 gelu_tanh16(__m512 x) {
    const __m512 inner = _mm512_mul_ps(_mm512_set1_ps(0.7978845608028654f),
                                       _mm512_fmadd_ps(_mm512_mul_ps(_mm512_set1_ps(0.044715f), _mm512_mul_ps(x, x)), x, x));
    const __m512 half_x = _mm512_mul_ps(_mm512_set1_ps(0.5f), x);
    return _mm512_fmadd_ps(half_x, tanh16(inner), half_x);
}

__attribute__((target("avx512f"))) static void gelu_gate_avx512(float *gate, const float *linear, size_t count) {
    for (size_t i = 0; i < count; i += 16) {
        const __mmask16 lanes = lanes_from(i, count);
        const __m512 gated = _mm512_mul_ps(gelu_tanh16(_mm512_maskz_loadu_ps(lanes, gate + i)), _mm512_maskz_loadu_ps(lanes, linear + i));
        _mm512_mask_storeu_ps(gate + i, lanes, gated);
    }
}

void irg_gelu_gate(float *gate, const float *linear, size_t count, int vectorized) {
    if (vectorized && irg_conv1d_available()) return gelu_gate_avx512(gate, linear, count);
    for (size_t i = 0; i < count; i++) gate[i] = gelu_tanh(gate[i]) * linear[i];
}

/* The softmax normalizer of a row: sum of exp(x - shift), in double. A decode
 * step of text takes it over all 256k logits for the chosen token's
 * log-probability; libm's exp in double cost 1.4 ms there. The 16-lane exp
 * (relative error < 2e-7) of the float difference, summed in double, moves a
 * log-probability by about 2e-7. */
__attribute__((target("avx512f"))) static double sum_exp_avx512(const float *x, size_t count, float shift) {
    const __m512 s = _mm512_set1_ps(shift);
    __m512d low = _mm512_setzero_pd(), high = _mm512_setzero_pd();
    for (size_t i = 0; i < count; i += 16) {
        const __mmask16 lanes = lanes_from(i, count);
        /* Lanes past the end hold exp(-88), about 6e-39, and are masked out. */
        const __m512 e = _mm512_maskz_mov_ps(lanes, exp16(_mm512_sub_ps(_mm512_maskz_loadu_ps(lanes, x + i), s)));
        low = _mm512_add_pd(low, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
        high = _mm512_add_pd(high, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(e), 1))));
    }
    return _mm512_reduce_add_pd(_mm512_add_pd(low, high));
}

double irg_sum_exp(const float *x, size_t count, float shift, int vectorized) {
    if (vectorized && irg_conv1d_available()) return sum_exp_avx512(x, count, shift);
    double total = 0;
    for (size_t i = 0; i < count; i++) total += exp((double)x[i] - (double)shift);
    return total;
}
