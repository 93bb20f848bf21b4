#include "irg_kernels.h"

#include <immintrin.h>
#include <math.h>

/* One sequence's query heads that share a key-value head, as
 * Gemma2Attention's Swift path computes each of them: scores against the
 * cached keys, the softcap with libm's tanhf (the 16-lane tanh's 1e-7 here,
 * through softmax and the layers, moved the fixtures' logits by 1.2e-4),
 * softmax, and the values weighted by it.
 * Why C: decoding runs this 26 layers x 4 groups a token over every cached
 * position, and the cache is read from memory each time: here each key and
 * value row is read once for the group's heads (twice as many bytes when
 * each head read its own), and the output rows stay in registers instead of
 * being loaded and stored again for every position. Sums run in another
 * order than Swift's, so results differ from it by float rounding (a test
 * bounds it); every head gets the same sums however many share a pass. */

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

/* Heads done in one pass: four accumulators each for a score, so their 16
 * registers and the key's fit; the values' pass keeps heads x blocks <= 16
 * output registers. */
enum { HEADS_AT_ONCE = 4, OUTPUT_REGISTERS = 16 };

#define INLINE __attribute__((target("avx512f"), always_inline)) static inline

/* The scores of `heads` query rows against one key row, read once. */
INLINE void score_heads(const float *const *q, int heads, const float *key, int blocks, float *out) {
    __m512 acc[HEADS_AT_ONCE][4];
    for (int g = 0; g < heads; g++)
        for (int a = 0; a < 4; a++) acc[g][a] = _mm512_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        const __m512 k = _mm512_loadu_ps(key + 16 * b);
        for (int g = 0; g < heads; g++) acc[g][b % 4] = _mm512_fmadd_ps(_mm512_loadu_ps(q[g] + 16 * b), k, acc[g][b % 4]);
    }
    for (int g = 0; g < heads; g++)
        out[g] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc[g][0], acc[g][1]), _mm512_add_ps(acc[g][2], acc[g][3])));
}

/* Softcap and softmax of one head's scores first ..= last, in place. */
static void softmax(float *scores, int first, int last, float softcap) {
    float largest = -INFINITY;
    for (int j = first; j <= last; j++) {
        if (softcap > 0) scores[j] = tanhf(scores[j] / softcap) * softcap;
        largest = scores[j] > largest ? scores[j] : largest;
    }
    float total = 0;
    for (int j = first; j <= last; j++) {
        scores[j] = expf(scores[j] - largest);
        total += scores[j];
    }
    for (int j = first; j <= last; j++) scores[j] = scores[j] / total;
}

/* Output blocks from..<from+count of `heads` heads: the weighted sum of those
 * blocks of the value rows, each row's blocks read once for all the heads. */
INLINE void weigh_values(const irg_attention_group *h, const float *const *weights, float *const *out_rows, int heads,
                         int from, int count, int first, int last) {
    __m512 out[OUTPUT_REGISTERS];
    for (int k = 0; k < heads * count; k++) out[k] = _mm512_setzero_ps();
    for (int j = first; j <= last; j++) {
        const float *value = h->values + (size_t)j * h->kv_stride + 16 * from;
        for (int b = 0; b < count; b++) _mm_prefetch((const char *)(value + (size_t)AHEAD * h->kv_stride + 16 * b), _MM_HINT_T0);
        for (int g = 0; g < heads; g++) {
            const __m512 weight = _mm512_set1_ps(weights[g][j]);
            for (int b = 0; b < count; b++) out[g * count + b] = _mm512_fmadd_ps(_mm512_loadu_ps(value + 16 * b), weight, out[g * count + b]);
        }
    }
    for (int g = 0; g < heads; g++)
        for (int b = 0; b < count; b++) _mm512_storeu_ps(out_rows[g] + 16 * (from + b), out[g * count + b]);
}

/* Row i of heads first_head ..< first_head + heads, of `blocks` blocks of
 * 16 each. Inlined where both are constants, so the loops over them unroll
 * and the output rows stay in registers (with counts known only at run
 * time they went to the stack, a load and store each per position). */
INLINE void attend_row(const irg_attention_group *h, int i, int first_head, const int heads, const int blocks) {
    const int positions = h->first_position + h->rows;
    const int position = h->first_position + i;
    const int first = h->window > 0 && position - h->window + 1 > 0 ? position - h->window + 1 : 0;
    const float *q[HEADS_AT_ONCE];
    float *scores[HEADS_AT_ONCE], *out_rows[HEADS_AT_ONCE];
    for (int g = 0; g < heads; g++) {
        q[g] = h->query + (size_t)i * h->query_stride + (size_t)(first_head + g) * h->head_dim;
        out_rows[g] = h->output + (size_t)i * h->output_stride + (size_t)(first_head + g) * h->head_dim;
        scores[g] = h->scores + (size_t)(first_head + g) * positions;
    }
    for (int j = first; j <= position; j++) {
        prefetch_row(h->keys + (size_t)(j + AHEAD) * h->kv_stride, blocks);
        float s[HEADS_AT_ONCE];
        score_heads(q, heads, h->keys + (size_t)j * h->kv_stride, blocks, s);
        for (int g = 0; g < heads; g++) scores[g][j] = s[g] * h->scaling;
    }
    for (int g = 0; g < heads; g++) softmax(scores[g], first, position, h->softcap);
    const int count = OUTPUT_REGISTERS / heads < blocks ? OUTPUT_REGISTERS / heads : blocks;
    for (int from = 0; from < blocks; from += count)
        weigh_values(h, (const float *const *)scores, out_rows, heads, from, blocks - from < count ? blocks - from : count, first, position);
}

/* Gemma2's shapes (256 dimensions, two heads a group) and a head alone. */
__attribute__((target("avx512f"))) static void attend_pair_256(const irg_attention_group *h, int i, int head) { attend_row(h, i, head, 2, 16); }
__attribute__((target("avx512f"))) static void attend_one_256(const irg_attention_group *h, int i, int head) { attend_row(h, i, head, 1, 16); }
__attribute__((target("avx512f"))) static void attend_any(const irg_attention_group *h, int i, int head, int heads) {
    attend_row(h, i, head, heads, h->head_dim / 16);
}

__attribute__((target("avx512f"))) void irg_attend_group(const irg_attention_group *h) {
    for (int i = 0; i < h->rows; i++)
        for (int head = 0; head < h->heads; head += HEADS_AT_ONCE) {
            const int heads = h->heads - head < HEADS_AT_ONCE ? h->heads - head : HEADS_AT_ONCE;
            if (h->head_dim == 256 && heads == 2) attend_pair_256(h, i, head);
            else if (h->head_dim == 256 && heads == 1) attend_one_256(h, i, head);
            else attend_any(h, i, head, heads);
        }
}
