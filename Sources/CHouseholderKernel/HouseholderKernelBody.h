// The kernel body of CHouseholderKernel: every loop of the fold, the fill, the residuals and the HC0/HC1 meat,
// written once over a vector of SHK_VW doubles and included by the translation units that instantiate it:
// HouseholderKernel.c with SHK_VW = 4 (the portable baseline and AVX2+FMA: one YMM register, or two SSE2
// registers) and HouseholderKernelAVX512.c with SHK_VW = 8 (one ZMM register). Everything here is static and
// always inlined into the including file's target-specific entry points. Not a public header.
#ifndef SHK_VW
#error "define SHK_VW (doubles per vector: 4 or 8) before including HouseholderKernelBody.h"
#endif

#include <string.h>
#include <math.h>

#define VW SHK_VW

// SHK_VW doubles (one vector register of the target).
typedef double vd __attribute__((vector_size(8 * SHK_VW)));

#define SHK_INLINE static inline __attribute__((always_inline))

// Unaligned loads/stores (block columns start at arbitrary multiples of 8 bytes).
SHK_INLINE vd ldv(const double *p) { vd v; memcpy(&v, p, sizeof v); return v; }
SHK_INLINE void stv(double *p, vd v) { memcpy(p, &v, sizeof v); }
SHK_INLINE vd splat(double x) {
    vd v;
    for (int k = 0; k < VW; k++) v[k] = x;
    return v;
}
// The horizontal sum in a fixed order: (v0 + v2) + (v1 + v3) for four lanes; eight lanes are first folded to
// four (lane k + lane k + 4).
SHK_INLINE double hsum(vd v) {
#if SHK_VW == 8
    double a = v[0] + v[4], b = v[1] + v[5], c = v[2] + v[6], d = v[3] + v[7];
    return (a + c) + (b + d);
#else
    return (v[0] + v[2]) + (v[1] + v[3]);
#endif
}

// The loops below take 4·VW rows per iteration into 4 independent accumulators per sum: each accumulator's
// multiply-add waits for the previous one (latency 4-5 cycles), so with 2 accumulators the loops were
// latency-bound rather than load/store-bound. The summation order is fixed (independent of data and threads);
// it depends on VW, so the 4- and 8-wide variants round differently (both backward stable).

// Sums of squares of x and products with y in one pass: *ss = Σ x², *xy = Σ x·y.
SHK_INLINE void dot2(const double *x, const double *y, long n, double *ss, double *xy) {
    vd a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    vd b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
    long i = 0;
    for (; i + 4 * VW <= n; i += 4 * VW) {
        vd x0 = ldv(x + i), x1 = ldv(x + i + VW), x2 = ldv(x + i + 2 * VW), x3 = ldv(x + i + 3 * VW);
        a0 += x0 * x0;
        a1 += x1 * x1;
        a2 += x2 * x2;
        a3 += x3 * x3;
        b0 += x0 * ldv(y + i);
        b1 += x1 * ldv(y + i + VW);
        b2 += x2 * ldv(y + i + 2 * VW);
        b3 += x3 * ldv(y + i + 3 * VW);
    }
    for (; i + VW <= n; i += VW) {
        vd x0 = ldv(x + i);
        a0 += x0 * x0;
        b0 += x0 * ldv(y + i);
    }
    double s = hsum((a0 + a1) + (a2 + a3)), t = hsum((b0 + b1) + (b2 + b3));
    for (; i < n; i++) { s += x[i] * x[i]; t += x[i] * y[i]; }
    *ss = s;
    *xy = t;
}

