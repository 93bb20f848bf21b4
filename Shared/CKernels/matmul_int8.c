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

void irg_int8_quantize_input(const float *x, int in_features, int group_size, int8_t *q, float *scales, int32_t *sums) {
    for (int begin = 0, g = 0; begin < in_features; begin += group_size, g++) {
        float largest = 0;
        for (int k = begin; k < begin + group_size; k++) largest = fmaxf(largest, fabsf(x[k]));
        const float scale = largest / 127, inverse = largest > 0 ? 127 / largest : 0;
        int32_t sum = 0;
        for (int k = begin; k < begin + group_size; k++) {
            q[k] = (int8_t)lrintf(x[k] * inverse);
            sum += q[k];
        }
        scales[g] = scale;
        sums[g] = sum;
    }
}

typedef struct {
    const irg_int8_matmul_job *job;
    const int8_t *xq;       /* rows x in_features */
    const float *xscale;    /* rows x groups */
    const int32_t *xsum;    /* rows x groups, times 128 */
    int groups, first_panel, panel_count, workers;
} shared_work;

/* `rows` activation rows against `panels` consecutive panels from `p`. */
__attribute__((always_inline, target("avx512f,avx512bw,avx512vl,avx512vnni"))) static inline void
tile(const shared_work *s, int row, int p, const int rows, const int panels) {
    const irg_int8_matmul_job *job = s->job;
    const int n = job->in_features, g = job->group_size, steps = g / 4;
    const uint8_t *w[PANELS];
    const float *scale[PANELS];
    for (int b = 0; b < panels; b++) {
        w[b] = job->panels + (size_t)(p + b) * n * LANES;
        scale[b] = job->panel_scales + (size_t)(p + b) * s->groups * LANES;
    }
    const int32_t *x[MAX_ROWS];
    for (int r = 0; r < rows; r++) x[r] = (const int32_t *)(s->xq + (size_t)(row + r) * n);
    __m512 acc[MAX_ROWS][PANELS];
    for (int r = 0; r < rows; r++)
        for (int b = 0; b < panels; b++) acc[r][b] = _mm512_setzero_ps();
    for (int group = 0; group < s->groups; group++) {
        __m512i dot[MAX_ROWS][PANELS];
        for (int r = 0; r < rows; r++)
            for (int b = 0; b < panels; b++)
                dot[r][b] = _mm512_set1_epi32(-s->xsum[(size_t)(row + r) * s->groups + group]);
        const int first = group * steps;
        for (int step = first; step < first + steps; step++) {
            __m512i wv[PANELS];
            for (int b = 0; b < panels; b++) wv[b] = _mm512_loadu_si512(w[b] + (size_t)step * 4 * LANES);
            for (int r = 0; r < rows; r++) {
                const __m512i xv = _mm512_set1_epi32(x[r][step]);
                for (int b = 0; b < panels; b++) dot[r][b] = _mm512_dpbusd_epi32(dot[r][b], wv[b], xv);
            }
        }
        for (int b = 0; b < panels; b++) {
            const __m512 ws = _mm512_loadu_ps(scale[b] + group * LANES);
            for (int r = 0; r < rows; r++) {
                const __m512 both = _mm512_mul_ps(ws, _mm512_set1_ps(s->xscale[(size_t)(row + r) * s->groups + group]));
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

#define TILE_CASES(rows)                                            \
    if (panels == 2) tile(s, row, p, rows, 2); else tile(s, row, p, rows, 1);

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) static void work(void *context, int worker) {
    const shared_work *s = context;
    const int begin = s->first_panel + (int)((long)s->panel_count * worker / s->workers);
    const int end = s->first_panel + (int)((long)s->panel_count * (worker + 1) / s->workers);
    for (int p = begin; p < end; p += PANELS) {
        const int panels = end - p < PANELS ? end - p : PANELS;
        for (int row = 0; row < s->job->rows; row += MAX_ROWS) {
            const int rows = s->job->rows - row < MAX_ROWS ? s->job->rows - row : MAX_ROWS;
            switch (rows) {
            case 4: TILE_CASES(4) break;
            case 3: TILE_CASES(3) break;
            case 2: TILE_CASES(2) break;
            default: TILE_CASES(1) break;
            }
        }
    }
}

void irg_int8_matmul(const irg_int8_matmul_job *job, int threads) {
    const int n = job->in_features, groups = n / job->group_size;
    if (job->rows < 1 || job->out_end <= job->out_begin) return;
    int8_t *xq = malloc((size_t)job->rows * n);
    float *xscale = malloc(sizeof(float) * (size_t)job->rows * groups);
    int32_t *xsum = malloc(sizeof(int32_t) * (size_t)job->rows * groups);
    for (int r = 0; r < job->rows; r++) {
        irg_int8_quantize_input(job->input + (size_t)r * job->input_stride, n, job->group_size, xq + (size_t)r * n,
                                xscale + (size_t)r * groups, xsum + (size_t)r * groups);
        for (int g = 0; g < groups; g++) xsum[(size_t)r * groups + g] *= 128;
    }
    const int first_panel = job->out_begin / LANES, last_panel = (job->out_end + LANES - 1) / LANES;
    shared_work s = {job, xq, xscale, xsum, groups, first_panel, last_panel - first_panel, 0};
    /* Each worker takes at least two panels, so a small job stays on one thread. */
    s.workers = threads < (s.panel_count + 1) / 2 ? threads : (s.panel_count + 1) / 2;
    if (s.workers < 1) s.workers = 1;
    irg_parallel(s.workers, work, &s);
    free(xq);
    free(xscale);
    free(xsum);
}
