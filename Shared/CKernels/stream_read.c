#include "irg_kernels.h"

#include <immintrin.h>

/* Reads `bytes` once on `threads` threads (equal contiguous parts, 64-byte
 * loads, OR-ed together so the reads cannot be optimised away, prefetched
 * 2 KB ahead): the memory read bandwidth a decoder that streams its weights
 * can hope for. */

typedef struct {
    const uint8_t *data;
    size_t bytes;
    int workers;
    uint64_t folded[64];
} stream_job;

__attribute__((target("avx512f"))) static void read_part(void *context, int worker) {
    stream_job *job = context;
    size_t begin = job->bytes / 64 * worker / job->workers * 64, end = job->bytes / 64 * (worker + 1) / job->workers * 64;
    __m512i a = _mm512_setzero_si512(), b = a, c = a, d = a;
    size_t i = begin;
    for (; i + 256 <= end; i += 256) {
        _mm_prefetch((const char *)job->data + i + 2048, _MM_HINT_T0);
        _mm_prefetch((const char *)job->data + i + 2048 + 128, _MM_HINT_T0);
        a = _mm512_or_si512(a, _mm512_loadu_si512(job->data + i));
        b = _mm512_or_si512(b, _mm512_loadu_si512(job->data + i + 64));
        c = _mm512_or_si512(c, _mm512_loadu_si512(job->data + i + 128));
        d = _mm512_or_si512(d, _mm512_loadu_si512(job->data + i + 192));
    }
    for (; i < end; i += 64) a = _mm512_or_si512(a, _mm512_loadu_si512(job->data + i));
    job->folded[worker] = (uint64_t)_mm512_reduce_or_epi64(_mm512_or_si512(_mm512_or_si512(a, b), _mm512_or_si512(c, d)));
}

uint64_t irg_stream_read(const void *data, size_t bytes, int threads) {
    stream_job job = {data, bytes, threads < 1 ? 1 : (threads > 64 ? 64 : threads), {0}};
    irg_parallel(job.workers, read_part, &job);
    uint64_t folded = 0;
    for (int w = 0; w < job.workers; w++) folded |= job.folded[w];
    return folded;
}
