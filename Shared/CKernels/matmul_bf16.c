#include "irg_kernels.h"

#include <immintrin.h>
#include <string.h>

/* y = x W^T with W in bfloat16, widened to float32 in registers (exact), so
 * the arithmetic is float32's. Decoding is bound by reading W, and bf16 W is
 * half the bytes of float32 W.
 *
 * Why panels: W is packed once into panels of PANEL rows interleaved CHUNK
 * inputs at a time, [panel][k / CHUNK][row of panel][CHUNK], so a tile's
 * four weight rows are one contiguous stream. Read in place, the four rows
 * were four streams 4.6 KB long (Gemma2's 2304 inputs), each cut at a 4 KB
 * page where the hardware prefetchers stop; measured on Gemma2-2b's shapes,
 * panels read at the speed of irg_stream_read (about 1.25x the rows').
 *
 * Tiles of ROWS activation rows x one panel keep ROWS * PANEL accumulators
 * in registers; panels are taken in blocks of BLOCK_PANELS (a few hundred
 * KB, held in L2) and every activation tile passes over a block before the
 * next, so each weight byte comes from memory once. The order of the sums
 * is that of one row read in place, 16 inputs at a time. */

enum { PANEL = IRG_BF16_PANEL, CHUNK = IRG_BF16_CHUNK, ROWS = 4, BLOCK_PANELS = 16 };

/* A single stream, so the software prefetch runs well ahead: 4 KB. */
enum { PREFETCH = 4096 };

static int padded_inputs(int in_features) { return (in_features + CHUNK - 1) / CHUNK * CHUNK; }
static int panel_count(int out_features) { return (out_features + PANEL - 1) / PANEL; }

size_t irg_bf16_panel_elements(int out_features, int in_features) {
    return (size_t)panel_count(out_features) * PANEL * (size_t)padded_inputs(in_features);
}

typedef struct {
    const uint16_t *rows;
    int out_features, in_features, workers;
    uint16_t *panels;
} pack_work;

static void pack_panels(void *context, int worker) {
    const pack_work *s = context;
    const int n = s->in_features, padded = padded_inputs(n), count = panel_count(s->out_features);
    for (int p = count * worker / s->workers; p < count * (worker + 1) / s->workers; p++) {
        uint16_t *panel = s->panels + (size_t)p * PANEL * padded;
        for (int k = 0; k < padded; k += CHUNK)
            for (int lane = 0; lane < PANEL; lane++) {
                const int o = p * PANEL + lane, take = o >= s->out_features ? 0 : (n - k < CHUNK ? n - k : CHUNK);
                uint16_t *to = panel + (size_t)k * PANEL + lane * CHUNK;
                if (take > 0) memcpy(to, s->rows + (size_t)o * n + k, sizeof(uint16_t) * take);
                memset(to + take, 0, sizeof(uint16_t) * (CHUNK - take));
            }
    }
}

void irg_bf16_pack(const uint16_t *rows, int out_features, int in_features, uint16_t *panels, int threads) {
    pack_work s = {rows, out_features, in_features, 0, panels};
    s.workers = threads < 1 ? 1 : (threads < panel_count(out_features) ? threads : panel_count(out_features));
    if (s.workers >= 1) irg_parallel(s.workers, pack_panels, &s);
}

void irg_bf16_unpack_row(const uint16_t *panels, int in_features, int row, float *out) {
    const int padded = padded_inputs(in_features);
    const uint16_t *panel = panels + (size_t)(row / PANEL) * PANEL * padded + (row % PANEL) * CHUNK;
    for (int k = 0; k < in_features; k++) {
        const uint32_t bits = (uint32_t)panel[(size_t)(k / CHUNK) * PANEL * CHUNK + k % CHUNK] << 16;
        memcpy(out + k, &bits, sizeof bits);
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __m512 widen(const uint16_t *w) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)w)), 16));
}

/* rows activation rows (at most ROWS, a compile-time constant where
 * inlined) against panel `panel`; writes only the lanes in
 * [out_begin, out_end). Padding inputs are zero in the panel, and the
 * activations past in_features are not read. */
__attribute__((always_inline, target("avx512f,avx512bw,avx512vl"))) static inline void
tile(const irg_bf16_matmul_job *job, int row, int panel, const int rows) {
    const int n = job->in_features, full = n / CHUNK * CHUNK;
    const uint16_t *w = job->panels + (size_t)panel * PANEL * padded_inputs(n);
    const float *x[ROWS];
    for (int r = 0; r < rows; r++) x[r] = job->input + (size_t)(row + r) * job->input_stride;
    __m512 acc[ROWS][PANEL];
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < PANEL; o++) acc[r][o] = _mm512_setzero_ps();
    int k = 0;
    for (; k < full; k += CHUNK, w += PANEL * CHUNK) {
        for (int line = 0; line < PANEL * CHUNK * 2; line += 64) _mm_prefetch((const char *)w + PREFETCH + line, _MM_HINT_T0);
        for (int half = 0; half < CHUNK; half += 16) {
            __m512 wv[PANEL], xv[ROWS];
            for (int o = 0; o < PANEL; o++) wv[o] = widen(w + o * CHUNK + half);
            for (int r = 0; r < rows; r++) xv[r] = _mm512_loadu_ps(x[r] + k + half);
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < PANEL; o++) acc[r][o] = _mm512_fmadd_ps(xv[r], wv[o], acc[r][o]);
        }
    }
    for (int half = 0; k + half < n; half += 16) {
        const int left = n - k - half;
        const __mmask16 mask = left >= 16 ? 0xFFFF : (__mmask16)((1u << left) - 1);
        __m512 wv[PANEL], xv[ROWS];
        for (int o = 0; o < PANEL; o++) wv[o] = widen(w + o * CHUNK + half);
        for (int r = 0; r < rows; r++) xv[r] = _mm512_maskz_loadu_ps(mask, x[r] + k + half);
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < PANEL; o++) acc[r][o] = _mm512_fmadd_ps(xv[r], wv[o], acc[r][o]);
    }
    for (int o = 0; o < PANEL; o++) {
        const int out = panel * PANEL + o;
        if (out < job->out_begin || out >= job->out_end) continue;
        for (int r = 0; r < rows; r++) {
            float *y = job->output + (size_t)(row + r) * job->output_stride + (out - job->out_begin);
            *y = (job->accumulate ? *y : 0) + _mm512_reduce_add_ps(acc[r][o]);
        }
    }
}

/* Panels first ..< last of the job, every activation tile over them. */
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void block(const irg_bf16_matmul_job *job, int first, int last) {
    for (int row = 0; row < job->rows; row += ROWS) {
        const int rows = job->rows - row < ROWS ? job->rows - row : ROWS;
        for (int panel = first; panel < last; panel++) {
            switch (rows) {
            case 4: tile(job, row, panel, 4); break;
            case 3: tile(job, row, panel, 3); break;
            case 2: tile(job, row, panel, 2); break;
            default: tile(job, row, panel, 1); break;
            }
        }
    }
}

static int first_panel(const irg_bf16_matmul_job *job) { return job->out_begin / PANEL; }
static int end_panel(const irg_bf16_matmul_job *job) { return panel_count(job->out_end); }

static int block_count(const irg_bf16_matmul_job *job) {
    const int panels = job->out_end > job->out_begin ? end_panel(job) - first_panel(job) : 0;
    return (panels + BLOCK_PANELS - 1) / BLOCK_PANELS;
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
            const int first = first_panel(job) + b * BLOCK_PANELS;
            block(job, first, first + BLOCK_PANELS < end_panel(job) ? first + BLOCK_PANELS : end_panel(job));
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
