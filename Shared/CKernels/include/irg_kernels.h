#ifndef IRG_KERNELS_H
#define IRG_KERNELS_H

/* Direct 1-D convolution over time-major rows, AVX-512. Weights are packed
 * once into panels of 32 output channels, [panel][tap][in][32], so the inner
 * loop reads one contiguous stream of weights; input rows are read in place
 * (each output row's taps are rows of the input), and bias, residual and
 * ReLU are applied while the results are still in registers. */

#include <stddef.h>

#define IRG_CONV_PANEL 32

/* Whether this CPU runs the kernels (AVX-512F). */
int irg_conv1d_available(void);

/* Floats the packed weights of an (out, in, kernel) convolution take. */
size_t irg_conv1d_packed_count(int out_channels, int in_channels, int kernel);

/* PyTorch's (out, in, kernel) weight into panels; padding channels are zero. */
void irg_conv1d_pack(const float *weight, int out_channels, int in_channels, int kernel, float *packed);

/* One sequence: output rows out_row ..< out_row + rows, where output row q
 * reads input rows first_read + (q - out_row) * stride + j * dilation. */
typedef struct {
    int first_read;
    int out_row;
    int rows;
    int weight_set;          /* which of the job's packed weight sets */
} irg_conv1d_segment;

typedef struct {
    const float *input;      /* rows of in_channels floats */
    int in_channels;
    int kernel, stride, dilation;
    const float *packed;     /* irg_conv1d_pack's output, or several one after another */
    size_t weight_set_stride;/* floats from one packed set to the next */
    const float *bias;       /* out_channels, or NULL for none */
    const float *residual;   /* rows of out_channels, indexed like output; or NULL */
    float *output;           /* rows of out_channels */
    int out_channels;
    int relu;
    const irg_conv1d_segment *segments;
    int segment_count;
} irg_conv1d_job;

/* Work items of a job (blocks of rows by groups of panels). */
int irg_conv1d_items(const irg_conv1d_job *job);

/* Runs items, claiming them from *next until none are left; call from each
 * worker thread with the same counter (starting at 0). */
void irg_conv1d_work(const irg_conv1d_job *job, int *next);

/* The whole job on up to `threads` threads (irg_parallel). */
void irg_conv1d_run(const irg_conv1d_job *job, int threads);

/* fn(context, w) for w in 0 ..< workers, w = 0 on the calling thread, the
 * rest on persistent pool threads; returns when all have returned. One job
 * at a time: a caller that finds the pool busy runs every w itself. */
typedef void (*irg_task)(void *context, int worker);
void irg_parallel(int workers, irg_task fn, void *context);

/* Winograd F(2, 3) for kernel-3, stride-1 convolutions with padding =
 * dilation d: outputs y[r], y[r + d] of a tile from x[r - d], x[r], x[r + d],
 * x[r + 2d] with four 1x1 products (2/3 of the direct multiply-adds):
 * V0 = x[r-d] - x[r+d], V1 = x[r] + x[r+d], V2 = x[r+d] - x[r], V3 = x[r] - x[r+2d];
 * U0 = g0, U1 = (g0 + g1 + g2) / 2, U2 = (g0 - g1 + g2) / 2, U3 = g2;
 * y[r] = M0 + M1 + M2, y[r + d] = M1 - M2 - M3 with Mi = Vi Ui^T. */

/* The four U_i, each packed as a kernel-1 convolution, one after another. */
size_t irg_winograd_packed_count(int out_channels, int in_channels);
void irg_winograd_pack(const float *weight, int out_channels, int in_channels, float *packed);

/* V_i rows of `count` tiles (each tile's first row r): v holds four blocks
 * of count x in_channels, tile k in row k of each. Rows at or past
 * input_rows read as zero. */
void irg_winograd_input(const float *input, int in_channels, int input_rows, int dilation, const int *tiles,
                        int count, float *v);

/* Output rows of `count` tiles from the four blocks of m (count x
 * out_channels each), plus bias (+ residual), ReLU'd when asked. The second
 * row of a tile is written only when it is below its sequence's end,
 * `limits[k]`. */
void irg_winograd_output(const float *m, int out_channels, int dilation, const int *tiles, const int *limits,
                         int count, const float *bias, const float *residual, int relu,
                         float *output);

/* One GRU step of one sequence, PyTorch's gates r, z, n: input_gates and
 * hidden_gates hold W_i x + b_i and W_h h + b_h (3 x hidden each), h is
 * updated in place. `vectorized` (and AVX-512F) uses a polynomial exp
 * (relative error < 2e-7); otherwise libm's expf and tanhf. */
void irg_gru_update(const float *input_gates, const float *hidden_gates, float *h, int hidden, int vectorized);

/* x = cap * tanh(x / cap) in place (Gemma2's logit and attention softcaps).
 * `vectorized` (and AVX-512F) uses the polynomial tanh (absolute error
 * ~1e-7 before the cap scales it); otherwise libm's tanhf. */
void irg_softcap(float *x, size_t count, float cap, int vectorized);

/* GeGLU's middle: gate = gelu_tanh(gate) * linear in place (PyTorch's
 * approximate='tanh'), with the same tanh as irg_softcap. */
void irg_gelu_gate(float *gate, const float *linear, size_t count, int vectorized);

/* sum of exp(x[i] - shift) in double (a softmax's normalizer); vectorized:
 * the 16-lane exp of the float difference, relative error about 2e-7. */
double irg_sum_exp(const float *x, size_t count, float shift, int vectorized);

