#include "bare_nng.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/util/platform.h>

typedef struct {
    nng_aio *aio;
    nng_ctx ctx;
    int receiving;
} echo_context;

struct bare_echo_server {
    nng_socket socket;
    int count;
    echo_context *contexts;
};

// The callback only re-arms the context: never blocks (nng issues 1721, 1313).
static void echo_callback(void *arg) {
    echo_context *c = arg;
    if (nng_aio_result(c->aio) != 0) {
        if (nng_aio_result(c->aio) == NNG_ECLOSED) return;
        c->receiving = 1;
        nng_ctx_recv(c->ctx, c->aio);
        return;
    }
    if (c->receiving) {
        c->receiving = 0;
        nng_msg *msg = nng_aio_get_msg(c->aio);
        nng_aio_set_msg(c->aio, msg);
        nng_ctx_send(c->ctx, c->aio);
    } else {
        c->receiving = 1;
        nng_ctx_recv(c->ctx, c->aio);
    }
}

bare_echo_server *bare_echo_server_start(const char *url, int contexts, int *err) {
    bare_echo_server *s = calloc(1, sizeof(*s));
    s->count = contexts;
    s->contexts = calloc((size_t)contexts, sizeof(echo_context));
    if ((*err = nng_rep0_open(&s->socket)) != 0) goto fail;
    for (int i = 0; i < contexts; i++) {
        echo_context *c = &s->contexts[i];
        if ((*err = nng_aio_alloc(&c->aio, echo_callback, c)) != 0) goto fail;
        if ((*err = nng_ctx_open(&c->ctx, s->socket)) != 0) goto fail;
    }
    if ((*err = nng_listen(s->socket, url, NULL, 0)) != 0) goto fail;
    for (int i = 0; i < contexts; i++) {
        s->contexts[i].receiving = 1;
        nng_ctx_recv(s->contexts[i].ctx, s->contexts[i].aio);
    }
    return s;
fail:
    bare_echo_server_stop(s);
    return NULL;
}

void bare_echo_server_stop(bare_echo_server *s) {
    if (s == NULL) return;
    nng_close(s->socket);
    for (int i = 0; i < s->count; i++) {
        if (s->contexts[i].aio != NULL) nng_aio_free(s->contexts[i].aio);
    }
    free(s->contexts);
    free(s);
}

typedef struct {
    nng_socket socket;
    size_t size;
    int first, count;
    double *latencies_us;
    int err;
} client_thread;

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void client_loop(void *arg) {
    client_thread *t = arg;
    nng_ctx ctx;
    nng_aio *aio;
    if ((t->err = nng_ctx_open(&ctx, t->socket)) != 0) return;
    if ((t->err = nng_aio_alloc(&aio, NULL, NULL)) != 0) return;
    nng_aio_set_timeout(aio, 10000);
    for (int i = 0; i < t->count && t->err == 0; i++) {
        nng_msg *msg;
        double start = now_us();
        if ((t->err = nng_msg_alloc(&msg, t->size)) != 0) break;
        memset(nng_msg_body(msg), 0x5a, t->size);
        nng_aio_set_msg(aio, msg);
        nng_ctx_send(ctx, aio);
        nng_aio_wait(aio);
        if ((t->err = nng_aio_result(aio)) != 0) { nng_msg_free(msg); break; }
        nng_ctx_recv(ctx, aio);
        nng_aio_wait(aio);
        if ((t->err = nng_aio_result(aio)) != 0) break;
        nng_msg_free(nng_aio_get_msg(aio));
        t->latencies_us[t->first + i] = now_us() - start;
    }
    nng_aio_free(aio);
    nng_ctx_close(ctx);
}

int bare_echo_client_run(const char *url, size_t size, int clients, int requests,
                         double *latencies_us, double *seconds) {
    nng_socket socket;
    int err;
    if ((err = nng_req0_open(&socket)) != 0) return err;
    nng_socket_set_ms(socket, NNG_OPT_REQ_RESENDTIME, NNG_DURATION_INFINITE);
    if ((err = nng_dial(socket, url, NULL, 0)) != 0) { nng_close(socket); return err; }
    client_thread *threads = calloc((size_t)clients, sizeof(client_thread));
    nng_thread **handles = calloc((size_t)clients, sizeof(nng_thread *));
    int per = requests / clients;
    double start = now_us();
    for (int i = 0; i < clients; i++) {
        threads[i] = (client_thread){socket, size, i * per,
                                     i == clients - 1 ? requests - i * per : per,
                                     latencies_us, 0};
        nng_thread_create(&handles[i], client_loop, &threads[i]);
    }
    for (int i = 0; i < clients; i++) nng_thread_destroy(handles[i]);
    *seconds = (now_us() - start) / 1e6;
    for (int i = 0; i < clients; i++) if (threads[i].err != 0 && err == 0) err = threads[i].err;
    free(threads);
    free(handles);
    nng_close(socket);
    return err;
}
