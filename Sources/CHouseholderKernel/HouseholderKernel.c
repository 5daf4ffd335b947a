// Block-fold kernel of the tall-skinny QR: one body (HouseholderKernelBody.h), instantiated for the baseline
// target and for AVX2+FMA here and for AVX-512 in HouseholderKernelAVX512.c, picked once at run time (see
// README.md for why this is C).
#include "HouseholderKernel.h"
#include "HouseholderKernelAVX512.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define SHK_X86 1
#include <cpuid.h>
#endif

// The helpers return vectors but are always inlined, so the "AVX vector return changes the ABI" warning for
// the baseline instantiation does not apply.
#pragma clang diagnostic ignored "-Wpsabi"
#pragma GCC diagnostic ignored "-Wpsabi"

#define SHK_VW 4
#include "HouseholderKernelBody.h"

SHK_DEFINE_ENTRY_POINTS(static, base)

#ifdef SHK_X86
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
SHK_DEFINE_ENTRY_POINTS(static, avx2)
#pragma clang attribute pop

// The best variant the CPU and the OS support: 2 = AVX-512F/DQ/VL (ZMM state saved), 1 = AVX2+FMA (YMM state
// saved), 0 = neither. CPUID reports what the core has; XGETBV what the OS saves on a context switch.
static int cpu_best_variant(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;  // XMM and YMM state
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    if (!((b >> 5) & 1)) return 0;  // AVX2
#ifdef SHK_HAVE_AVX512
    int f = (b >> 16) & 1, dq = (b >> 17) & 1, vl = (b >> 31) & 1;
    if (f && dq && vl && (lo & 0xE0) == 0xE0) return 2;  // opmask, ZMM0–15 upper halves, ZMM16–31
#endif
    return 1;
}
#endif

// -1: not yet detected. Detection is idempotent, so a race between threads only repeats it.
static int detected = -1;
static int variant_cap = 2;  // shk_force_variant: the highest variant the dispatch may pick

static int detected_variant(void) {
    int v = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (v < 0) {
#ifdef SHK_X86
        v = cpu_best_variant();
#else
        v = 0;
#endif
        // SURVEYSTATS_KERNEL=baseline|avx2 caps the variant for the whole process (benchmarks, and a way
        // out should a variant ever misbehave on some CPU); it can only lower what the CPU supports.
        const char *env = getenv("SURVEYSTATS_KERNEL");
        if (env && strcmp(env, "baseline") == 0) v = 0;
        else if (env && strcmp(env, "avx2") == 0 && v > 1) v = 1;
        __atomic_store_n(&detected, v, __ATOMIC_RELAXED);
    }
    return v;
}

int shk_best_variant(void) { return detected_variant(); }

int shk_variant(void) {
    int v = detected_variant(), cap = __atomic_load_n(&variant_cap, __ATOMIC_RELAXED);
    return v < cap ? v : cap;
}

int shk_force_variant(int cap) {
    return __atomic_exchange_n(&variant_cap, cap < 0 ? 0 : cap, __ATOMIC_RELAXED);
}

// The instantiation of a job for the variant in use (as capped).
#if defined(SHK_X86) && defined(SHK_HAVE_AVX512)
#define SHK_PICK(JOB) \
    (shk_variant() == 2 ? shk_##JOB##_avx512 : shk_variant() == 1 ? shk_##JOB##_avx2 : shk_##JOB##_base)
#elif defined(SHK_X86)
#define SHK_PICK(JOB) (shk_variant() ? shk_##JOB##_avx2 : shk_##JOB##_base)
#else
#define SHK_PICK(JOB) shk_##JOB##_base
#endif

int shk_fold(double *r, long m, double *block, long rows, long ld, double *work) {
    return SHK_PICK(fold)(r, m, block, rows, ld, work);
}

int shk_fill_and_fold(double *r, long m, const double *const *columns, const double *scale, const double *sqrtw,
                      long rows, double *block, double *work, double *moments) {
    return SHK_PICK(fill_fold)(r, m, columns, scale, sqrtw, rows, block, work, moments);
}

void shk_residuals(const double *const *columns, const double *beta, long p, const double *y, long rows, double *e) {
    SHK_PICK(residuals)(columns, beta, p, y, rows, e);
}

void shk_sandwich_meat_hc01(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                            double c, const double *const *columns, const double *scale, const double *rinv, long r,
                            long rows, double *meat, double *work) {
    SHK_PICK(meat_hc)(all, p, beta, y, sw, c, columns, scale, rinv, r, rows, meat, work);
}

int shk_sandwich_meat_hc23(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                           int hc3, const double *const *columns, const double *scale, const double *rinv, long r,
                           long rows, double *meat, double *leverages, double *work) {
    return SHK_PICK(meat_hc23)(all, p, beta, y, sw, hc3, columns, scale, rinv, r, rows, meat, leverages, work);
}

void shk_fitted_moments(const double *const *columns, const double *beta, long p, const double *y, const double *sqrtw,
                        long rows, double origin, double *blocks, double *work) {
    SHK_PICK(fitted_moments)(columns, beta, p, y, sqrtw, rows, origin, blocks, work);
}

void shk_fill_gram(double *accumulators, long m, const double *const *columns, const double *scale,
                   const double *sqrtw, long rows, const double *packed, const double *inverseDiagonal, double *block,
                   double *moments) {
    SHK_PICK(fill_gram)(accumulators, m, columns, scale, sqrtw, rows, packed, inverseDiagonal, block, moments);
}

void shk_gram_flush(double *accumulators, long m, double *gram, double *compensation) {
    SHK_PICK(gram_flush)(accumulators, m, gram, compensation);
}

// The widest variant's (8 doubles per vector): every variant lays its accumulators out in the first
// 16·VW·tiles doubles, so a buffer this size serves whichever variant runs.
long shk_gram_accumulator_doubles(long m) { return 16 * 8 * gram_tile_count(m); }

long shk_gram_packed_doubles(long m) { return 4 * m * u_groups(m); }

void shk_gram_coefficients(const double *p, long m, double *packed, double *inverseDiagonal) {
    solve_coefficients(p, m, packed, inverseDiagonal);
}

long shk_meat_work_doubles(long r) {
    return 256 * (4 * u_groups(r) + 2) + 4 * r * u_groups(r) + 16 * 8 * gram_tile_count(r) + r * r;
}

// x − x is +0 for every finite x and NaN for NaN and ±∞, so a block's sum of those differences is NaN iff the block
// holds a non-finite value; only such a block is searched value by value. One read at memory speed with the
// baseline's vectors (a scalar `firstIndex(where:)` over a 1e7-row column was ~10 ms, one thread).
long shk_first_nonfinite(const double *x, long n) {
    for (long i = 0; i < n;) {
        long end = n - i > 1024 ? i + 1024 : n, k = i;
        vd a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
        for (; k + 4 * VW <= end; k += 4 * VW) {
            vd v0 = ldv(x + k), v1 = ldv(x + k + VW), v2 = ldv(x + k + 2 * VW), v3 = ldv(x + k + 3 * VW);
            a0 += v0 - v0;
            a1 += v1 - v1;
            a2 += v2 - v2;
            a3 += v3 - v3;
        }
        double s = hsum((a0 + a1) + (a2 + a3));
        for (; k < end; k++) s += x[k] - x[k];
        if (s != s) {
            for (k = i; k < end; k++) if (!isfinite(x[k])) return k;
        }
        i = end;
    }
    return -1;
}