/* y[r][o - out_begin] (+)= sum_k x[r][k] * W[o][k] for r < rows and
 * out_begin <= o < out_end, W in bfloat16, float32 arithmetic. AVX-512F/BW.
 * W is held in panels of IRG_BF16_PANEL rows interleaved IRG_BF16_CHUNK
 * inputs at a time, [panel][k / CHUNK][row of panel][k % CHUNK], with the
 * inputs padded to a multiple of the chunk and the rows to a multiple of
 * the panel by zeros. */
#include <stdint.h>
#define IRG_BF16_PANEL 4
#define IRG_BF16_CHUNK 32

/* Elements the panels of an (out, in) matrix take. */
size_t irg_bf16_panel_elements(int out_features, int in_features);

/* PyTorch's row-major (out, in) bf16 matrix into panels, on `threads` threads. */
void irg_bf16_pack(const uint16_t *rows, int out_features, int in_features, uint16_t *panels, int threads);

/* Weight row `row` of packed panels as float32. */
void irg_bf16_unpack_row(const uint16_t *panels, int in_features, int row, float *out);

typedef struct {
    const float *input;        /* rows x in_features, row stride input_stride */
    int rows, in_features, input_stride;
    const uint16_t *panels;    /* the whole matrix, packed */
    int out_begin, out_end;    /* the weight rows to apply (e.g. only the motion tokens') */
    float *output;             /* rows x (out_end - out_begin), row stride output_stride */
    int output_stride;
    int accumulate;            /* add to output instead of overwriting it */
} irg_bf16_matmul_job;
void irg_bf16_matmul(const irg_bf16_matmul_job *job, int threads);

/* Several products in one parallel pass (Gemma2's q, k and v; gate and up):
 * the workers split the jobs' weight rows as if they were one matrix. */
void irg_bf16_matmul_many(const irg_bf16_matmul_job *jobs, int count, int threads);

/* 8-bit weights: W[o][k] = q[o][k] * scale[o][k / group_size], held in
 * panels of IRG_INT8_PANEL rows interleaved four inputs at a time,
 * [panel][k / 4][row of panel][k % 4] as q + 128, with the scales as
 * [panel][group][row of panel]. Rows past out_features are zero. in_features
 * must be a multiple of 4 and group_size a multiple of 4 dividing it. */
#define IRG_INT8_PANEL 16

/* Whether this CPU runs irg_int8_matmul (AVX-512F/BW/VL and VNNI). */
int irg_int8_available(void);

size_t irg_int8_panel_bytes(int out_features, int in_features);
size_t irg_int8_panel_scale_count(int out_features, int in_features, int group_size);

/* Row-major q (out, in) and scales (out, in / group_size) into panels. */
void irg_int8_pack(const int8_t *q, const float *scales, int out_features, int in_features, int group_size,
                   uint8_t *panels, float *panel_scales);

/* Weight row `row` of packed panels, dequantized. */
void irg_int8_unpack_row(const uint8_t *panels, const float *panel_scales, int in_features, int group_size,
                         int row, float *out);

/* x's groups as int8: scale = max |x| / 127, q = round(x / scale), and the
 * sum of each group's q. `vectorized` (and AVX-512F, group_size a multiple
 * of 16) takes the same steps 16 inputs at a time, with identical results. */
void irg_int8_quantize_input(const float *x, int in_features, int group_size, int8_t *q, float *scales, int32_t *sums,
                             int vectorized);

/* y[r][o - out_begin] (+)= sum_g sw[o][g] sx[r][g] sum_{k in g} qx[r][k] q[o][k]
 * for out_begin <= o < out_end: x quantized per group by
 * irg_int8_quantize_input, each group's sum exact in int32. */
typedef struct {
    const float *input;        /* rows x in_features, row stride input_stride */
    int rows, in_features, input_stride;
    const uint8_t *panels;
    const float *panel_scales;
    int group_size;
    int out_begin, out_end;
    float *output;             /* rows x (out_end - out_begin), row stride output_stride */
    int output_stride;
    int accumulate;
} irg_int8_matmul_job;
void irg_int8_matmul(const irg_int8_matmul_job *job, int threads);

/* Several products of one input (Gemma2's q, k and v; gate and up) in one
 * parallel pass: x is quantized once and the workers split the jobs' panels
 * as if they were one matrix. The jobs must agree on input, rows,
 * in_features, input_stride and group_size. */
void irg_int8_matmul_many(const irg_int8_matmul_job *jobs, int count, int threads);

/* Reads `bytes` once on `threads` threads; returns the OR of every 64-bit
 * word (so the reads happen). For measuring memory read bandwidth. */
uint64_t irg_stream_read(const void *data, size_t bytes, int threads);


/* Attention of one sequence's group of query heads that share a key-value
 * head (Gemma2: scaling, optional tanh softcap, sliding window): each new
 * row i, at position first_position + i, against the cached keys and values
 * up to its own position (and above position - window when window > 0). */
#define IRG_ATTENTION_MAX_BLOCKS 16

typedef struct {
    const float *query;      /* rows of `heads` heads of head_dim floats each, query_stride floats apart */
    int query_stride;
    float *output;           /* laid out as the query (written) */
    int output_stride;
    const float *keys;       /* positions of head_dim floats (the group's kv head), kv_stride apart */
    const float *values;
    int kv_stride;
    int head_dim, heads;
    int rows, first_position;
    int window;              /* 0: every earlier position */
    float scaling, softcap;  /* softcap 0: none */
    float *scores;           /* scratch, heads x (first_position + rows) floats */
} irg_attention_group;

/* Whether irg_attend_group runs here for this head size (AVX-512F, a multiple of 16 up to 256). */
int irg_attention_available(int head_dim);
void irg_attend_group(const irg_attention_group *group);

#endif
