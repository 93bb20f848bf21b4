#include "irg_kernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

/* y = x W^T with W in int8 (a float32 scale per group of inputs of each
 * weight row) and x quantized on the fly to int8 per group of the same
 * inputs (the scheme of llama.cpp's Q8_0 dot products). Each group's dot
 * product is exact in int32 (AVX-512 VNNI's vpdpbusd: 64 multiply-adds an
 * instruction), then scaled by both scales into a float32 sum.
 *
 * Why the panel layout: a panel holds 16 weight rows interleaved four
 * inputs at a time, [k / 4][16 rows][4], so one 64-byte load feeds one
 * vpdpbusd whose 16 int32 lanes are the 16 rows, against four inputs
 * broadcast to every lane. A panel is one contiguous stream (36 KB for
 * Gemma2's 2304 inputs), which the hardware prefetchers follow, and no
 * horizontal sums are left to the end. vpdpbusd multiplies unsigned by
 * signed bytes: the panel holds q + 128, and 128 * sum(x) over the group is
 * taken off again. */

enum { LANES = IRG_INT8_PANEL, MAX_ROWS = 4, PANELS = 2 };

int irg_int8_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}

size_t irg_int8_panel_bytes(int out_features, int in_features) {
    return (size_t)((out_features + LANES - 1) / LANES) * (size_t)in_features * LANES;
}

size_t irg_int8_panel_scale_count(int out_features, int in_features, int group_size) {
    return (size_t)((out_features + LANES - 1) / LANES) * (size_t)(in_features / group_size) * LANES;
}

void irg_int8_pack(const int8_t *q, const float *scales, int out_features, int in_features, int group_size,
                   uint8_t *panels, float *panel_scales) {
    const int groups = in_features / group_size, panel_count = (out_features + LANES - 1) / LANES;
    for (int p = 0; p < panel_count; p++) {
        uint8_t *panel = panels + (size_t)p * in_features * LANES;
        float *panel_scale = panel_scales + (size_t)p * groups * LANES;
        for (int lane = 0; lane < LANES; lane++) {
            const int o = p * LANES + lane;
            for (int k = 0; k < in_features; k++)
                panel[(size_t)(k / 4) * LANES * 4 + lane * 4 + k % 4] =
                    (uint8_t)((o < out_features ? q[(size_t)o * in_features + k] : 0) + 128);
            for (int g = 0; g < groups; g++)
                panel_scale[g * LANES + lane] = o < out_features ? scales[(size_t)o * groups + g] : 0;
        }
    }
}

void irg_int8_unpack_row(const uint8_t *panels, const float *panel_scales, int in_features, int group_size,
                         int row, float *out) {
    const int groups = in_features / group_size, p = row / LANES, lane = row % LANES;
    const uint8_t *panel = panels + (size_t)p * in_features * LANES;
    const float *panel_scale = panel_scales + (size_t)p * groups * LANES;
    for (int k = 0; k < in_features; k++)
        out[k] = (float)((int)panel[(size_t)(k / 4) * LANES * 4 + lane * 4 + k % 4] - 128) *
                 panel_scale[(k / group_size) * LANES + lane];
}

/* One group the same way 16 lanes at a time: the same float products and
 * round-to-nearest-even conversion as the scalar lrintf (the default MXCSR
 * mode), so the results are identical bit for bit. */
__attribute__((target("avx512f"))) static void quantize_group_avx512(const float *x, int group_size, int8_t *q,
                                                                     float *scale, int32_t *sum) {
    __m512 largest = _mm512_setzero_ps();
    for (int k = 0; k < group_size; k += 16) largest = _mm512_max_ps(_mm512_abs_ps(_mm512_loadu_ps(x + k)), largest);
    const float top = _mm512_reduce_max_ps(largest);
    const __m512 inverse = _mm512_set1_ps(top > 0 ? 127 / top : 0);
    __m512i total = _mm512_setzero_si512();
    for (int k = 0; k < group_size; k += 16) {
        const __m512i v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(x + k), inverse));
        _mm_storeu_si128((__m128i *)(q + k), _mm512_cvtepi32_epi8(v));
        total = _mm512_add_epi32(total, v);
    }
    *scale = top / 127;
    *sum = _mm512_reduce_add_epi32(total);
}

static void quantize_group(const float *x, int group_size, int8_t *q, float *scale, int32_t *sum) {
    float largest = 0;
    for (int k = 0; k < group_size; k++) largest = fmaxf(largest, fabsf(x[k]));
    const float inverse = largest > 0 ? 127 / largest : 0;
    int32_t total = 0;
    for (int k = 0; k < group_size; k++) {
        q[k] = (int8_t)lrintf(x[k] * inverse);
        total += q[k];
    }
    *scale = largest / 127;
    *sum = total;
}

