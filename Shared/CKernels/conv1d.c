#include "irg_kernels.h"

#include <immintrin.h>
#include <string.h>

enum { ROW_TILE = 8, ROW_BLOCK = 64, PANEL_GROUP = 4 };

int irg_conv1d_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

static int panels_of(int out_channels) { return (out_channels + IRG_CONV_PANEL - 1) / IRG_CONV_PANEL; }

size_t irg_conv1d_packed_count(int out_channels, int in_channels, int kernel) {
    return (size_t)panels_of(out_channels) * kernel * in_channels * IRG_CONV_PANEL;
}

void irg_conv1d_pack(const float *weight, int out_channels, int in_channels, int kernel, float *packed) {
    memset(packed, 0, irg_conv1d_packed_count(out_channels, in_channels, kernel) * sizeof(float));
    for (int o = 0; o < out_channels; o++) {
        float *panel = packed + (size_t)(o / IRG_CONV_PANEL) * kernel * in_channels * IRG_CONV_PANEL;
        for (int c = 0; c < in_channels; c++)
            for (int j = 0; j < kernel; j++)
                panel[((size_t)j * in_channels + c) * IRG_CONV_PANEL + o % IRG_CONV_PANEL] =
                    weight[((size_t)o * in_channels + c) * kernel + j];
    }
}

/* Up to ROW_TILE output rows x one panel of 32 channels. `rows` is a
 * compile-time constant at each call site (the function is always inlined),
 * so the accumulators live in registers. */
__attribute__((always_inline, target("avx512f"))) static inline void
tile(const irg_conv1d_job *job, const float *first_input_row, float *first_output_row, const float *first_residual_row,
     int panel, int weight_set, const int rows) {
    const int cin = job->in_channels, cout = job->out_channels;
    const size_t row_step = (size_t)job->stride * cin, tap_step = (size_t)job->dilation * cin;
    const float *weights = job->packed + (size_t)weight_set * job->weight_set_stride
                           + (size_t)panel * job->kernel * cin * IRG_CONV_PANEL;
    __m512 acc[ROW_TILE][2];
    for (int r = 0; r < rows; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int j = 0; j < job->kernel; j++) {
        const float *x = first_input_row + j * tap_step;
        const float *w = weights + (size_t)j * cin * IRG_CONV_PANEL;
        for (int c = 0; c < cin; c++) {
            __m512 w0 = _mm512_loadu_ps(w + (size_t)c * IRG_CONV_PANEL);
            __m512 w1 = _mm512_loadu_ps(w + (size_t)c * IRG_CONV_PANEL + 16);
            for (int r = 0; r < rows; r++) {
                __m512 a = _mm512_set1_ps(x[r * row_step + c]);
                acc[r][0] = _mm512_fmadd_ps(a, w0, acc[r][0]);
                acc[r][1] = _mm512_fmadd_ps(a, w1, acc[r][1]);
            }
        }
    }
    /* Channels of this panel that exist (the last panel may be partial). */
    int base = panel * IRG_CONV_PANEL, live = cout - base < IRG_CONV_PANEL ? cout - base : IRG_CONV_PANEL;
    __mmask16 m0 = live >= 16 ? 0xFFFF : (__mmask16)((1u << live) - 1);
    __mmask16 m1 = live >= 32 ? 0xFFFF : live > 16 ? (__mmask16)((1u << (live - 16)) - 1) : 0;
    __m512 b0 = _mm512_setzero_ps(), b1 = _mm512_setzero_ps();
    if (job->bias) {
        b0 = _mm512_maskz_loadu_ps(m0, job->bias + base);
        b1 = _mm512_maskz_loadu_ps(m1, job->bias + base + 16);
    }
    for (int r = 0; r < rows; r++) {
        __m512 y0 = _mm512_add_ps(acc[r][0], b0), y1 = _mm512_add_ps(acc[r][1], b1);
        if (first_residual_row) {
            const float *res = first_residual_row + (size_t)r * cout + base;
            y0 = _mm512_add_ps(y0, _mm512_maskz_loadu_ps(m0, res));
            y1 = _mm512_add_ps(y1, _mm512_maskz_loadu_ps(m1, res + 16));
        }
        if (job->relu) {
            y0 = _mm512_max_ps(y0, _mm512_setzero_ps());
            y1 = _mm512_max_ps(y1, _mm512_setzero_ps());
        }
        float *out = first_output_row + (size_t)r * cout + base;
        _mm512_mask_storeu_ps(out, m0, y0);
        _mm512_mask_storeu_ps(out + 16, m1, y1);
    }
}

