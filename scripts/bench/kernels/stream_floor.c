// What reading the OLS design costs in the order a one-pass QR must read it. Three sweeps over the same n × 11
// columns (10 predictors + y, separate 2 MiB-aligned arrays with transparent huge pages; the intercept is virtual),
// on T threads, each thread taking a contiguous half of the rows:
//   contiguous   each column read start to end (the bench's read floor, `readSweep` in main.swift);
//   blockwise    B rows of every column in turn, then the next B rows (the access order of a row-block QR);
//   gram         the same blocks through shk_fill_gram (the preconditioned Cholesky QR's pass, P from 2048
//                sampled rows), flushed every 8 blocks.
// Reps interleave the three; prints the minimum and median of each. PROFILE.md §3j.
// K=Sources/CHouseholderKernel; clang -O2 -march=native -Wno-psabi -I$K/include -I$K \
//   scripts/bench/kernels/stream_floor.c $K/HouseholderKernel.c $K/HouseholderKernelAVX512.c -lm -lpthread \
//   -o /tmp/stream_floor && /tmp/stream_floor 10000000 7 256 2      # n, reps, B, T
#include "HouseholderKernel.h"
#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static unsigned long long state = 88172645463325252ULL;
static double urand(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return (state >> 11) * (1.0 / 9007199254740992.0); }
static double nrand(void) { double u = urand() + 1e-300, v = urand(); return sqrt(-2 * log(u)) * cos(6.283185307179586 * v); }
static double *huge_alloc(long n) {
    size_t bytes = ((n * 8 + (1 << 21) - 1) >> 21) << 21;
    double *p = aligned_alloc(1 << 21, bytes);
    madvise(p, bytes, MADV_HUGEPAGE);
    memset(p, 0, bytes);
    return p;
}

enum { CONTIGUOUS, BLOCKWISE, GRAM, MODES };
typedef struct { double **cols; long lo, hi, m, B; const double *packed, *inv; int mode; double sum; } job;

// Four independent 8-wide sums over x[lo, hi) (hi − lo a multiple of 32 except at the very end).
static __m512d sum_range(const double *x, long lo, long hi, __m512d acc[4]) {
    long i = lo;
    for (; i + 32 <= hi; i += 32) {
        acc[0] = _mm512_add_pd(acc[0], _mm512_loadu_pd(x + i));
        acc[1] = _mm512_add_pd(acc[1], _mm512_loadu_pd(x + i + 8));
        acc[2] = _mm512_add_pd(acc[2], _mm512_loadu_pd(x + i + 16));
        acc[3] = _mm512_add_pd(acc[3], _mm512_loadu_pd(x + i + 24));
    }
    for (; i < hi; i++) acc[0] = _mm512_add_pd(acc[0], _mm512_set1_pd(x[i]));
    return acc[0];
}

static void *run(void *arg) {
    job *j = arg;
    __m512d acc[4] = {_mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd(), _mm512_setzero_pd()};
    if (j->mode == CONTIGUOUS) {
        for (long q = 0; q < j->m; q++) if (j->cols[q]) sum_range(j->cols[q], j->lo, j->hi, acc);
    } else if (j->mode == BLOCKWISE) {
        for (long st = j->lo; st < j->hi; st += j->B) {
            long end = st + j->B < j->hi ? st + j->B : j->hi;
            for (long q = 0; q < j->m; q++) if (j->cols[q]) sum_range(j->cols[q], st, end, acc);
        }
    } else {
        long m = j->m, B = j->B, count = shk_gram_accumulator_doubles(m);
        double *block = aligned_alloc(64, B * 16 * 8), *accumulators = aligned_alloc(64, 8 * count);
        memset(accumulators, 0, 8 * count);
        double gram[256] = {0}, compensation[256] = {0};
        const double *cp[64];
        long blocks = 0;
        for (long st = j->lo; st < j->hi; st += B) {
            long b = j->hi - st < B ? j->hi - st : B;
            for (long q = 0; q < m; q++) cp[q] = j->cols[q] ? j->cols[q] + st : NULL;
            shk_fill_gram(accumulators, m, cp, NULL, NULL, b, j->packed, j->inv, block, NULL);
            if (++blocks % 8 == 0) shk_gram_flush(accumulators, m, gram, compensation);
        }
        shk_gram_flush(accumulators, m, gram, compensation);
        acc[0] = _mm512_set1_pd(gram[0]);
        free(block);
        free(accumulators);
    }
    j->sum = _mm512_reduce_add_pd(_mm512_add_pd(_mm512_add_pd(acc[0], acc[1]), _mm512_add_pd(acc[2], acc[3])));
    return 0;
}

static int by_value(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 10000000, B = argc > 3 ? atol(argv[3]) : 256;
    int reps = argc > 2 ? atoi(argv[2]) : 7, threads = argc > 4 ? atoi(argv[4]) : 2;
    if (reps < 1 || reps > 64 || threads < 1 || threads > 8 || B < 8) { fprintf(stderr, "bad arguments\n"); return 2; }
    long m = 12;  // intercept (NULL: ones), 10 predictors, y
    double **cols = malloc(sizeof(double *) * m);
    cols[0] = NULL;
    for (long q = 1; q < m; q++) cols[q] = huge_alloc(n);
    for (long i = 0; i < n; i++) {
        double y = 1;
        for (long q = 1; q < m - 1; q++) { double x = (q % 2) ? (urand() < 0.3) : nrand() * 2 + q; cols[q][i] = x; y += 0.5 * q * x; }
        cols[m - 1][i] = y + nrand();
    }
    // The preconditioner as PreconditionedCholeskyQR takes it: the R of 32 stripes of 64 rows.
    long stripes = 32, rows = 64, k = stripes * rows;
    double r0[144] = {0}, work[6 * 64], *sample = aligned_alloc(64, k * m * 8);
    for (long t = 0; t < stripes; t++) {
        long st = (n - rows) * t / (stripes - 1);
        for (long q = 0; q < m; q++) for (long i = 0; i < rows; i++) sample[t * rows + i + q * k] = cols[q] ? cols[q][st + i] : 1.0;
    }
    if (!shk_fold(r0, m, sample, k, k, work)) { fprintf(stderr, "sample fold failed\n"); return 1; }
    double *packed = malloc(8 * shk_gram_packed_doubles(m)), inv[12];
    shk_gram_coefficients(r0, m, packed, inv);

    static const char *names[MODES] = {"contiguous", "blockwise", "gram"};
    double seconds[MODES][64];
    for (int r = 0; r < reps; r++)
        for (int mode = 0; mode < MODES; mode++) {
            pthread_t th[8];
            job jobs[8];
            double t0 = now();
            for (int q = 0; q < threads; q++) {
                jobs[q] = (job){cols, n * q / threads, n * (q + 1) / threads, m, B, packed, inv, mode, 0};
                pthread_create(&th[q], 0, run, &jobs[q]);
            }
            for (int q = 0; q < threads; q++) pthread_join(th[q], 0);
            seconds[mode][r] = now() - t0;
        }
    double bytes = (double)n * (m - 1) * 8;
    printf("n = %ld, B = %ld, %d threads, %d reps; %.0f MB read per sweep\n", n, B, threads, reps, bytes / 1e6);
    for (int mode = 0; mode < MODES; mode++) {
        qsort(seconds[mode], reps, sizeof(double), by_value);
        printf("%-10s  min %6.1f ms  median %6.1f ms  (%4.1f GB/s at the minimum)\n", names[mode],
               seconds[mode][0] * 1e3, seconds[mode][reps / 2] * 1e3, bytes / seconds[mode][0] / 1e9);
    }
    return 0;
}
