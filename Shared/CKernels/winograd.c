#include "irg_kernels.h"

#include <stdlib.h>

size_t irg_winograd_packed_count(int out_channels, int in_channels) {
    return 4 * irg_conv1d_packed_count(out_channels, in_channels, 1);
}

void irg_winograd_pack(const float *weight, int out_channels, int in_channels, float *packed) {
    size_t size = (size_t)out_channels * in_channels, set = irg_conv1d_packed_count(out_channels, in_channels, 1);
    float *u = malloc(size * sizeof(float));
    for (int i = 0; i < 4; i++) {
        for (size_t k = 0; k < size; k++) {
            float g0 = weight[3 * k], g1 = weight[3 * k + 1], g2 = weight[3 * k + 2];
            u[k] = i == 0 ? g0 : i == 1 ? (g0 + g1 + g2) / 2 : i == 2 ? (g0 - g1 + g2) / 2 : g2;
        }
        irg_conv1d_pack(u, out_channels, in_channels, 1, packed + i * set);
    }
    free(u);
}

__attribute__((target("avx512f,fma"))) void irg_winograd_input(const float *input, int in_channels, int input_rows, int dilation, const int *tiles,
                        int count, float *v) {
    const size_t c = in_channels, block = (size_t)count * c;
    for (int k = 0; k < count; k++) {
        int r = tiles[k];
        const float *d0 = input + (size_t)(r - dilation) * c, *d1 = input + (size_t)r * c;
        const float *d2 = r + dilation < input_rows ? input + (size_t)(r + dilation) * c : NULL;
        const float *d3 = r + 2 * dilation < input_rows ? input + (size_t)(r + 2 * dilation) * c : NULL;
        float *v0 = v + k * c, *v1 = v0 + block, *v2 = v1 + block, *v3 = v2 + block;
        for (size_t i = 0; i < c; i++) {
            float x2 = d2 ? d2[i] : 0, x3 = d3 ? d3[i] : 0;
            v0[i] = d0[i] - x2;
            v1[i] = d1[i] + x2;
            v2[i] = x2 - d1[i];
            v3[i] = d1[i] - x3;
        }
    }
}

__attribute__((target("avx512f,fma"))) static void finish_row(const float *sum, const float *bias, const float *residual, int relu, size_t c, float *out) {
    for (size_t i = 0; i < c; i++) {
        float y = sum[i] + (bias ? bias[i] : 0) + (residual ? residual[i] : 0);
        out[i] = relu && y < 0 ? 0 : y;
    }
}

__attribute__((target("avx512f,fma"))) void irg_winograd_output(const float *m, int out_channels, int dilation, const int *tiles, const int *limits,
                         int count, const float *bias, const float *residual, int relu,
                         float *output) {
    const size_t c = out_channels, block = (size_t)count * c;
    float *sum = malloc(c * sizeof(float));
    for (int k = 0; k < count; k++) {
        const float *m0 = m + k * c, *m1 = m0 + block, *m2 = m1 + block, *m3 = m2 + block;
        size_t r = tiles[k];
        for (size_t i = 0; i < c; i++) sum[i] = m0[i] + m1[i] + m2[i];
        finish_row(sum, bias, residual ? residual + r * c : NULL, relu, c, output + r * c);
        if ((int)r + dilation >= limits[k]) continue;
        r += dilation;
        for (size_t i = 0; i < c; i++) sum[i] = m1[i] - m2[i] - m3[i];
        finish_row(sum, bias, residual ? residual + r * c : NULL, relu, c, output + r * c);
    }
    free(sum);
}