__attribute__((target("avx512f"))) static void
block(const irg_conv1d_job *job, const irg_conv1d_segment *segment, int row_begin, int row_end, int panel_begin,
      int panel_end) {
    const int cin = job->in_channels, cout = job->out_channels;
    for (int panel = panel_begin; panel < panel_end; panel++) {
        for (int q = row_begin; q < row_end; q += ROW_TILE) {
            const float *x = job->input + ((size_t)segment->first_read + (size_t)q * job->stride) * cin;
            size_t out_row = (size_t)segment->out_row + q;
            float *y = job->output + out_row * cout;
            const float *res = job->residual ? job->residual + out_row * cout : NULL;
            switch (row_end - q < ROW_TILE ? row_end - q : ROW_TILE) {
            case 8: tile(job, x, y, res, panel, segment->weight_set, 8); break;
            case 7: tile(job, x, y, res, panel, segment->weight_set, 7); break;
            case 6: tile(job, x, y, res, panel, segment->weight_set, 6); break;
            case 5: tile(job, x, y, res, panel, segment->weight_set, 5); break;
            case 4: tile(job, x, y, res, panel, segment->weight_set, 4); break;
            case 3: tile(job, x, y, res, panel, segment->weight_set, 3); break;
            case 2: tile(job, x, y, res, panel, segment->weight_set, 2); break;
            default: tile(job, x, y, res, panel, segment->weight_set, 1); break;
            }
        }
    }
}

static int blocks_of(int rows) { return (rows + ROW_BLOCK - 1) / ROW_BLOCK; }
static int groups_of(const irg_conv1d_job *job) { return (panels_of(job->out_channels) + PANEL_GROUP - 1) / PANEL_GROUP; }

int irg_conv1d_items(const irg_conv1d_job *job) {
    int items = 0;
    for (int s = 0; s < job->segment_count; s++) items += blocks_of(job->segments[s].rows) * groups_of(job);
    return items;
}

void irg_conv1d_work(const irg_conv1d_job *job, int *next) {
    const int groups = groups_of(job), panels = panels_of(job->out_channels);
    for (;;) {
        int item = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
        int s = 0;
        while (s < job->segment_count && item >= blocks_of(job->segments[s].rows) * groups) {
            item -= blocks_of(job->segments[s].rows) * groups;
            s++;
        }
        if (s == job->segment_count) return;
        int row_block = item / groups, group = item % groups;
        int row_begin = row_block * ROW_BLOCK;
        int row_end = row_begin + ROW_BLOCK < job->segments[s].rows ? row_begin + ROW_BLOCK : job->segments[s].rows;
        int panel_end = (group + 1) * PANEL_GROUP < panels ? (group + 1) * PANEL_GROUP : panels;
        block(job, &job->segments[s], row_begin, row_end, group * PANEL_GROUP, panel_end);
    }
}

typedef struct {
    const irg_conv1d_job *job;
    int next;
} conv1d_run;

static void conv1d_task(void *context, int worker) {
    (void)worker;
    conv1d_run *run = context;
    irg_conv1d_work(run->job, &run->next);
}

void irg_conv1d_run(const irg_conv1d_job *job, int threads) {
    conv1d_run run = {job, 0};
    int items = irg_conv1d_items(job);
    irg_parallel(threads < items ? threads : items, conv1d_task, &run);
}
