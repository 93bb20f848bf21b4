#include "irg_kernels.h"

#include <immintrin.h>

/* y = x W^T with W in bfloat16, widened to float32 in registers (exact), so
 * the arithmetic is float32's. Decoding is bound by reading W, and bf16 W is
 * half the bytes of float32 W.
 *
 * Tiles of ROWS activation rows x OUTS weight rows keep ROWS * OUTS
 * accumulators in registers; weight rows are taken in blocks of BLOCK_OUTS
 * (a few hundred KB, held in L2) and every activation tile passes over a
 * block before the next, so each weight byte comes from memory once. */

enum { ROWS = 4, OUTS = 4, BLOCK_OUTS = 64 };

__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __m512 widen(const uint16_t *w, __mmask16 mask) {
    __m256i half = _mm256_maskz_loadu_epi16(mask, w);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(half), 16));
}

/* rows x outs results (both at most 4, compile-time constants where inlined).
 * The main loop takes 32 inputs a step with unmasked loads and prefetches
 * each weight row PREFETCH bytes ahead: a weight row (4.6 KB for Gemma2's
 * 2304) crosses 4 KB pages, where the hardware prefetchers stop, and
 * decoding is bound by how many weight bytes are in flight. */
enum { PREFETCH = 1024 };

__attribute__((always_inline, target("avx512f,avx512bw,avx512vl"))) static inline void
tile(const irg_bf16_matmul_job *job, int row, int out, const int rows, const int outs) {
    const int n = job->in_features;
    const uint16_t *w[OUTS];
    const float *x[ROWS];
    for (int o = 0; o < outs; o++) w[o] = job->weight + (size_t)(out + o) * job->weight_stride;
    for (int r = 0; r < rows; r++) x[r] = job->input + (size_t)(row + r) * job->input_stride;
    __m512 acc[ROWS][OUTS];
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < outs; o++) acc[r][o] = _mm512_setzero_ps();
    int k = 0;
    for (; k + 32 <= n; k += 32) {
        for (int o = 0; o < outs; o++) _mm_prefetch((const char *)(w[o] + k) + PREFETCH, _MM_HINT_T0);
        for (int half = 0; half < 32; half += 16) {
            __m512 wv[OUTS], xv[ROWS];
            for (int o = 0; o < outs; o++) wv[o] = widen(w[o] + k + half, 0xFFFF);
            for (int r = 0; r < rows; r++) xv[r] = _mm512_loadu_ps(x[r] + k + half);
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outs; o++) acc[r][o] = _mm512_fmadd_ps(xv[r], wv[o], acc[r][o]);
        }
    }
    for (; k < n; k += 16) {
        __mmask16 mask = n - k >= 16 ? 0xFFFF : (__mmask16)((1u << (n - k)) - 1);
        __m512 wv[OUTS], xv[ROWS];
        for (int o = 0; o < outs; o++) wv[o] = widen(w[o] + k, mask);
        for (int r = 0; r < rows; r++) xv[r] = _mm512_maskz_loadu_ps(mask, x[r] + k);
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outs; o++) acc[r][o] = _mm512_fmadd_ps(xv[r], wv[o], acc[r][o]);
    }
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < outs; o++) {
            float *y = job->output + (size_t)(row + r) * job->output_stride + (out - job->out_begin) + o;
            *y = (job->accumulate ? *y : 0) + _mm512_reduce_add_ps(acc[r][o]);
        }
}

#define TILE_CASES(rows)                                             \
    switch (outs) {                                                  \
    case 4: tile(job, row, out, rows, 4); break;                     \
    case 3: tile(job, row, out, rows, 3); break;                     \
    case 2: tile(job, row, out, rows, 2); break;                     \
    default: tile(job, row, out, rows, 1); break;                    \
    }

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void block(const irg_bf16_matmul_job *job, int first, int last) {
    for (int row = 0; row < job->rows; row += ROWS) {
        int rows = job->rows - row < ROWS ? job->rows - row : ROWS;
        for (int out = first; out < last; out += OUTS) {
            int outs = last - out < OUTS ? last - out : OUTS;
            switch (rows) {
            case 4: TILE_CASES(4) break;
            case 3: TILE_CASES(3) break;
            case 2: TILE_CASES(2) break;
            default: TILE_CASES(1) break;
            }
        }
    }
}

static int block_count(const irg_bf16_matmul_job *job) {
    return job->out_end > job->out_begin ? (job->out_end - job->out_begin + BLOCK_OUTS - 1) / BLOCK_OUTS : 0;
}

typedef struct {
    const irg_bf16_matmul_job *jobs;
    int count, total_blocks, workers;
} shared_work;

/* Worker w takes an equal run of the jobs' blocks laid end to end
 * (contiguous: each streams its own part of the weights), so fused
 * products (q, k and v) split as one. */
static void work(void *context, int worker) {
    const shared_work *s = context;
    const int begin = (int)((long)s->total_blocks * worker / s->workers);
    const int end = (int)((long)s->total_blocks * (worker + 1) / s->workers);
    for (int j = 0, offset = 0; j < s->count && offset < end; offset += block_count(&s->jobs[j]), j++) {
        const irg_bf16_matmul_job *job = &s->jobs[j];
        const int from = begin > offset ? begin - offset : 0;
        const int to = end - offset < block_count(job) ? end - offset : block_count(job);
        for (int b = from; b < to; b++) {
            const int first = job->out_begin + b * BLOCK_OUTS;
            block(job, first, first + BLOCK_OUTS < job->out_end ? first + BLOCK_OUTS : job->out_end);
        }
    }
}

void irg_bf16_matmul_many(const irg_bf16_matmul_job *jobs, int count, int threads) {
    shared_work s = {jobs, count, 0, 0};
    for (int j = 0; j < count; j++) s.total_blocks += block_count(&jobs[j]);
    s.workers = threads < s.total_blocks ? threads : s.total_blocks;
    if (s.workers >= 1) irg_parallel(s.workers, work, &s);
}

void irg_bf16_matmul(const irg_bf16_matmul_job *job, int threads) { irg_bf16_matmul_many(job, 1, threads); }