SHK_INLINE double dot(const double *a, const double *b, long n) {
    vd s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
    long i = 0;
    for (; i + 4 * VW <= n; i += 4 * VW) {
        s0 += ldv(a + i) * ldv(b + i);
        s1 += ldv(a + i + VW) * ldv(b + i + VW);
        s2 += ldv(a + i + 2 * VW) * ldv(b + i + 2 * VW);
        s3 += ldv(a + i + 3 * VW) * ldv(b + i + 3 * VW);
    }
    for (; i + VW <= n; i += VW) s0 += ldv(a + i) * ldv(b + i);
    double s = hsum((s0 + s1) + (s2 + s3));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

// dst = src·sc (·w), returning Σ dst² and Σ dst·x0 (x0 may alias dst). Same 16-row structure as dot2, so the
// products equal dot2's on the filled column bit for bit (the fused fill equals copy-then-fold). A NULL src is a
// column of ones (the intercept): 1·sc = sc exactly, so the values equal those of a stored column of ones. The
// loops are expanded once per source kind (SHK_FILL_LOOPS), so neither pays a per-vector test.
SHK_INLINE vd ld_or_one(const double *p, vd one) { return p ? ldv(p) : one; }
SHK_INLINE void fill_col(double *dst, const double *src, double sc, const double *w, const double *x0, long n,
                         double *ss, double *d0) {
    vd scv = splat(sc), one = splat(1.0);
    vd a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    vd b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
    long i = 0;
#define SHK_FILL_STEP(u, o, a, bb)            \
    stv(dst + i + (o), u);                     \
    a += u * u;                                \
    bb += u * ldv(x0 + i + (o));
#define SHK_FROM_SRC(o) ldv(src + i + (o))
#define SHK_FROM_ONE(o) one
#define SHK_FILL_LOOPS(LOAD)                                                                                     \
    if (w) {                                                                                                    \
        for (; i + 4 * VW <= n; i += 4 * VW) {                                                                  \
            vd u0 = LOAD(0) * scv * ldv(w + i), u1 = LOAD(VW) * scv * ldv(w + i + VW);                          \
            vd u2 = LOAD(2 * VW) * scv * ldv(w + i + 2 * VW), u3 = LOAD(3 * VW) * scv * ldv(w + i + 3 * VW);    \
            SHK_FILL_STEP(u0, 0, a0, b0) SHK_FILL_STEP(u1, VW, a1, b1)                                          \
            SHK_FILL_STEP(u2, 2 * VW, a2, b2) SHK_FILL_STEP(u3, 3 * VW, a3, b3)                                 \
        }                                                                                                       \
        for (; i + VW <= n; i += VW) {                                                                          \
            vd u0 = LOAD(0) * scv * ldv(w + i);                                                                 \
            SHK_FILL_STEP(u0, 0, a0, b0)                                                                        \
        }                                                                                                       \
    } else {                                                                                                    \
        for (; i + 4 * VW <= n; i += 4 * VW) {                                                                  \
            vd u0 = LOAD(0) * scv, u1 = LOAD(VW) * scv;                                                         \
            vd u2 = LOAD(2 * VW) * scv, u3 = LOAD(3 * VW) * scv;                                                \
            SHK_FILL_STEP(u0, 0, a0, b0) SHK_FILL_STEP(u1, VW, a1, b1)                                          \
            SHK_FILL_STEP(u2, 2 * VW, a2, b2) SHK_FILL_STEP(u3, 3 * VW, a3, b3)                                 \
        }                                                                                                       \
        for (; i + VW <= n; i += VW) {                                                                          \
            vd u0 = LOAD(0) * scv;                                                                              \
            SHK_FILL_STEP(u0, 0, a0, b0)                                                                        \
        }                                                                                                       \
    }
    if (src) {
        SHK_FILL_LOOPS(SHK_FROM_SRC)
    } else {
        SHK_FILL_LOOPS(SHK_FROM_ONE)
    }
#undef SHK_FILL_LOOPS
#undef SHK_FROM_ONE
#undef SHK_FROM_SRC
#undef SHK_FILL_STEP
    double s = hsum((a0 + a1) + (a2 + a3)), t = hsum((b0 + b1) + (b2 + b3));
    for (; i < n; i++) {
        double x = src ? src[i] : 1.0;
        double u = w ? x * sc * w[i] : x * sc;
        dst[i] = u;
        s += u * u;
        t += u * x0[i];
    }
    *ss = s;
    *d0 = t;
}

// Prefetching the next block. The caller's next call folds the rows that follow these (columns[j] + rows …),
// and the fold of this block is pure L1 arithmetic, so the next block's cache lines are requested a few at a
// time between the fold's column passes: memory reads then overlap the arithmetic. Requesting all of them at
// once, as the copy pass used to, stalls that pass (the core's miss buffers fill up) and left the reads mostly
// unoverlapped: measured on 1e7 × 12, two threads, the fold took 137–230 ms that way and 110–143 ms with the
// requests spread out (the same blocks with no memory traffic at all: 116–127 ms; noisy machine). Prefetches never fault,
// also past the end of the data; they change no result.
typedef struct {
    const double *const *cols;  // the columns (NULL: nothing to prefetch)
    const double *w;            // one more stream (row weights, the response), or NULL
    long m, b;                  // columns, rows of the next block
    long ahead;                 // the next block's first row, relative to cols[j] and w
    long col, off;              // next line to request: column `col` (m = the extra stream), row offset `off`
    long per;                   // lines per call, so that the calls cover the block
} prefetch_plan;

#define SHK_NB 4  // reflectors per panel of the blocked fold (see fold_blocked)

// How many times fold_blocked calls prefetch_some for m columns: once per column update inside a panel and
// twice per trailing column and panel (its products, its update).
SHK_INLINE long fold_passes(long m) {
    long n = 0;
    for (long k0 = 0; k0 < m; k0 += SHK_NB) {
        long nb = m - k0 < SHK_NB ? m - k0 : SHK_NB;
        n += nb * (nb - 1) / 2 + 2 * (m - k0 - nb);
    }
    return n > 0 ? n : 1;
}

// A plan to request the `b` rows from row `ahead` of the m columns (and of w) over `calls` calls of prefetch_step.
SHK_INLINE void prefetch_plan_init(prefetch_plan *p, const double *const *cols, const double *w, long m, long b,
                                   long ahead, long calls) {
    long lines = (m + (w ? 1 : 0)) * ((b + 7) / 8);
    *p = (prefetch_plan){cols, w, m, b, ahead, 0, 0, lines / (calls > 0 ? calls : 1) + 1};
}

SHK_INLINE void prefetch_some(prefetch_plan *p, long lines) {
    if (!p || !p->cols) return;
    long last = p->w ? p->m : p->m - 1;
    for (long q = 0; q < lines && p->col <= last; q++) {
        const double *base = p->col < p->m ? p->cols[p->col] : p->w;
        if (base) __builtin_prefetch(base + p->ahead + p->off, 0, 2);  // NULL: a column of ones, nothing to read
        p->off += 8;
        if (p->off >= p->b) { p->off = 0; p->col++; }
    }
}

SHK_INLINE void prefetch_step(prefetch_plan *p) { if (p) prefetch_some(p, p->per); }

// Range check: an orthogonal transformation keeps each column's norm, so if every column of [R; B] has a sum
// of squares in [1e-280, 1e280] (or is exactly zero), so have all intermediate quantities of the fold.
SHK_INLINE int range_ok(const double *r, long m, const double *ss, const double *blk, long b, long ld) {
    for (long j = 0; j < m; j++) {
        double s = ss[j];
        for (long i = 0; i <= j; i++) s += r[i + j * m] * r[i + j * m];
        if (!(s <= 1e280) || (s != 0 && s < 1e-280)) return 0;
        if (s == 0) {  // all zero, or squares that underflowed to zero?
            for (long i = 0; i < b; i++) if (blk[i + j * ld] != 0) return 0;
            for (long i = 0; i <= j; i++) if (r[i + j * m] != 0) return 0;
        }
    }
    return 1;
}

// Two vectors of rows (2·VW) of an update with a product: x[0..2·VW) −= s·(va, vb), stored, and (acc0, acc1) +=
// new x·(a, b).
SHK_INLINE void axpy2v_dot(double *x, vd s, vd va, vd vb, vd a, vd b, vd *acc0, vd *acc1) {
    vd c = ldv(x) - s * va, d = ldv(x + VW) - s * vb;
    stv(x, c);
    stv(x + VW, d);
    *acc0 += c * a;
    *acc1 += d * b;
}

// x_c −= s[c]·v for the nc ≤ 3 columns xs[c] (nc a constant at each call), returning out[0] = Σ x₀² and
// out[c] = Σ x_c·x₀ (c ≥ 1) of the updated columns, in one pass: per row strip one load of v, and x₀'s new values
// are reused from registers. Fixed summation order (2·VW rows per step, two accumulators per sum).
SHK_INLINE void axpy_dots3(const double *s, const double *v, double *const *xs, long nc, long n, double *out) {
    double *x0 = xs[0], *x1 = xs[1], *x2 = xs[2];
    vd s0 = splat(s[0]), s1 = splat(nc > 1 ? s[1] : 0), s2 = splat(nc > 2 ? s[2] : 0);
    vd q0 = splat(0), q1 = splat(0), d0 = splat(0), d1 = splat(0), e0 = splat(0), e1 = splat(0);
    long i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        vd va = ldv(v + i), vb = ldv(v + i + VW);
        vd a = ldv(x0 + i) - s0 * va, b = ldv(x0 + i + VW) - s0 * vb;
        stv(x0 + i, a);
        stv(x0 + i + VW, b);
        q0 += a * a;
        q1 += b * b;
        if (nc > 1) axpy2v_dot(x1 + i, s1, va, vb, a, b, &d0, &d1);
        if (nc > 2) axpy2v_dot(x2 + i, s2, va, vb, a, b, &e0, &e1);
    }
    double q = hsum(q0 + q1), dd = hsum(d0 + d1), ee = hsum(e0 + e1);
    for (; i < n; i++) {
        double a = x0[i] - s[0] * v[i];
        x0[i] = a;
        q += a * a;
        if (nc > 1) { double c = x1[i] - s[1] * v[i]; x1[i] = c; dd += c * a; }
        if (nc > 2) { double c = x2[i] - s[2] * v[i]; x2[i] = c; ee += c * a; }
    }
    out[0] = q;
    if (nc > 1) out[1] = dd;
    if (nc > 2) out[2] = ee;
}

// The Householder steps k0 ≤ k < k1 (k1 − k0 ≤ SHK_NB = 4), applied to the columns c < k1 only (a panel), given step k0's products
// (sigma = ‖B[:,k0]‖², dots[c] = B[:,k0]·B[:,c]). Step k reflects [r_kk; B[:,k]] onto (α, 0…0) by
// H_k = I − τ_k v vᵀ with v = (v0_k at row k of R; B[:,k] below): B[:,k] is left holding the reflector's lower
// part, and τ_k, v0_k are returned (τ_k = 0: nothing to reflect). The reflection is applied to each column
// c > k of the panel while taking, in the same pass, the dot product of the updated column c with the updated
// column k + 1 (the next step's products), all of the panel's columns in one pass per step (axpy_dots3). `next`
// is scratch of m doubles; `pf` (or NULL) is the next block's prefetch plan, advanced once per column updated.
SHK_INLINE void panel_steps(double *r, long m, double *blk, long b, long ld, long k0, long k1, double sigma,
                            double *dots, double *next, double *tau, double *v0out, prefetch_plan *pf) {
    for (long k = k0; k < k1; k++) {
        double *xk = blk + k * ld;
        double nextSigma = 0;
        if (sigma == 0) {
            // Nothing to reflect (H_k = I): the next step's products from the unchanged columns.
            tau[k - k0] = 0;
            v0out[k - k0] = 0;
            if (k + 1 < k1) {
                const double *x1 = blk + (k + 1) * ld;
                nextSigma = dot(x1, x1, b);
                for (long c = k + 2; c < k1; c++) next[c] = dot(x1, blk + c * ld, b);
            }
        } else {
            double akk = r[k + k * m];
            // What is left of a column after the earlier steps can be far smaller than the column (a short
            // block: after b steps only rounding noise is left, after more steps the square of that, …), so
            // akk² + σ can underflow although the range check passed. Then the reflector is computed from the
            // column scaled by 2^600 (exact; as LAPACK's dlarfg rescales): v' = c·v, τ' = τ/c², so every
            // update s'·v' = s·v is unchanged, and α is scaled back at the end.
            double unscale = 1;
            if (akk * akk + sigma < 0x1p-900) {
                const double c = 0x1p600;
                unscale = 0x1p-600;
                akk *= c;
                for (long i = 0; i < b; i++) xk[i] *= c;
                sigma = dot(xk, xk, b);
                for (long c2 = k + 1; c2 < k1; c2++) dots[c2] *= c;
            }
            double norm = __builtin_sqrt(akk * akk + sigma);
            double alpha = akk > 0 ? -norm : norm;
            double v0 = akk - alpha;
            double t = 2 / (v0 * v0 + sigma);
            tau[k - k0] = t;
            v0out[k - k0] = v0;
            if (k + 1 < k1) {
                // The panel's remaining columns (at most three) in one pass over the rows: each row strip of v is
                // loaded once for all of them, and column k+1's new values, still in registers, give the next
                // step's products.
                double sc[SHK_NB - 1] = {0}, out[SHK_NB - 1];
                double *xs[SHK_NB - 1] = {0};
                long nc = k1 - k - 1;
                for (long c = k + 1; c < k1; c++) {
                    double sv = (v0 * r[k + c * m] + dots[c]) * t;
                    r[k + c * m] -= sv * v0;
                    sc[c - k - 1] = sv;
                    xs[c - k - 1] = blk + c * ld;
                }
                if (nc == 1) axpy_dots3(sc, xk, xs, 1, b, out);
                else if (nc == 2) axpy_dots3(sc, xk, xs, 2, b, out);
                else axpy_dots3(sc, xk, xs, 3, b, out);
                nextSigma = out[0];
                for (long c = k + 2; c < k1; c++) next[c] = out[c - k - 1];
                for (long c = k + 1; c < k1; c++) prefetch_step(pf);
            }
            r[k + k * m] = alpha * unscale;
        }
        sigma = nextSigma;
        for (long c = k + 2; c < k1; c++) dots[c] = next[c];
    }
}

