// The peer for `irg bench rpc`: a bare nng REQ/REP echo in C, no envelope,
// no protobuf, no Swift, so the benchmark can show what the RPC layer costs.
#ifndef BARE_NNG_H
#define BARE_NNG_H
#include <stddef.h>
#include <stdint.h>

typedef struct bare_echo_server bare_echo_server;

// Listens on url with `contexts` REP contexts echoing every message.
// Returns NULL and sets *err (an nng error number) on failure.
bare_echo_server *bare_echo_server_start(const char *url, int contexts, int *err);
void bare_echo_server_stop(bare_echo_server *server);

// Sends `requests` messages of `size` bytes from `clients` threads (each its
// own REQ context on one dialed socket), one in flight per thread. Writes the
// round-trip latency of each request in microseconds into latencies_us
// (length `requests`) and the wall time in seconds into *seconds.
// Returns 0 or an nng error number.
int bare_echo_client_run(const char *url, size_t size, int clients, int requests,
                         double *latencies_us, double *seconds);

#endif
