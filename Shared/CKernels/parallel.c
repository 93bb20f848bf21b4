#include "irg_kernels.h"

#include <immintrin.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* A small pool of persistent workers that spin briefly before sleeping.
 * Why not Dispatch: waking a parked thread costs tens of microseconds, and a
 * single-motion pass makes about twenty parallel calls of a few hundred
 * microseconds each; a worker that is still spinning starts at once. */

enum { MAX_WORKERS = 64, SPINS_BEFORE_SLEEP = 20000 };

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
/* The job number in the high bits and its worker count in the low 8, in one
 * word, so a worker never pairs one job's number with another's count. */
static atomic_ulong job_state;
static atomic_int pending;
static int started;
static irg_task task;
static void *task_context;

static void *worker_main(void *argument) {
    int id = (int)(intptr_t)argument;
    unsigned long seen = 0;
    for (;;) {
        unsigned long now;
        for (int spins = 0; (now = atomic_load_explicit(&job_state, memory_order_acquire)) == seen; spins++) {
            if (spins < SPINS_BEFORE_SLEEP) {
                _mm_pause();
                continue;
            }
            pthread_mutex_lock(&sleep_lock);
            while (atomic_load_explicit(&job_state, memory_order_acquire) == seen) pthread_cond_wait(&wake, &sleep_lock);
            pthread_mutex_unlock(&sleep_lock);
        }
        seen = now;
        /* A participant is awaited, so no later job can replace task before it is done. */
        if (id < (int)(now & 0xFF)) {
            task(task_context, id);
            atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
        }
    }
    return NULL;
}

void irg_parallel(int workers, irg_task fn, void *context) {
    if (workers > MAX_WORKERS) workers = MAX_WORKERS;
    /* Another job is running (a concurrent caller): do this one here, alone. */
    if (workers <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
        for (int w = 0; w < (workers < 1 ? 1 : workers); w++) fn(context, w);
        return;
    }
    for (; started < workers - 1; started++) {
        pthread_t thread;
        if (pthread_create(&thread, NULL, worker_main, (void *)(intptr_t)(started + 1)) != 0) break;
        pthread_detach(thread);
    }
    int helpers = workers - 1 < started ? workers - 1 : started;
    task = fn;
    task_context = context;
    atomic_store_explicit(&pending, helpers, memory_order_relaxed);
    unsigned long number = (atomic_load_explicit(&job_state, memory_order_relaxed) >> 8) + 1;
    pthread_mutex_lock(&sleep_lock);
    atomic_store_explicit(&job_state, number << 8 | (unsigned long)(helpers + 1), memory_order_release);
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&sleep_lock);
    fn(context, 0);
    while (atomic_load_explicit(&pending, memory_order_acquire) > 0) _mm_pause();
    pthread_mutex_unlock(&job_lock);
}