// Products of the panel's four reflector columns u0…u3 with nq ≤ 3 columns x, y, z (nq a constant at each call;
// out[4q + j] = uj·(x, y, z)[q]): each row strip loads 4 + nq vectors for 4·nq multiply-adds into as many
// independent sums. Eight sums (four reflectors × two columns) were measured at ~60 % of the multiply-add rate
// on a core with two full-width units: each sum's chain then waits on the multiply-add latency; twelve keep both
// units busy. Fixed summation order, one accumulator per sum, whatever nq.
SHK_INLINE void dots4xn(const double *u0, const double *u1, const double *u2, const double *u3, const double *x,
                        const double *y, const double *z, long nq, long n, double *out) {
    vd a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    vd b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
    vd c0 = splat(0), c1 = splat(0), c2 = splat(0), c3 = splat(0);
    long i = 0;
    for (; i + VW <= n; i += VW) {
        vd xv = ldv(x + i), yv = nq > 1 ? ldv(y + i) : xv, zv = nq > 2 ? ldv(z + i) : xv, w;
        w = ldv(u0 + i); a0 += w * xv; if (nq > 1) b0 += w * yv; if (nq > 2) c0 += w * zv;
        w = ldv(u1 + i); a1 += w * xv; if (nq > 1) b1 += w * yv; if (nq > 2) c1 += w * zv;
        w = ldv(u2 + i); a2 += w * xv; if (nq > 1) b2 += w * yv; if (nq > 2) c2 += w * zv;
        w = ldv(u3 + i); a3 += w * xv; if (nq > 1) b3 += w * yv; if (nq > 2) c3 += w * zv;
    }
    double s[12] = {hsum(a0), hsum(a1), hsum(a2), hsum(a3), hsum(b0), hsum(b1),
                    hsum(b2), hsum(b3), hsum(c0), hsum(c1), hsum(c2), hsum(c3)};
    for (; i < n; i++) {
        s[0] += u0[i] * x[i]; s[1] += u1[i] * x[i]; s[2] += u2[i] * x[i]; s[3] += u3[i] * x[i];
        if (nq > 1) { s[4] += u0[i] * y[i]; s[5] += u1[i] * y[i]; s[6] += u2[i] * y[i]; s[7] += u3[i] * y[i]; }
        if (nq > 2) { s[8] += u0[i] * z[i]; s[9] += u1[i] * z[i]; s[10] += u2[i] * z[i]; s[11] += u3[i] * z[i]; }
    }
    for (int q = 0; q < 4 * nq; q++) out[q] = s[q];
}

// The six products of T (uⱼ·uᵢ, j < i) in one pass, each sum taken as dots4xn takes it (one accumulator per sum,
// the same order): the bits of dots4xn(u0…u3, u1, u2, u3, 3), without its six products that T does not use.
SHK_INLINE void dots_t(const double *u0, const double *u1, const double *u2, const double *u3, long n, double *g) {
    vd a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0), a4 = splat(0), a5 = splat(0);
    long i = 0;
    for (; i + VW <= n; i += VW) {
        vd p0 = ldv(u0 + i), p1 = ldv(u1 + i), p2 = ldv(u2 + i), p3 = ldv(u3 + i);
        a0 += p0 * p1;
        a1 += p0 * p2; a2 += p1 * p2;
        a3 += p0 * p3; a4 += p1 * p3; a5 += p2 * p3;
    }
    double s[6] = {hsum(a0), hsum(a1), hsum(a2), hsum(a3), hsum(a4), hsum(a5)};
    for (; i < n; i++) {
        s[0] += u0[i] * u1[i];
        s[1] += u0[i] * u2[i]; s[2] += u1[i] * u2[i];
        s[3] += u0[i] * u3[i]; s[4] += u1[i] * u3[i]; s[5] += u2[i] * u3[i];
    }
    for (int q = 0; q < 6; q++) g[q] = s[q];
}

// x −= Σⱼ uj·w[j] and y −= Σⱼ uj·z[j] (j = 0…3, in that order), two columns per pass.
SHK_INLINE void update4x2(const double *u0, const double *u1, const double *u2, const double *u3, const double *w,
                          const double *z, double *x, double *y, long n) {
    vd w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]), w3 = splat(w[3]);
    vd z0 = splat(z[0]), z1 = splat(z[1]), z2 = splat(z[2]), z3 = splat(z[3]);
    long i = 0;
    for (; i + VW <= n; i += VW) {
        vd xv = ldv(x + i), yv = ldv(y + i), q;
        q = ldv(u0 + i); xv -= q * w0; yv -= q * z0;
        q = ldv(u1 + i); xv -= q * w1; yv -= q * z1;
        q = ldv(u2 + i); xv -= q * w2; yv -= q * z2;
        q = ldv(u3 + i); xv -= q * w3; yv -= q * z3;
        stv(x + i, xv);
        stv(y + i, yv);
    }
    for (; i < n; i++) {
        double a = x[i], c = y[i];
        a -= u0[i] * w[0]; c -= u0[i] * z[0];
        a -= u1[i] * w[1]; c -= u1[i] * z[1];
        a -= u2[i] * w[2]; c -= u2[i] * z[2];
        a -= u3[i] * w[3]; c -= u3[i] * z[3];
        x[i] = a;
        y[i] = c;
    }
}

// x −= Σⱼ uj·w[j] (same order and rounding as update4x2), returning Σ x·c of the updated x (c may alias x;
// NULL: no product).
SHK_INLINE double update4x1(const double *u0, const double *u1, const double *u2, const double *u3, const double *w,
                            double *x, const double *c, long n) {
    vd w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]), w3 = splat(w[3]);
    vd a0 = splat(0), a1 = splat(0);
    long i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        vd xv = ldv(x + i), xw = ldv(x + i + VW);
        xv -= ldv(u0 + i) * w0; xw -= ldv(u0 + i + VW) * w0;
        xv -= ldv(u1 + i) * w1; xw -= ldv(u1 + i + VW) * w1;
        xv -= ldv(u2 + i) * w2; xw -= ldv(u2 + i + VW) * w2;
        xv -= ldv(u3 + i) * w3; xw -= ldv(u3 + i + VW) * w3;
        stv(x + i, xv);
        stv(x + i + VW, xw);
        if (c) { a0 += xv * ldv(c + i); a1 += xw * ldv(c + i + VW); }
    }
    for (; i + VW <= n; i += VW) {
        vd xv = ldv(x + i);
        xv -= ldv(u0 + i) * w0;
        xv -= ldv(u1 + i) * w1;
        xv -= ldv(u2 + i) * w2;
        xv -= ldv(u3 + i) * w3;
        stv(x + i, xv);
        if (c) a0 += xv * ldv(c + i);
    }
    double s = hsum(a0 + a1);
    for (; i < n; i++) {
        double a = x[i];
        a -= u0[i] * w[0];
        a -= u1[i] * w[1];
        a -= u2[i] * w[2];
        a -= u3[i] * w[3];
        x[i] = a;
        if (c) s += a * c[i];
    }
    return s;
}

