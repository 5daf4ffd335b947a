// Thin shim over Debian's libopenblas-dev (cblas.h) and liblapacke-dev (lapacke.h).
#ifndef CLAPACK_SHIM_H
#define CLAPACK_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
