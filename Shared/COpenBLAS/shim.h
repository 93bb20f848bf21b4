#include <cblas.h>
#include <stddef.h>

// LAPACK's Schur decompositions, exported by libopenblas. Debian ships no
// LAPACKE, so these are the Fortran entry points; the trailing size_t
// arguments are gfortran's hidden lengths of the character arguments.
// Complex arrays are interleaved (re, im) doubles.
void dgees_(const char *jobvs, const char *sort, void *select, const int *n,
            double *a, const int *lda, int *sdim, double *wr, double *wi,
            double *vs, const int *ldvs, double *work, const int *lwork,
            int *bwork, int *info, size_t jobvs_len, size_t sort_len);
void zgees_(const char *jobvs, const char *sort, void *select, const int *n,
            double *a, const int *lda, int *sdim, double *w,
            double *vs, const int *ldvs, double *work, const int *lwork,
            double *rwork, int *bwork, int *info, size_t jobvs_len, size_t sort_len);