// The fold of a block, blocked: panels of SHK_NB = 4 columns are factored by panel_steps, and the panel's four
// reflections are applied to the columns right of it at once in compact WY form (LAPACK dlarft/dlarfb, as
// dtpqrt does with nb = 4): H₀H₁H₂H₃ = I − V T Vᵀ, with V's columns the reflectors (v0_j at row k0 + j of R, u_j =
// B[:, k0 + j] below) and T upper triangular, T[j][j] = τ_j, T[0:i, i] = −τ_i T[0:i, 0:i] (uⱼ·uᵢ)ⱼ<ᵢ. For a
// trailing column c = [r_c; B_c]: w = Tᵀ (v0 ∘ r_c[k0…k0+3] + Uᵀ B_c), then r_c[k0 + j] −= v0_j w_j and
// B_c −= U w. That is two passes over B_c per panel (its four products, its update), each at the multiply-add
// rate, instead of four passes bound by loads and stores; the flops are the same (2·b·m² per block).
// The update of the next panel's first column is done first and the next panel's columns take their products
// with it during their update (as the unblocked step does). `work` holds 4·m doubles; `next` m doubles.
SHK_INLINE void fold_blocked(double *r, long m, double *blk, long b, long ld, double sigma, double *dots,
                             double *next, double *work, prefetch_plan *pf) {
    for (long k0 = 0; k0 < m; k0 += SHK_NB) {
        long k1 = k0 + SHK_NB < m ? k0 + SHK_NB : m;
        double tau[SHK_NB], v0[SHK_NB];
        panel_steps(r, m, blk, b, ld, k0, k1, sigma, dots, next, tau, v0, pf);
        if (k1 == m) return;
        // A panel with trailing columns has SHK_NB reflectors.
        const double *u0 = blk + k0 * ld, *u1 = u0 + ld, *u2 = u1 + ld, *u3 = u2 + ld;
        // The products the panel needs: uⱼ·uᵢ (j < i, for T), then uⱼ·B_c for the trailing columns (w_j of
        // column c, kept at work[4c + j]).
        double *w = work;
        double g[6];
        dots_t(u0, u1, u2, u3, b, g);
        long c = k1;
        for (; c < m; c += 3) {
            // Three columns per pass, the last pass one or two.
            long nq = m - c < 3 ? m - c : 3;
            double o[12];
            const double *x = blk + c * ld;
            if (nq == 3) dots4xn(u0, u1, u2, u3, x, x + ld, x + 2 * ld, 3, b, o);
            else if (nq == 2) dots4xn(u0, u1, u2, u3, x, x + ld, NULL, 2, b, o);
            else dots4xn(u0, u1, u2, u3, x, NULL, NULL, 1, b, o);
            for (long q = 0; q < 4 * nq; q++) w[4 * c + q] = o[q];  // columns c, c+1, c+2 are adjacent in w
            for (long q = 0; q < nq; q++) prefetch_step(pf);
        }
        // T (Vᵀ V off the diagonal is Uᵀ U: the v0 parts sit on distinct rows of R).
        double t[SHK_NB][SHK_NB] = {{0}};
        double uu[SHK_NB][SHK_NB] = {{0}};
        uu[0][1] = g[0];
        uu[0][2] = g[1]; uu[1][2] = g[2];
        uu[0][3] = g[3]; uu[1][3] = g[4]; uu[2][3] = g[5];
        for (int i = 0; i < SHK_NB; i++) {
            t[i][i] = tau[i];
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int l = j; l < i; l++) s += t[j][l] * uu[l][i];
                t[j][i] = -tau[i] * s;
            }
        }
        // w ← Tᵀ (v0 ∘ r_c + w), and R's rows k0…k0+3 of the trailing columns.
        for (c = k1; c < m; c++) {
            double *wc = w + 4 * c, a[SHK_NB];
            for (int j = 0; j < SHK_NB; j++) a[j] = v0[j] * r[k0 + j + c * m] + wc[j];
            for (int i = 0; i < SHK_NB; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++) s += t[j][i] * a[j];
                wc[i] = s;
                r[k0 + i + c * m] -= v0[i] * s;
            }
        }
        // B_c −= U w: the next panel's first column first (its new sum of squares is the next σ), then the rest
        // of the next panel (their products with it), then the others two at a time.
        long n1 = k1 + SHK_NB < m ? k1 + SHK_NB : m;
        double *x1 = blk + k1 * ld;
        sigma = update4x1(u0, u1, u2, u3, w + 4 * k1, x1, x1, b);
        prefetch_step(pf);
        for (c = k1 + 1; c < n1; c++) {
            dots[c] = update4x1(u0, u1, u2, u3, w + 4 * c, blk + c * ld, x1, b);
            prefetch_step(pf);
        }
        for (; c + 2 <= m; c += 2) {
            update4x2(u0, u1, u2, u3, w + 4 * c, w + 4 * (c + 1), blk + c * ld, blk + (c + 1) * ld, b);
            prefetch_step(pf);
            prefetch_step(pf);
        }
        if (c < m) { update4x1(u0, u1, u2, u3, w + 4 * c, blk + c * ld, NULL, b); prefetch_step(pf); }
    }
}

SHK_INLINE int fold_body(double *r, long m, double *blk, long b, long ld, double *work) {
    if (b <= 0 || m <= 0) return 1;
    double *ss = work, *dots = work + m;
    for (long j = 0; j < m; j++) dot2(blk + j * ld, blk, b, &ss[j], &dots[j]);
    if (!range_ok(r, m, ss, blk, b, ld)) return 0;
    fold_blocked(r, m, blk, b, ld, dots[0], dots, ss, work + 2 * m, NULL);
    return 1;
}

// Σw, the weighted mean and Σw·(v − mean)² of v[i] = src[i]·sc − origin with wᵢ = swᵢ² (ones when sw is NULL), by
// the corrected two-pass algorithm (Chan, Golub & LeVeque 1983) over rows that were just read (L1/L2): the second
// term of M2 = Σw·d² − (Σw·d)²/Σw removes the first pass's rounding of the mean. The origin (a value near the
// column's mean) keeps the block means small, so that merging blocks loses nothing to the rounding of a large
// mean. Fixed summation order.
SHK_INLINE void block_moments(const double *src, double sc, double origin, const double *sw, long n, double *out) {
    vd w0 = splat(0), w1 = splat(0), s0 = splat(0), s1 = splat(0), scv = splat(sc), one = splat(1), ov = splat(origin);
    long i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        vd a = sw ? ldv(sw + i) : one, c = sw ? ldv(sw + i + VW) : one;
        a *= a;
        c *= c;
        w0 += a;
        w1 += c;
        s0 += a * (ldv(src + i) * scv - ov);
        s1 += c * (ldv(src + i + VW) * scv - ov);
    }
    double W = hsum(w0 + w1), S = hsum(s0 + s1);
    for (; i < n; i++) { double w = sw ? sw[i] * sw[i] : 1; W += w; S += w * (src[i] * sc - origin); }
    double mean = W > 0 ? S / W : 0;
    vd mv = splat(mean), a0 = splat(0), a1 = splat(0), q0 = splat(0), q1 = splat(0);
    i = 0;
    for (; i + 2 * VW <= n; i += 2 * VW) {
        vd a = sw ? ldv(sw + i) : one, c = sw ? ldv(sw + i + VW) : one;
        vd d = (ldv(src + i) * scv - ov) - mv, e = (ldv(src + i + VW) * scv - ov) - mv;
        vd wd = a * a * d, we = c * c * e;
        a0 += wd;
        a1 += we;
        q0 += wd * d;
        q1 += we * e;
    }
    double A = hsum(a0 + a1), Q = hsum(q0 + q1);
    for (; i < n; i++) {
        double w = sw ? sw[i] * sw[i] : 1, d = (src[i] * sc - origin) - mean;
        A += w * d;
        Q += w * d * d;
    }
    double m2 = W > 0 ? Q - A * A / W : Q;
    out[0] = W;
    out[1] = mean;
    out[2] = m2 > 0 ? m2 : 0;
}