void irg_int8_quantize_input(const float *x, int in_features, int group_size, int8_t *q, float *scales, int32_t *sums,
                             int vectorized) {
    const int wide = vectorized && group_size % 16 == 0 && irg_conv1d_available();
    for (int begin = 0, g = 0; begin < in_features; begin += group_size, g++) {
        if (wide) quantize_group_avx512(x + begin, group_size, q + begin, scales + g, sums + g);
        else quantize_group(x + begin, group_size, q + begin, scales + g, sums + g);
    }
}

/* The activations quantized once for every job that reads them. */
typedef struct {
    const irg_int8_matmul_job *job; /* the first job: input, rows, in_features, group_size */
    int8_t *q;                      /* rows x in_features */
    float *scales;                  /* rows x groups */
    int32_t *sums;                  /* rows x groups, times 128 */
    int groups, workers;
} quantized_input;

static void quantize_rows(void *context, int worker) {
    const quantized_input *x = context;
    const irg_int8_matmul_job *job = x->job;
    const int n = job->in_features;
    for (int r = job->rows * worker / x->workers; r < job->rows * (worker + 1) / x->workers; r++) {
        int32_t *sums = x->sums + (size_t)r * x->groups;
        irg_int8_quantize_input(job->input + (size_t)r * job->input_stride, n, job->group_size, x->q + (size_t)r * n,
                                x->scales + (size_t)r * x->groups, sums, 1);
        for (int g = 0; g < x->groups; g++) sums[g] *= 128;
    }
}

typedef struct {
    const irg_int8_matmul_job *jobs;
    int count, total_panels, workers;
    const quantized_input *x;
} shared_work;

static int first_panel(const irg_int8_matmul_job *job) { return job->out_begin / LANES; }
static int panel_count(const irg_int8_matmul_job *job) {
    return job->out_end > job->out_begin ? (job->out_end + LANES - 1) / LANES - first_panel(job) : 0;
}

/* Each weight load prefetches PREFETCH bytes ahead in its panel: a panel
 * (36 KB for Gemma2's 2304 inputs) crosses 4 KB pages, where the hardware
 * prefetchers stop. */
enum { PREFETCH = 2048 };

/* `rows` activation rows against `panels` consecutive panels from `p`. */
__attribute__((always_inline, target("avx512f,avx512bw,avx512vl,avx512vnni"))) static inline void
tile(const irg_int8_matmul_job *job, const quantized_input *xs, int row, int p, const int rows, const int panels) {
    const int n = job->in_features, g = job->group_size, steps = g / 4, groups = xs->groups;
    const uint8_t *w[PANELS];
    const float *scale[PANELS];
    for (int b = 0; b < panels; b++) {
        w[b] = job->panels + (size_t)(p + b) * n * LANES;
        scale[b] = job->panel_scales + (size_t)(p + b) * groups * LANES;
    }
    const int32_t *x[MAX_ROWS];
    for (int r = 0; r < rows; r++) x[r] = (const int32_t *)(xs->q + (size_t)(row + r) * n);
    __m512 acc[MAX_ROWS][PANELS];
    for (int r = 0; r < rows; r++)
        for (int b = 0; b < panels; b++) acc[r][b] = _mm512_setzero_ps();
    for (int group = 0; group < groups; group++) {
        __m512i dot[MAX_ROWS][PANELS];
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < panels; b++) dot[r][b] = _mm512_set1_epi32(-xs->sums[(size_t)(row + r) * groups + group]);
        const int first = group * steps;
        for (int step = first; step < first + steps; step++) {
            __m512i wv[PANELS];
            for (int b = 0; b < panels; b++) {
                const uint8_t *at = w[b] + (size_t)step * 4 * LANES;
                _mm_prefetch((const char *)at + PREFETCH, _MM_HINT_T0);
                wv[b] = _mm512_loadu_si512(at);
            }
            for (int r = 0; r < rows; r++) {
                const __m512i xv = _mm512_set1_epi32(x[r][step]);
                for (int b = 0; b < panels; b++) dot[r][b] = _mm512_dpbusd_epi32(dot[r][b], wv[b], xv);
            }
        }
        for (int b = 0; b < panels; b++) {
            const __m512 ws = _mm512_loadu_ps(scale[b] + group * LANES);
            for (int r = 0; r < rows; r++) {
                const __m512 both = _mm512_mul_ps(ws, _mm512_set1_ps(xs->scales[(size_t)(row + r) * groups + group]));
                acc[r][b] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[r][b]), both, acc[r][b]);
            }
        }
    }
    for (int r = 0; r < rows; r++)
        for (int b = 0; b < panels; b++) {
            /* Lanes of this panel that fall in out_begin ..< out_end. */
            const int first_out = (p + b) * LANES;
            int from = job->out_begin - first_out, to = job->out_end - first_out;
            from = from < 0 ? 0 : from;
            to = to > LANES ? LANES : to;
            if (from >= to) continue;
            const __mmask16 mask = (__mmask16)(((1u << (to - from)) - 1) << from);
            float *y = job->output + (size_t)(row + r) * job->output_stride + (first_out - job->out_begin);
            __m512 value = acc[r][b];
            if (job->accumulate) value = _mm512_add_ps(value, _mm512_maskz_loadu_ps(mask, y));
            _mm512_mask_storeu_ps(y, mask, value);
        }
}

