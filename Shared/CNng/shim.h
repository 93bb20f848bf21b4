// Debian's libnng-dev ships no nng.pc: this shim is the module's only header.
// nng.h must come first; the protocol headers depend on its types.
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/util/platform.h>
#include <nng/supplemental/tls/tls.h>