SHK_INLINE int fill_fold_body(double *r, long m, const double *const *cols, const double *scale, const double *sw,
                              long b, double *blk, double *work, double *moments) {
    if (b <= 0 || m <= 0) {
        if (moments) moments[0] = moments[1] = moments[2] = 0;
        return 1;
    }
    double *ss = work, *dots = work + m;
    for (long j = 0; j < m; j++) {
        fill_col(blk + j * b, cols[j], scale ? scale[j] : 1.0, sw, blk, b, &ss[j], &dots[j]);
    }
    // The last column's rows were read just now, so its moments cost two passes over cached data here, against
    // two passes over the whole column from memory afterwards (R²'s total sum of squares).
    if (moments) block_moments(cols[m - 1], scale ? scale[m - 1] : 1.0, moments[0], sw, b, moments);
    if (!range_ok(r, m, ss, blk, b, b)) return 0;
    prefetch_plan pf;  // the caller's next block: the b rows after these
    prefetch_plan_init(&pf, cols, sw, m, b, b, fold_passes(m));
    fold_blocked(r, m, blk, b, b, dots[0], dots, ss, work + 2 * m, &pf);
    prefetch_some(&pf, 1L << 40);  // what the passes did not cover (few columns)
    return 1;
}

/* e[0..<b] = y − Xβ for rows start..<start+b (columns with β_j = 0 skipped). Shared by the residual and the
   fused HC0/HC1 paths so both round each residual identically. */
SHK_INLINE void residual_block(const double *const *cols, const double *beta, long p, const double *y, long start,
                               long b, double *e) {
    memcpy(e, y + start, (size_t)b * sizeof(double));
    for (long j = 0; j < p; j++) {
        double bj = beta[j];
        if (bj == 0) continue;
        vd bv = splat(bj);
        long i = 0;
        if (!cols[j]) {  // a column of ones: e − β·1, the same rounding as with stored ones
            vd one = splat(1.0);
            for (; i + 2 * VW <= b; i += 2 * VW) {
                stv(e + i, ldv(e + i) - bv * one);
                stv(e + i + VW, ldv(e + i + VW) - bv * one);
            }
            for (; i < b; i++) e[i] -= bj * 1.0;
            continue;
        }
        const double *x = cols[j] + start;
        for (; i + 2 * VW <= b; i += 2 * VW) {
            stv(e + i, ldv(e + i) - bv * ldv(x + i));
            stv(e + i + VW, ldv(e + i + VW) - bv * ldv(x + i + VW));
        }
        for (; i < b; i++) e[i] -= bj * x[i];
    }
}

SHK_INLINE void residuals_body(const double *const *cols, const double *beta, long p, const double *y, long n,
                               double *e) {
    for (long start = 0; start < n; start += 512) {
        long b = n - start < 512 ? n - start : 512;
        double *eb = e + start;
        residual_block(cols, beta, p, y, start, b, eb);
    }
}

// The sandwich's U = diag(wt)·X·D·R⁻¹ is formed as a small matrix product U = diag(wt)·X·C with C = D·R⁻¹,
// four columns of U at a time: C's columns in groups of four, zero below the triangle and beyond r (cp[(g·r + a)·4
// + j] = scale[a]·rinv[a + (4g + j)·r] for a ≤ 4g + j < r, else 0), computed once per call.
SHK_INLINE long u_groups(long r) { return (r + 3) / 4; }

SHK_INLINE void u_coefficients(const double *scale, const double *rinv, long r, double *cp) {
    for (long g = 0; g < u_groups(r); g++)
        for (long a = 0; a < r; a++)
            for (long j = 0; j < 4; j++) {
                long k = 4 * g + j;
                cp[(g * r + a) * 4 + j] = (k < r && a <= k) ? scale[a] * rinv[a + k * r] : 0;
            }
}

// U[:, k] (k < r) of the `b` rows from `start`: uₖ = wt ∘ Σ_{a ≤ k} C[a,k]·x_a, a in ascending order, two vectors
// of rows (2·VW) and four columns per step (two loads and four broadcasts per eight vector multiply–adds; the rows
// are read from the columns themselves, no scaled copy). Each row's arithmetic depends on that row only. Calls prefetch_step every 32 rows.
SHK_INLINE void form_u(const double *const *cols, long start, long b, const double *cp, long r, const double *wt,
                       double *u, prefetch_plan *pf) {
    vd one = splat(1.0);
    for (long g = 0; g < u_groups(r); g++) {
        long k0 = 4 * g, nk = r - k0 < 4 ? r - k0 : 4, na = k0 + nk;  // columns a ≥ na have C[a, k] = 0
        const double *cg = cp + g * r * 4;
        long i = 0;
        for (; i + 2 * VW <= b; i += 2 * VW) {
            vd s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
            vd t0 = splat(0), t1 = splat(0), t2 = splat(0), t3 = splat(0);
            for (long a = 0; a < na; a++) {
                const double *x = cols[a] ? cols[a] + start + i : NULL, *c = cg + 4 * a;  // NULL: ones
                vd x0 = ld_or_one(x, one), x1 = ld_or_one(x ? x + VW : NULL, one);
                vd c0 = splat(c[0]), c1 = splat(c[1]), c2 = splat(c[2]), c3 = splat(c[3]);
                s0 += c0 * x0; t0 += c0 * x1;
                s1 += c1 * x0; t1 += c1 * x1;
                s2 += c2 * x0; t2 += c2 * x1;
                s3 += c3 * x0; t3 += c3 * x1;
            }
            vd w0 = ldv(wt + i), w1 = ldv(wt + i + VW);
            double *uk = u + k0 * b + i;
            stv(uk, s0 * w0); stv(uk + VW, t0 * w1);
            if (nk > 1) { stv(uk + b, s1 * w0); stv(uk + b + VW, t1 * w1); }
            if (nk > 2) { stv(uk + 2 * b, s2 * w0); stv(uk + 2 * b + VW, t2 * w1); }
            if (nk > 3) { stv(uk + 3 * b, s3 * w0); stv(uk + 3 * b + VW, t3 * w1); }
            if ((i & 31) == 0) prefetch_step(pf);
        }
        for (; i < b; i++) {
            double sj[4] = {0, 0, 0, 0};
            for (long a = 0; a < na; a++) {
                double x = cols[a] ? cols[a][start + i] : 1.0;
                for (int j = 0; j < 4; j++) sj[j] += cg[4 * a + j] * x;
            }
            for (long j = 0; j < nk; j++) u[(k0 + j) * b + i] = sj[j] * wt[i];
        }
    }
}

// meat += UᵀU (upper triangle) for U with b rows (column-major, leading dimension b): column a against four
// columns k…k+3 per pass (5 loads per 4 multiply-adds instead of 8), two accumulators per product. Calls
// prefetch_step once per column a.
SHK_INLINE void gram_upper(const double *u, long b, long r, double *meat, prefetch_plan *pf) {
    for (long a = 0; a < r; a++) {
        const double *ua = u + a * b;
        long k = a;
        for (; k + 4 <= r; k += 4) {
            const double *u0 = u + k * b, *u1 = u0 + b, *u2 = u1 + b, *u3 = u2 + b;
            vd s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
            vd t0 = splat(0), t1 = splat(0), t2 = splat(0), t3 = splat(0);
            long i = 0;
            for (; i + 2 * VW <= b; i += 2 * VW) {
                vd x = ldv(ua + i), y = ldv(ua + i + VW);
                s0 += x * ldv(u0 + i); t0 += y * ldv(u0 + i + VW);
                s1 += x * ldv(u1 + i); t1 += y * ldv(u1 + i + VW);
                s2 += x * ldv(u2 + i); t2 += y * ldv(u2 + i + VW);
                s3 += x * ldv(u3 + i); t3 += y * ldv(u3 + i + VW);
            }
            double d0 = hsum(s0 + t0), d1 = hsum(s1 + t1), d2 = hsum(s2 + t2), d3 = hsum(s3 + t3);
            for (; i < b; i++) {
                d0 += ua[i] * u0[i]; d1 += ua[i] * u1[i]; d2 += ua[i] * u2[i]; d3 += ua[i] * u3[i];
            }
            meat[a + k * r] += d0;
            meat[a + (k + 1) * r] += d1;
            meat[a + (k + 2) * r] += d2;
            meat[a + (k + 3) * r] += d3;
        }
        for (; k < r; k++) meat[a + k * r] += dot(ua, u + k * b, b);
        prefetch_step(pf);
    }
}