#define TILE_CASES(rows)                                                                                               \
    if (panels == 2) tile(job, s->x, row, p, rows, 2); else tile(job, s->x, row, p, rows, 1);

/* Panels begin ..< end of one job, every activation row against each pair
 * of panels, or each panel alone when the rows fit one tile (decoding):
 * there one weight stream reads faster, while a prefill's many rows are
 * compute-bound and gain from sharing each broadcast input between two
 * panels (Gemma2-2b's shapes, C harness built by clang: one panel 47 against
 * 43 GB/s at 4 rows; two 6.1 against 5.2 GB/s at 128 rows). */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) static void
multiply_panels(const shared_work *s, const irg_int8_matmul_job *job, int begin, int end) {
    const int step = job->rows > MAX_ROWS ? PANELS : 1;
    for (int p = begin; p < end; p += step) {
        const int panels = end - p < step ? end - p : step;
        for (int row = 0; row < job->rows; row += MAX_ROWS) {
            const int rows = job->rows - row < MAX_ROWS ? job->rows - row : MAX_ROWS;
            switch (rows) {
            case 4: TILE_CASES(4) break;
            case 3: TILE_CASES(3) break;
            case 2: TILE_CASES(2) break;
            default: TILE_CASES(1) break;
            }
        }
    }
}

/* Worker w takes an equal run of the jobs' panels laid end to end, so
 * fused products (q, k and v) split as one. */
static void work(void *context, int worker) {
    const shared_work *s = context;
    const int begin = (int)((long)s->total_panels * worker / s->workers);
    const int end = (int)((long)s->total_panels * (worker + 1) / s->workers);
    for (int j = 0, offset = 0; j < s->count && offset < end; offset += panel_count(&s->jobs[j]), j++) {
        const int from = begin > offset ? begin - offset : 0;
        const int to = end - offset < panel_count(&s->jobs[j]) ? end - offset : panel_count(&s->jobs[j]);
        if (from < to) multiply_panels(s, &s->jobs[j], first_panel(&s->jobs[j]) + from, first_panel(&s->jobs[j]) + to);
    }
}

void irg_int8_matmul_many(const irg_int8_matmul_job *jobs, int count, int threads) {
    shared_work s = {jobs, count, 0, 0, NULL};
    for (int j = 0; j < count; j++) s.total_panels += panel_count(&jobs[j]);
    if (s.total_panels == 0 || jobs[0].rows < 1) return;
    const irg_int8_matmul_job *first = &jobs[0];
    const int n = first->in_features, rows = first->rows, groups = n / first->group_size;
    quantized_input x = {first, malloc((size_t)rows * n), malloc(sizeof(float) * (size_t)rows * groups),
                         malloc(sizeof(int32_t) * (size_t)rows * groups), groups, 1};
    /* A few rows are quicker on this thread than a wake-up of the others. */
    x.workers = rows >= 8 && threads > 1 ? (threads < rows ? threads : rows) : 1;
    irg_parallel(x.workers, quantize_rows, &x);
    s.x = &x;
    /* Each worker takes at least two panels, so a small job stays on one thread. */
    s.workers = threads < (s.total_panels + 1) / 2 ? threads : (s.total_panels + 1) / 2;
    if (s.workers >= 1) irg_parallel(s.workers, work, &s);
    free(x.q);
    free(x.scales);
    free(x.sums);
}

void irg_int8_matmul(const irg_int8_matmul_job *job, int threads) { irg_int8_matmul_many(job, 1, threads); }
