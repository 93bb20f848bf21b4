#include "irg_kernels.h"

#include <immintrin.h>
#include <math.h>

/* One query head of one sequence, as Gemma2Attention's Swift path computes
 * it: scores against the cached keys, the softcap with libm's tanhf (the
 * 16-lane tanh's 1e-7 here, through softmax and the layers, moved the
 * fixtures' logits by 1.2e-4), softmax, and the values weighted by it.
 * Why C: decoding runs this 26 layers x 8 heads a token over every cached
 * position; here the query and the output row stay in registers (16 of
 * them for Gemma2's 256 dimensions) instead of the output being loaded and
 * stored again for every position. Sums run in another order than Swift's,
 * so results differ from it by float rounding (a test bounds it). */

int irg_attention_available(int head_dim) {
    return head_dim % 16 == 0 && head_dim <= 16 * IRG_ATTENTION_MAX_BLOCKS && irg_conv1d_available();
}

/* Each position's row of this head is its own short run (a row of every
 * key-value head lies between), which the hardware prefetchers do not follow
 * across pages: rows AHEAD positions on are asked for while this one is read.
 * Reading past the last position only prefetches; nothing faults. */
enum { AHEAD = 4 };

static inline void prefetch_row(const float *row, int blocks) {
    for (int b = 0; b < blocks; b++) _mm_prefetch((const char *)(row + 16 * b), _MM_HINT_T0);
}

__attribute__((target("avx512f"))) static float score(const __m512 *q, const float *key, int blocks) {
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    for (int b = 0; b < blocks; b++) acc[b % 4] = _mm512_fmadd_ps(q[b], _mm512_loadu_ps(key + 16 * b), acc[b % 4]);
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
}

__attribute__((target("avx512f"))) void irg_attend_head(const irg_attention_head *h) {
    const int blocks = h->head_dim / 16;
    for (int i = 0; i < h->rows; i++) {
        const int position = h->first_position + i;
        const int first = h->window > 0 && position - h->window + 1 > 0 ? position - h->window + 1 : 0;
        __m512 q[IRG_ATTENTION_MAX_BLOCKS];
        for (int b = 0; b < blocks; b++) q[b] = _mm512_loadu_ps(h->query + (size_t)i * h->query_stride + 16 * b);
        float largest = -INFINITY;
        for (int j = first; j <= position; j++) {
            prefetch_row(h->keys + (size_t)(j + AHEAD) * h->kv_stride, blocks);
            float s = score(q, h->keys + (size_t)j * h->kv_stride, blocks) * h->scaling;
            if (h->softcap > 0) s = tanhf(s / h->softcap) * h->softcap;
            h->scores[j] = s;
            largest = s > largest ? s : largest;
        }
        float total = 0;
        for (int j = first; j <= position; j++) {
            h->scores[j] = expf(h->scores[j] - largest);
            total += h->scores[j];
        }
        __m512 out[IRG_ATTENTION_MAX_BLOCKS];
        for (int b = 0; b < blocks; b++) out[b] = _mm512_setzero_ps();
        for (int j = first; j <= position; j++) {
            const __m512 weight = _mm512_set1_ps(h->scores[j] / total);
            const float *value = h->values + (size_t)j * h->kv_stride;
            prefetch_row(value + (size_t)AHEAD * h->kv_stride, blocks);
            for (int b = 0; b < blocks; b++) out[b] = _mm512_fmadd_ps(_mm512_loadu_ps(value + 16 * b), weight, out[b]);
        }
        for (int b = 0; b < blocks; b++) _mm512_storeu_ps(h->output + (size_t)i * h->output_stride + 16 * b, out[b]);
    }
}