// ---- The preconditioned Gram reduction (Cholesky QR with a preconditioner; see README.md) ----
//
// Y = X̃·P⁻¹ for a block of rows (X̃ = the columns times scale and √w, as fill_col forms them; P upper triangular,
// m × m, from a Householder QR of sampled rows), then G += YᵀY. With P close to X̃'s own R factor, Y has nearly
// orthonormal columns, so its Gram matrix is as well conditioned as Y and its Cholesky factor R_Y is accurate;
// R = R_Y·P is then the R factor of a matrix within a few ε·‖X̃‖ of X̃ (the caller checks κ(R_Y)). Both loops are
// dense multiply–add loops with no reduction → √ → division chain per column, which is what holds the Householder
// fold at ~40 % of the multiply–add rate.

// P packed for the substitution, in groups of four columns: cp[(g·m + a)·4 + j] = P[a, 4g + j] for a < 4g + j < m,
// else 0 (the strict upper triangle), and inv[k] = 1/P[k, k]. `cp` holds 4·m·⌈m/4⌉ doubles, `inv` m.
SHK_INLINE void solve_coefficients(const double *pm, long m, double *cp, double *inv) {
    for (long g = 0; g < u_groups(m); g++)
        for (long a = 0; a < m; a++)
            for (long j = 0; j < 4; j++) {
                long k = 4 * g + j;
                cp[(g * m + a) * 4 + j] = (k < m && a < k) ? pm[a + k * m] : 0;
            }
    for (long k = 0; k < m; k++) inv[k] = 1.0 / pm[k + k * m];
}

// One value of X̃: column j's row i times scale (and √w), the rounding fill_col uses. NULL column: ones.
SHK_INLINE double xt_scalar(const double *const *cols, const double *scale, const double *sw, long j, long i) {
    double x = cols[j] ? cols[j][i] : 1.0, sc = scale ? scale[j] : 1.0;
    return sw ? x * sc * sw[i] : x * sc;
}

// Y (leading dimension ld, columns 0..<4·⌈m/4⌉) = X̃·P⁻¹ for rows 0..<b, by forward substitution per row:
// y_k = (x̃_k − Σ_{a<k} y_a·P[a,k])·(1/P[k,k]), a ascending. Four columns of Y per pass over the rows, 2·VW rows per
// step (two loads and four broadcasts per eight multiply–adds), the group's own 4 × 4 triangle in registers.
// Rows b..<bp and the padding columns m..<4·⌈m/4⌉ are written as zeros (so the Gram's tiles need no edge cases).
// Each row's arithmetic depends on that row only (and on whether it falls in a vector step: fixed by b).
SHK_INLINE void solve_fill(const double *const *cols, const double *scale, const double *sw, long b, long bp,
                           const double *cp, const double *inv, long m, double *y, long ld) {
    vd one = splat(1.0);
    for (long g = 0; g < u_groups(m); g++) {
        long k0 = 4 * g, nk = m - k0 < 4 ? m - k0 : 4;
        const double *cg = cp + g * m * 4;
        const double *src[4];
        double sc[4], iv[4];
        for (long j = 0; j < 4; j++) {
            src[j] = j < nk ? cols[k0 + j] : NULL;
            sc[j] = j < nk ? (scale ? scale[k0 + j] : 1.0) : 0.0;  // padding columns: 0·1 = 0
            iv[j] = j < nk ? inv[k0 + j] : 0.0;
        }
        vd sc0 = splat(sc[0]), sc1 = splat(sc[1]), sc2 = splat(sc[2]), sc3 = splat(sc[3]);
        long i = 0;
        for (; i + 2 * VW <= b; i += 2 * VW) {
            vd s0 = ld_or_one(src[0] ? src[0] + i : NULL, one) * sc0, t0 = ld_or_one(src[0] ? src[0] + i + VW : NULL, one) * sc0;
            vd s1 = ld_or_one(src[1] ? src[1] + i : NULL, one) * sc1, t1 = ld_or_one(src[1] ? src[1] + i + VW : NULL, one) * sc1;
            vd s2 = ld_or_one(src[2] ? src[2] + i : NULL, one) * sc2, t2 = ld_or_one(src[2] ? src[2] + i + VW : NULL, one) * sc2;
            vd s3 = ld_or_one(src[3] ? src[3] + i : NULL, one) * sc3, t3 = ld_or_one(src[3] ? src[3] + i + VW : NULL, one) * sc3;
            if (sw) {
                vd w0 = ldv(sw + i), w1 = ldv(sw + i + VW);
                s0 *= w0; t0 *= w1; s1 *= w0; t1 *= w1; s2 *= w0; t2 *= w1; s3 *= w0; t3 *= w1;
            }
            for (long a = 0; a < k0; a++) {
                const double *ya = y + a * ld + i, *c = cg + 4 * a;
                vd y0 = ldv(ya), y1 = ldv(ya + VW);
                vd c0 = splat(c[0]), c1 = splat(c[1]), c2 = splat(c[2]), c3 = splat(c[3]);
                s0 -= c0 * y0; t0 -= c0 * y1;
                s1 -= c1 * y0; t1 -= c1 * y1;
                s2 -= c2 * y0; t2 -= c2 * y1;
                s3 -= c3 * y0; t3 -= c3 * y1;
            }
            const double *c = cg + 4 * k0;  // rows k0…k0+3 of P within the group
            s0 *= splat(iv[0]); t0 *= splat(iv[0]);
            s1 -= splat(c[1]) * s0; t1 -= splat(c[1]) * t0;
            s1 *= splat(iv[1]); t1 *= splat(iv[1]);
            s2 -= splat(c[2]) * s0; t2 -= splat(c[2]) * t0;
            s2 -= splat(c[4 + 2]) * s1; t2 -= splat(c[4 + 2]) * t1;
            s2 *= splat(iv[2]); t2 *= splat(iv[2]);
            s3 -= splat(c[3]) * s0; t3 -= splat(c[3]) * t0;
            s3 -= splat(c[4 + 3]) * s1; t3 -= splat(c[4 + 3]) * t1;
            s3 -= splat(c[8 + 3]) * s2; t3 -= splat(c[8 + 3]) * t2;
            s3 *= splat(iv[3]); t3 *= splat(iv[3]);
            double *yk = y + k0 * ld + i;
            stv(yk, s0); stv(yk + VW, t0);
            stv(yk + ld, s1); stv(yk + ld + VW, t1);
            stv(yk + 2 * ld, s2); stv(yk + 2 * ld + VW, t2);
            stv(yk + 3 * ld, s3); stv(yk + 3 * ld + VW, t3);
        }
        for (; i < b; i++) {  // the rows left over: the same operations, one row at a time
            double s[4];
            for (long j = 0; j < 4; j++) {
                s[j] = j < nk ? xt_scalar(cols, scale, sw, k0 + j, i) : 0.0;
                for (long a = 0; a < k0; a++) s[j] -= cg[4 * a + j] * y[a * ld + i];
            }
            const double *c = cg + 4 * k0;
            s[0] *= iv[0];
            s[1] -= c[1] * s[0]; s[1] *= iv[1];
            s[2] -= c[2] * s[0]; s[2] -= c[4 + 2] * s[1]; s[2] *= iv[2];
            s[3] -= c[3] * s[0]; s[3] -= c[4 + 3] * s[1]; s[3] -= c[8 + 3] * s[2]; s[3] *= iv[3];
            for (long j = 0; j < 4; j++) y[(k0 + j) * ld + i] = s[j];
        }
        for (; i < bp; i++)
            for (long j = 0; j < 4; j++) y[(k0 + j) * ld + i] = 0;
    }
}

// s + x into (s, c) by Neumaier's compensated summation: the blocks' sums of one chunk add without a growing error.
SHK_INLINE void compensated_add(double *s, double *c, double x) {
    double t = *s + x;
    *c += fabs(*s) >= fabs(x) ? (*s - t) + x : (x - t) + *s;
    *s = t;
}

// The Gram's partial sums are kept as vectors, one per product of each 4 × 4 tile of YᵀY (tile t of the
// upper triangle of tiles at acc + 16·VW·t), and folded into G only every few blocks (gram_flush): a horizontal sum
// and a compensated addition per product and block cost ~1.4 ns per row when done for every 256-row block.
SHK_INLINE long gram_tile_count(long m) { long ng = u_groups(m); return ng * (ng + 1) / 2; }

// acc += YᵀY's products for Y's bp rows (a multiple of VW, leading dimension ld, padding columns zero), tile by tile:
// one accumulator per product (16 independent multiply–add chains; 8 loads per 16 multiply–adds; a diagonal tile
// takes its 10 products from 4 loads), loaded from and stored back to acc. Calls prefetch_step once per tile.
SHK_INLINE void gram_tiles(const double *y, long ld, long bp, long m, double *acc, prefetch_plan *pf) {
    long ng = u_groups(m), t = 0;
    for (long ga = 0; ga < ng; ga++) {
        const double *a0 = y + 4 * ga * ld, *a1 = a0 + ld, *a2 = a1 + ld, *a3 = a2 + ld;
        for (long gk = ga; gk < ng; gk++, t++) {
            double *at = acc + 16 * VW * t;
            vd p[16];
            for (int q = 0; q < 16; q++) p[q] = ldv(at + q * VW);
            if (gk == ga) {
                for (long i = 0; i < bp; i += VW) {
                    vd x0 = ldv(a0 + i), x1 = ldv(a1 + i), x2 = ldv(a2 + i), x3 = ldv(a3 + i);
                    p[0] += x0 * x0; p[1] += x0 * x1; p[2] += x0 * x2; p[3] += x0 * x3;
                    p[5] += x1 * x1; p[6] += x1 * x2; p[7] += x1 * x3;
                    p[10] += x2 * x2; p[11] += x2 * x3; p[15] += x3 * x3;
                }
            } else {
                const double *k0 = y + 4 * gk * ld, *k1 = k0 + ld, *k2 = k1 + ld, *k3 = k2 + ld;
                for (long i = 0; i < bp; i += VW) {
                    vd x0 = ldv(a0 + i), x1 = ldv(a1 + i), x2 = ldv(a2 + i), x3 = ldv(a3 + i);
                    vd z0 = ldv(k0 + i), z1 = ldv(k1 + i), z2 = ldv(k2 + i), z3 = ldv(k3 + i);
                    p[0] += x0 * z0; p[1] += x0 * z1; p[2] += x0 * z2; p[3] += x0 * z3;
                    p[4] += x1 * z0; p[5] += x1 * z1; p[6] += x1 * z2; p[7] += x1 * z3;
                    p[8] += x2 * z0; p[9] += x2 * z1; p[10] += x2 * z2; p[11] += x2 * z3;
                    p[12] += x3 * z0; p[13] += x3 * z1; p[14] += x3 * z2; p[15] += x3 * z3;
                }
            }
            for (int q = 0; q < 16; q++) stv(at + q * VW, p[q]);
            prefetch_step(pf);
        }
    }
}

// G (m × m, column-major, upper triangle) and its compensation terms gc += the accumulators' sums (each vector
// folded horizontally in a fixed order, added by Neumaier's compensated summation); the accumulators are zeroed.
SHK_INLINE void gram_flush(double *acc, long m, double *gm, double *gc) {
    long ng = u_groups(m), t = 0;
    for (long ga = 0; ga < ng; ga++)
        for (long gk = ga; gk < ng; gk++, t++) {
            double *at = acc + 16 * VW * t;
            for (long ia = 0; ia < 4; ia++)
                for (long jk = (gk == ga ? ia : 0); jk < 4; jk++) {
                    long a = 4 * ga + ia, k = 4 * gk + jk;
                    if (a < m && k < m) compensated_add(gm + a + k * m, gc + a + k * m, hsum(ldv(at + (ia * 4 + jk) * VW)));
                }
            for (int q = 0; q < 16 * VW; q++) at[q] = 0;
        }
}

// One block of the preconditioned Gram reduction: Y = X̃·P⁻¹ into `blk` (leading dimension bp = b rounded up to
// VW; 4·⌈m/4⌉ columns), YᵀY's products into the accumulators, and on request the last column's moments as fill_fold_body takes
// them. The next block's rows are requested during the Gram's tiles.
SHK_INLINE void fill_gram_body(double *acc, long m, const double *const *cols, const double *scale,
                               const double *sw, long b, const double *cp, const double *inv, double *blk,
                               double *moments) {
    if (b <= 0 || m <= 0) {
        if (moments) moments[0] = moments[1] = moments[2] = 0;
        return;
    }
    long bp = (b + VW - 1) / VW * VW;
    solve_fill(cols, scale, sw, b, bp, cp, inv, m, blk, bp);
    if (moments) block_moments(cols[m - 1], scale ? scale[m - 1] : 1.0, moments[0], sw, b, moments);
    prefetch_plan pf;
    prefetch_plan_init(&pf, cols, sw, m, b, b, gram_tile_count(m));
    gram_tiles(blk, bp, bp, m, acc, &pf);
    prefetch_some(&pf, 1L << 40);
}

// The fitted values' moments, block by block: for each 256-row block k, f = y − e with e = y − Xβ (as
// residuals_body, in L1), then blocks[3k…3k+2] = Σw, the weighted mean of f − origin and Σw·(f − origin −
// mean)² (block_moments, weights sw², ones when sw is NULL). The caller merges the blocks in order.
SHK_INLINE void fitted_moments_body(const double *const *all, const double *beta, long p, const double *y,
                                    const double *sw, long n, double origin, double *blocks, double *e) {
    for (long start = 0, k = 0; start < n; start += 256, k++) {
        long b = n - start < 256 ? n - start : 256;
        residual_block(all, beta, p, y, start, b, e);
        for (long i = 0; i < b; i++) e[i] = y[start + i] - e[i];
        block_moments(e, 1.0, origin, sw ? sw + start : NULL, b, blocks + 3 * k);
    }
}

// The start of a 256-row sub-block of the sandwich passes: its row count, the plan that requests the next
// sub-block's rows of X and y during this one's U and UᵀU (form_u and gram_upper advance it), and its residuals in e.
SHK_INLINE long meat_sub_block(const double *const *all, long p, const double *beta, const double *y, long n,
                               long start, long r, double *e, prefetch_plan *pf) {
    long b = n - start < 256 ? n - start : 256;
    long next = n - start - b < 256 ? n - start - b : 256;
    prefetch_plan_init(pf, all, y, p, next, start + b, u_groups(r) * ((b + 31) / 32) + gram_tile_count(r));
    residual_block(all, beta, p, y, start, b, e);
    return b;
}

// The meat kernels' work space: U (256 rows × 4·⌈r/4⌉ columns, leading dimension = the sub-block's rows; the
// padding columns zeroed before the Gram), e (256), ones (256), C packed (u_coefficients), the Gram's vector
// accumulators (16·8 per tile: sized for the widest variant) and the compensation terms of the meat (r²).
typedef struct { double *u, *e, *ones, *cp, *acc, *comp; } meat_work;
SHK_INLINE meat_work meat_work_layout(double *work, long r) {
    meat_work w;
    w.u = work;
    w.e = w.u + 256 * 4 * u_groups(r);
    w.ones = w.e + 256;
    w.cp = w.ones + 256;
    w.acc = w.cp + 4 * r * u_groups(r);
    w.comp = w.acc + 16 * 8 * gram_tile_count(r);
    for (long q = 0; q < 16 * VW * gram_tile_count(r); q++) w.acc[q] = 0;
    for (long q = 0; q < r * r; q++) w.comp[q] = 0;
    return w;
}

// meat += UᵀU for a sub-block's b rows: by the Gram tiles into the vector accumulators (flushed into the
// compensated meat every 8 sub-blocks; gram_upper's horizontal sum and scalar add per product and sub-block cost
// more than the products at 256 rows), or, for a sub-block whose rows are not a whole number of vectors (the
// last of a call), by gram_upper straight into the meat.
SHK_INLINE void meat_gram(meat_work *w, long b, long r, double *meat, long *blocks, prefetch_plan *pf) {
    if (b % VW != 0) { gram_upper(w->u, b, r, meat, pf); return; }
    long rp = 4 * u_groups(r);
    for (long q = r * b; q < rp * b; q++) w->u[q] = 0;
    gram_tiles(w->u, b, b, r, w->acc, pf);
    if (++*blocks % 8 == 0) gram_flush(w->acc, r, meat, w->comp);
}

// The end of a meat kernel: what the accumulators hold, then the compensation terms, into the meat.
SHK_INLINE void meat_finish(meat_work *w, long r, double *meat) {
    gram_flush(w->acc, r, meat, w->comp);
    for (long k = 0; k < r; k++)
        for (long a = 0; a <= k; a++) meat[a + k * r] += w->comp[a + k * r];
}

// HC0/HC1 with the residuals fused in: per 256-row sub-block, e = y − Xβ (same per-row arithmetic as
// residuals_body), √ωᵢ·(row weight) = |eᵢ|·swᵢ²·c, then U and the meat from the same rows while they are in L1
// — one read of X per block instead of two. The next sub-block's rows (X, y) are requested during this one's U and
// meat, as the fold does: without it the residual loop waited on memory for ~a quarter of the pass's time.
SHK_INLINE void meat_hc_body(const double *const *all, long p, const double *beta, const double *y,
                             const double *sw, double c, const double *const *cols, const double *scale,
                             const double *rinv, long r, long n, double *meat, double *work) {
    meat_work mw = meat_work_layout(work, r);
    double *u = mw.u, *e = mw.e, *cp = mw.cp;
    u_coefficients(scale, rinv, r, cp);
    long blocks = 0;
    for (long start = 0; start < n; start += 256) {
        prefetch_plan pf;
        long b = meat_sub_block(all, p, beta, y, n, start, r, e, &pf);
        if (sw) {
            for (long i = 0; i < b; i++) { double w = sw[start + i] * sw[start + i]; e[i] = fabs(e[i]) * w * c; }
        } else {
            for (long i = 0; i < b; i++) e[i] = fabs(e[i]) * 1.0 * c;
        }
        form_u(cols, start, b, cp, r, e, u, &pf);
        meat_gram(&mw, b, r, meat, &blocks, &pf);
    }
    meat_finish(&mw, r, meat);
}

// HC2/HC3 with the residuals and the leverages fused in: per 256-row sub-block, e = y − Xβ (as residuals_body),
// U = diag(sw)·X·C (C = D·R⁻¹; sw = ones when NULL), the leverages hᵢ = ‖uᵢ‖² (written to lev[start + i]), then
// the rows of U scaled by √ωᵢ = |eᵢ·swᵢ|/√(1 − hᵢ) (HC2) or /(1 − hᵢ) (HC3), and meat += UᵀU — one read of X per
// block. Returns 0 when some hᵢ ≥ 1 − 1e-12 (the estimator is undefined there; such a row adds nothing), else 1.
SHK_INLINE int meat_hc23_body(const double *const *all, long p, const double *beta, const double *y,
                              const double *sw, int hc3, const double *const *cols, const double *scale,
                              const double *rinv, long r, long n, double *meat, double *lev, double *work) {
    meat_work mw = meat_work_layout(work, r);
    double *u = mw.u, *e = mw.e, *ones = mw.ones, *cp = mw.cp;
    for (int i = 0; i < 256; i++) ones[i] = 1;
    u_coefficients(scale, rinv, r, cp);
    int defined = 1;
    long blocks = 0;
    for (long start = 0; start < n; start += 256) {
        prefetch_plan pf;
        long b = meat_sub_block(all, p, beta, y, n, start, r, e, &pf);
        form_u(cols, start, b, cp, r, sw ? sw + start : ones, u, &pf);
        // hᵢ = Σₖ u[i,k]², k in ascending order (column by column: contiguous and vectorisable).
        double *h = lev + start;
        for (long i = 0; i < b; i++) h[i] = 0;
        for (long k = 0; k < r; k++) {
            const double *uk = u + k * b;
            for (long i = 0; i < b; i++) h[i] += uk[i] * uk[i];
        }
        for (long i = 0; i < b; i++) {
            double rest = 1 - h[i], ei = fabs(e[i] * (sw ? sw[start + i] : 1.0));
            if (rest <= 1e-12) { defined = 0; e[i] = 0; continue; }
            e[i] = hc3 ? ei / rest : ei / __builtin_sqrt(rest);
        }
        for (long k = 0; k < r; k++) {
            double *uk = u + k * b;
            for (long i = 0; i < b; i++) uk[i] *= e[i];
        }
        meat_gram(&mw, b, r, meat, &blocks, &pf);
    }
    meat_finish(&mw, r, meat);
    return defined;
}

// The four entry points of one instantiation, named shk_<job>_<SUFFIX> with the given linkage; the target
// (baseline, AVX2+FMA, AVX-512) is set by the including file around this.
#define SHK_DEFINE_ENTRY_POINTS(LINKAGE, SUFFIX)                                                                  \
    LINKAGE int shk_fold_##SUFFIX(double *r, long m, double *blk, long b, long ld, double *work) {                \
        return fold_body(r, m, blk, b, ld, work);                                                                 \
    }                                                                                                             \
    LINKAGE int shk_fill_fold_##SUFFIX(double *r, long m, const double *const *cols, const double *scale,         \
                                       const double *sw, long b, double *blk, double *work, double *moments) {    \
        return fill_fold_body(r, m, cols, scale, sw, b, blk, work, moments);                                      \
    }                                                                                                             \
    LINKAGE void shk_residuals_##SUFFIX(const double *const *cols, const double *beta, long p, const double *y,  \
                                        long n, double *e) {                                                      \
        residuals_body(cols, beta, p, y, n, e);                                                                   \
    }                                                                                                             \
    LINKAGE int shk_meat_hc23_##SUFFIX(const double *const *all, long p, const double *beta, const double *y,    \
                                       const double *sw, int hc3, const double *const *cols, const double *scale,  \
                                       const double *rinv, long r, long n, double *meat, double *lev,             \
                                       double *work) {                                                            \
        return meat_hc23_body(all, p, beta, y, sw, hc3, cols, scale, rinv, r, n, meat, lev, work);                \
    }                                                                                                             \
    LINKAGE void shk_fitted_moments_##SUFFIX(const double *const *all, const double *beta, long p, const double *y, \
                                             const double *sw, long n, double origin, double *blocks, double *e) {  \
        fitted_moments_body(all, beta, p, y, sw, n, origin, blocks, e);                                           \
    }                                                                                                             \
    LINKAGE void shk_meat_hc_##SUFFIX(const double *const *all, long p, const double *beta, const double *y,     \
                                      const double *sw, double c, const double *const *cols,                     \
                                      const double *scale, const double *rinv, long r, long n, double *meat,     \
                                      double *work) {                                                             \
        meat_hc_body(all, p, beta, y, sw, c, cols, scale, rinv, r, n, meat, work);                                \
    }                                                                                                             \
    LINKAGE void shk_fill_gram_##SUFFIX(double *acc, long m, const double *const *cols,                           \
                                        const double *scale, const double *sw, long b, const double *cp,          \
                                        const double *inv, double *blk, double *moments) {                        \
        fill_gram_body(acc, m, cols, scale, sw, b, cp, inv, blk, moments);                                        \
    }                                                                                                             \
    LINKAGE void shk_gram_flush_##SUFFIX(double *acc, long m, double *gm, double *gc) {                           \
        gram_flush(acc, m, gm, gc);                                                                               \
    }
