// Block-fold kernel of the tall-skinny QR: one body, instantiated for the baseline target and for AVX2+FMA,
// picked once at run time (see README.md for why this is C).
#include "HouseholderKernel.h"

#include <string.h>
#include <math.h>

#if defined(__x86_64__) || defined(__i386__)
#define SHK_X86 1
#include <cpuid.h>
#endif

// The helpers below return vectors but are always inlined, so the "AVX vector return changes the ABI" warning
// for the baseline instantiation does not apply.
#pragma clang diagnostic ignored "-Wpsabi"
#pragma GCC diagnostic ignored "-Wpsabi"

// Four doubles: one AVX register, or two SSE2 registers on the baseline target.
typedef double v4d __attribute__((vector_size(32)));

#define SHK_INLINE static inline __attribute__((always_inline))

// Unaligned loads/stores (block columns start at arbitrary multiples of 8 bytes).
SHK_INLINE v4d ld4(const double *p) { v4d v; memcpy(&v, p, sizeof v); return v; }
SHK_INLINE void st4(double *p, v4d v) { memcpy(p, &v, sizeof v); }
SHK_INLINE v4d splat(double x) { return (v4d){x, x, x, x}; }
SHK_INLINE double hsum(v4d v) { return (v[0] + v[2]) + (v[1] + v[3]); }

// The loops below take 16 rows per iteration into 4 independent accumulators per sum: each accumulator's
// multiply-add waits for the previous one (latency 4-5 cycles), so with 2 accumulators the loops were
// latency-bound rather than load/store-bound. The summation order is fixed (independent of data and threads).

// Sums of squares of x and products with y in one pass: *ss = Σ x², *xy = Σ x·y.
SHK_INLINE void dot2(const double *x, const double *y, long n, double *ss, double *xy) {
    v4d a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    v4d b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        v4d x0 = ld4(x + i), x1 = ld4(x + i + 4), x2 = ld4(x + i + 8), x3 = ld4(x + i + 12);
        a0 += x0 * x0;
        a1 += x1 * x1;
        a2 += x2 * x2;
        a3 += x3 * x3;
        b0 += x0 * ld4(y + i);
        b1 += x1 * ld4(y + i + 4);
        b2 += x2 * ld4(y + i + 8);
        b3 += x3 * ld4(y + i + 12);
    }
    for (; i + 4 <= n; i += 4) {
        v4d x0 = ld4(x + i);
        a0 += x0 * x0;
        b0 += x0 * ld4(y + i);
    }
    double s = hsum((a0 + a1) + (a2 + a3)), t = hsum((b0 + b1) + (b2 + b3));
    for (; i < n; i++) { s += x[i] * x[i]; t += x[i] * y[i]; }
    *ss = s;
    *xy = t;
}

SHK_INLINE double dot(const double *a, const double *b, long n) {
    v4d s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 += ld4(a + i) * ld4(b + i);
        s1 += ld4(a + i + 4) * ld4(b + i + 4);
        s2 += ld4(a + i + 8) * ld4(b + i + 8);
        s3 += ld4(a + i + 12) * ld4(b + i + 12);
    }
    for (; i + 4 <= n; i += 4) s0 += ld4(a + i) * ld4(b + i);
    double s = hsum((s0 + s1) + (s2 + s3));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

// dst = src·sc (·w), returning Σ dst² and Σ dst·x0 (x0 may alias dst). Same 16-row structure as dot2, so the
// products equal dot2's on the filled column bit for bit (the fused fill equals copy-then-fold).
SHK_INLINE void fill_col(double *dst, const double *src, double sc, const double *w, const double *x0, long n,
                         double *ss, double *d0) {
    v4d scv = splat(sc);
    v4d a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    v4d b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
    long i = 0;
#define SHK_FILL_STEP(u, o, a, bb)            \
    st4(dst + i + (o), u);                     \
    a += u * u;                                \
    bb += u * ld4(x0 + i + (o));
    if (w) {
        for (; i + 16 <= n; i += 16) {
            v4d u0 = ld4(src + i) * scv * ld4(w + i), u1 = ld4(src + i + 4) * scv * ld4(w + i + 4);
            v4d u2 = ld4(src + i + 8) * scv * ld4(w + i + 8), u3 = ld4(src + i + 12) * scv * ld4(w + i + 12);
            SHK_FILL_STEP(u0, 0, a0, b0) SHK_FILL_STEP(u1, 4, a1, b1)
            SHK_FILL_STEP(u2, 8, a2, b2) SHK_FILL_STEP(u3, 12, a3, b3)
        }
        for (; i + 4 <= n; i += 4) {
            v4d u0 = ld4(src + i) * scv * ld4(w + i);
            SHK_FILL_STEP(u0, 0, a0, b0)
        }
    } else {
        for (; i + 16 <= n; i += 16) {
            v4d u0 = ld4(src + i) * scv, u1 = ld4(src + i + 4) * scv;
            v4d u2 = ld4(src + i + 8) * scv, u3 = ld4(src + i + 12) * scv;
            SHK_FILL_STEP(u0, 0, a0, b0) SHK_FILL_STEP(u1, 4, a1, b1)
            SHK_FILL_STEP(u2, 8, a2, b2) SHK_FILL_STEP(u3, 12, a3, b3)
        }
        for (; i + 4 <= n; i += 4) {
            v4d u0 = ld4(src + i) * scv;
            SHK_FILL_STEP(u0, 0, a0, b0)
        }
    }
#undef SHK_FILL_STEP
    double s = hsum((a0 + a1) + (a2 + a3)), t = hsum((b0 + b1) + (b2 + b3));
    for (; i < n; i++) {
        double u = w ? src[i] * sc * w[i] : src[i] * sc;
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
        __builtin_prefetch(base + p->ahead + p->off, 0, 2);
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

// Eight rows of an update with a product: x[0..8) −= s·(va, vb), stored, and (acc0, acc1) += new x·(a, b).
SHK_INLINE void axpy8_dot(double *x, v4d s, v4d va, v4d vb, v4d a, v4d b, v4d *acc0, v4d *acc1) {
    v4d c = ld4(x) - s * va, d = ld4(x + 4) - s * vb;
    st4(x, c);
    st4(x + 4, d);
    *acc0 += c * a;
    *acc1 += d * b;
}

// x_c −= s[c]·v for the nc ≤ 3 columns xs[c] (nc a constant at each call), returning out[0] = Σ x₀² and
// out[c] = Σ x_c·x₀ (c ≥ 1) of the updated columns, in one pass: per row strip one load of v, and x₀'s new values
// are reused from registers. Fixed summation order (8 rows per step, two accumulators per sum).
SHK_INLINE void axpy_dots3(const double *s, const double *v, double *const *xs, long nc, long n, double *out) {
    double *x0 = xs[0], *x1 = xs[1], *x2 = xs[2];
    v4d s0 = splat(s[0]), s1 = splat(nc > 1 ? s[1] : 0), s2 = splat(nc > 2 ? s[2] : 0);
    v4d q0 = splat(0), q1 = splat(0), d0 = splat(0), d1 = splat(0), e0 = splat(0), e1 = splat(0);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        v4d va = ld4(v + i), vb = ld4(v + i + 4);
        v4d a = ld4(x0 + i) - s0 * va, b = ld4(x0 + i + 4) - s0 * vb;
        st4(x0 + i, a);
        st4(x0 + i + 4, b);
        q0 += a * a;
        q1 += b * b;
        if (nc > 1) axpy8_dot(x1 + i, s1, va, vb, a, b, &d0, &d1);
        if (nc > 2) axpy8_dot(x2 + i, s2, va, vb, a, b, &e0, &e1);
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

// Products of the panel's four reflector columns u0…u3 with three columns x, y, z (out[4q + j] = uj·(x, y, z)[q]):
// each row strip loads seven vectors for twelve multiply-adds into twelve independent sums. Eight sums (four
// reflectors × two columns) were measured at ~60 % of the multiply-add rate: each sum's chain then waits on the
// multiply-add latency; twelve keep both units busy. Fixed summation order.
SHK_INLINE void dots4x3(const double *u0, const double *u1, const double *u2, const double *u3, const double *x,
                        const double *y, const double *z, long n, double *out) {
    v4d a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    v4d b0 = splat(0), b1 = splat(0), b2 = splat(0), b3 = splat(0);
    v4d c0 = splat(0), c1 = splat(0), c2 = splat(0), c3 = splat(0);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        v4d xv = ld4(x + i), yv = ld4(y + i), zv = ld4(z + i), w;
        w = ld4(u0 + i); a0 += w * xv; b0 += w * yv; c0 += w * zv;
        w = ld4(u1 + i); a1 += w * xv; b1 += w * yv; c1 += w * zv;
        w = ld4(u2 + i); a2 += w * xv; b2 += w * yv; c2 += w * zv;
        w = ld4(u3 + i); a3 += w * xv; b3 += w * yv; c3 += w * zv;
    }
    double s[12] = {hsum(a0), hsum(a1), hsum(a2), hsum(a3), hsum(b0), hsum(b1),
                    hsum(b2), hsum(b3), hsum(c0), hsum(c1), hsum(c2), hsum(c3)};
    for (; i < n; i++) {
        s[0] += u0[i] * x[i]; s[1] += u1[i] * x[i]; s[2] += u2[i] * x[i]; s[3] += u3[i] * x[i];
        s[4] += u0[i] * y[i]; s[5] += u1[i] * y[i]; s[6] += u2[i] * y[i]; s[7] += u3[i] * y[i];
        s[8] += u0[i] * z[i]; s[9] += u1[i] * z[i]; s[10] += u2[i] * z[i]; s[11] += u3[i] * z[i];
    }
    for (int q = 0; q < 12; q++) out[q] = s[q];
}

// x −= Σⱼ uj·w[j] and y −= Σⱼ uj·z[j] (j = 0…3, in that order), two columns per pass.
SHK_INLINE void update4x2(const double *u0, const double *u1, const double *u2, const double *u3, const double *w,
                          const double *z, double *x, double *y, long n) {
    v4d w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]), w3 = splat(w[3]);
    v4d z0 = splat(z[0]), z1 = splat(z[1]), z2 = splat(z[2]), z3 = splat(z[3]);
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        v4d xv = ld4(x + i), yv = ld4(y + i), q;
        q = ld4(u0 + i); xv -= q * w0; yv -= q * z0;
        q = ld4(u1 + i); xv -= q * w1; yv -= q * z1;
        q = ld4(u2 + i); xv -= q * w2; yv -= q * z2;
        q = ld4(u3 + i); xv -= q * w3; yv -= q * z3;
        st4(x + i, xv);
        st4(y + i, yv);
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
    v4d w0 = splat(w[0]), w1 = splat(w[1]), w2 = splat(w[2]), w3 = splat(w[3]);
    v4d a0 = splat(0), a1 = splat(0);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        v4d xv = ld4(x + i), xw = ld4(x + i + 4);
        xv -= ld4(u0 + i) * w0; xw -= ld4(u0 + i + 4) * w0;
        xv -= ld4(u1 + i) * w1; xw -= ld4(u1 + i + 4) * w1;
        xv -= ld4(u2 + i) * w2; xw -= ld4(u2 + i + 4) * w2;
        xv -= ld4(u3 + i) * w3; xw -= ld4(u3 + i + 4) * w3;
        st4(x + i, xv);
        st4(x + i + 4, xw);
        if (c) { a0 += xv * ld4(c + i); a1 += xw * ld4(c + i + 4); }
    }
    for (; i + 4 <= n; i += 4) {
        v4d xv = ld4(x + i);
        xv -= ld4(u0 + i) * w0;
        xv -= ld4(u1 + i) * w1;
        xv -= ld4(u2 + i) * w2;
        xv -= ld4(u3 + i) * w3;
        st4(x + i, xv);
        if (c) a0 += xv * ld4(c + i);
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
        // The products the panel needs, three columns per pass: uⱼ·u1, uⱼ·u2, uⱼ·u3 (for T), then uⱼ·B_c for the
        // trailing columns (w_j of column c, kept at work[4c + j]).
        double *w = work;
        double g[12];
        dots4x3(u0, u1, u2, u3, u1, u2, u3, b, g);
        long c = k1;
        for (; c < m; c += 3) {
            // Three columns per pass; past the last column the last one is repeated and its sums dropped.
            long nq = m - c < 3 ? m - c : 3;
            double o[12];
            dots4x3(u0, u1, u2, u3, blk + c * ld, blk + (c + (nq > 1)) * ld, blk + (c + nq - 1) * ld, b, o);
            for (long q = 0; q < 4 * nq; q++) w[4 * c + q] = o[q];  // columns c, c+1, c+2 are adjacent in w
            for (long q = 0; q < nq; q++) prefetch_step(pf);
        }
        // T (Vᵀ V off the diagonal is Uᵀ U: the v0 parts sit on distinct rows of R).
        double t[SHK_NB][SHK_NB] = {{0}};
        double uu[SHK_NB][SHK_NB] = {{0}};
        uu[0][1] = g[0];
        uu[0][2] = g[4]; uu[1][2] = g[5];
        uu[0][3] = g[8]; uu[1][3] = g[9]; uu[2][3] = g[10];
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
    v4d w0 = splat(0), w1 = splat(0), s0 = splat(0), s1 = splat(0), scv = splat(sc), one = splat(1), ov = splat(origin);
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        v4d a = sw ? ld4(sw + i) : one, c = sw ? ld4(sw + i + 4) : one;
        a *= a;
        c *= c;
        w0 += a;
        w1 += c;
        s0 += a * (ld4(src + i) * scv - ov);
        s1 += c * (ld4(src + i + 4) * scv - ov);
    }
    double W = hsum(w0 + w1), S = hsum(s0 + s1);
    for (; i < n; i++) { double w = sw ? sw[i] * sw[i] : 1; W += w; S += w * (src[i] * sc - origin); }
    double mean = W > 0 ? S / W : 0;
    v4d mv = splat(mean), a0 = splat(0), a1 = splat(0), q0 = splat(0), q1 = splat(0);
    i = 0;
    for (; i + 8 <= n; i += 8) {
        v4d a = sw ? ld4(sw + i) : one, c = sw ? ld4(sw + i + 4) : one;
        v4d d = (ld4(src + i) * scv - ov) - mv, e = (ld4(src + i + 4) * scv - ov) - mv;
        v4d wd = a * a * d, we = c * c * e;
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
        const double *x = cols[j] + start;
        v4d bv = splat(bj);
        long i = 0;
        for (; i + 8 <= b; i += 8) {
            st4(e + i, ld4(e + i) - bv * ld4(x + i));
            st4(e + i + 4, ld4(e + i + 4) - bv * ld4(x + i + 4));
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

// U[:, k] (k < r) of the `b` rows from `start`: uₖ = wt ∘ Σ_{a ≤ k} C[a,k]·x_a, a in ascending order, eight rows and
// four columns per step (two loads and four broadcasts per eight multiply–adds; the rows are read from the columns
// themselves, no scaled copy). Each row's arithmetic depends on that row only. Calls prefetch_step every 32 rows.
SHK_INLINE void form_u(const double *const *cols, long start, long b, const double *cp, long r, const double *wt,
                       double *u, prefetch_plan *pf) {
    for (long g = 0; g < u_groups(r); g++) {
        long k0 = 4 * g, nk = r - k0 < 4 ? r - k0 : 4, na = k0 + nk;  // columns a ≥ na have C[a, k] = 0
        const double *cg = cp + g * r * 4;
        long i = 0;
        for (; i + 8 <= b; i += 8) {
            v4d s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
            v4d t0 = splat(0), t1 = splat(0), t2 = splat(0), t3 = splat(0);
            for (long a = 0; a < na; a++) {
                const double *x = cols[a] + start + i, *c = cg + 4 * a;
                v4d x0 = ld4(x), x1 = ld4(x + 4), c0 = splat(c[0]), c1 = splat(c[1]), c2 = splat(c[2]), c3 = splat(c[3]);
                s0 += c0 * x0; t0 += c0 * x1;
                s1 += c1 * x0; t1 += c1 * x1;
                s2 += c2 * x0; t2 += c2 * x1;
                s3 += c3 * x0; t3 += c3 * x1;
            }
            v4d w0 = ld4(wt + i), w1 = ld4(wt + i + 4);
            double *uk = u + k0 * b + i;
            st4(uk, s0 * w0); st4(uk + 4, t0 * w1);
            if (nk > 1) { st4(uk + b, s1 * w0); st4(uk + b + 4, t1 * w1); }
            if (nk > 2) { st4(uk + 2 * b, s2 * w0); st4(uk + 2 * b + 4, t2 * w1); }
            if (nk > 3) { st4(uk + 3 * b, s3 * w0); st4(uk + 3 * b + 4, t3 * w1); }
            if ((i & 31) == 0) prefetch_step(pf);
        }
        for (; i < b; i++) {
            double sj[4] = {0, 0, 0, 0};
            for (long a = 0; a < na; a++) {
                double x = cols[a][start + i];
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
            v4d s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
            v4d t0 = splat(0), t1 = splat(0), t2 = splat(0), t3 = splat(0);
            long i = 0;
            for (; i + 8 <= b; i += 8) {
                v4d x = ld4(ua + i), y = ld4(ua + i + 4);
                s0 += x * ld4(u0 + i); t0 += y * ld4(u0 + i + 4);
                s1 += x * ld4(u1 + i); t1 += y * ld4(u1 + i + 4);
                s2 += x * ld4(u2 + i); t2 += y * ld4(u2 + i + 4);
                s3 += x * ld4(u3 + i); t3 += y * ld4(u3 + i + 4);
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

// HC0/HC1 with the residuals fused in: per 256-row sub-block, e = y − Xβ (same per-row arithmetic as
// residuals_body), √ωᵢ·(row weight) = |eᵢ|·swᵢ²·c, then U and the meat from the same rows while they are in L1
// — one read of X per block instead of two. The next sub-block's rows (X, y) are requested during this one's U and
// meat, as the fold does: without it the residual loop waited on memory for ~a quarter of the pass's time.
SHK_INLINE void meat_hc_body(const double *const *all, long p, const double *beta, const double *y,
                             const double *sw, double c, const double *const *cols, const double *scale,
                             const double *rinv, long r, long n, double *meat, double *work) {
    double *u = work, *e = work + 256 * r, *cp = e + 256;
    u_coefficients(scale, rinv, r, cp);
    for (long start = 0; start < n; start += 256) {
        long b = n - start < 256 ? n - start : 256;
        long next = n - start - b < 256 ? n - start - b : 256;
        prefetch_plan pf;
        prefetch_plan_init(&pf, all, y, p, next, start + b, u_groups(r) * ((b + 31) / 32) + r);
        residual_block(all, beta, p, y, start, b, e);
        if (sw) {
            for (long i = 0; i < b; i++) { double w = sw[start + i] * sw[start + i]; e[i] = fabs(e[i]) * w * c; }
        } else {
            for (long i = 0; i < b; i++) e[i] = fabs(e[i]) * 1.0 * c;
        }
        form_u(cols, start, b, cp, r, e, u, &pf);
        gram_upper(u, b, r, meat, &pf);
    }
}

static void meat_hc_base(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                         double c, const double *const *cols, const double *scale, const double *rinv, long r,
                         long n, double *meat, double *work) {
    meat_hc_body(all, p, beta, y, sw, c, cols, scale, rinv, r, n, meat, work);
}

static void residuals_base(const double *const *cols, const double *beta, long p, const double *y, long n, double *e) {
    residuals_body(cols, beta, p, y, n, e);
}

static int fold_base(double *r, long m, double *blk, long b, long ld, double *work) {
    return fold_body(r, m, blk, b, ld, work);
}
static int fill_fold_base(double *r, long m, const double *const *cols, const double *scale, const double *sw,
                          long b, double *blk, double *work, double *moments) {
    return fill_fold_body(r, m, cols, scale, sw, b, blk, work, moments);
}

#ifdef SHK_X86
__attribute__((target("avx2,fma"))) static int fold_avx2(double *r, long m, double *blk, long b, long ld,
                                                          double *work) {
    return fold_body(r, m, blk, b, ld, work);
}
__attribute__((target("avx2,fma"))) static int fill_fold_avx2(double *r, long m, const double *const *cols,
                                                               const double *scale, const double *sw, long b,
                                                               double *blk, double *work, double *moments) {
    return fill_fold_body(r, m, cols, scale, sw, b, blk, work, moments);
}
__attribute__((target("avx2,fma"))) static void residuals_avx2(const double *const *cols, const double *beta,
                                                               long p, const double *y, long n, double *e) {
    residuals_body(cols, beta, p, y, n, e);
}
__attribute__((target("avx2,fma"))) static void meat_hc_avx2(const double *const *all, long p, const double *beta,
                                                             const double *y, const double *sw, double c,
                                                             const double *const *cols, const double *scale,
                                                             const double *rinv, long r, long n, double *meat,
                                                             double *work) {
    meat_hc_body(all, p, beta, y, sw, c, cols, scale, rinv, r, n, meat, work);
}
// AVX2 and FMA in CPUID, and the OS saving the YMM state (OSXSAVE + XGETBV).
static int cpu_has_avx2_fma(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6) != 6) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 5) & 1;
}
#endif

// -1: not yet detected. Detection is idempotent, so a race between threads only repeats it.
static int detected = -1;
static int forced_baseline = 0;

int shk_variant(void) {
    int v = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (v < 0) {
#ifdef SHK_X86
        v = cpu_has_avx2_fma();
#else
        v = 0;
#endif
        __atomic_store_n(&detected, v, __ATOMIC_RELAXED);
    }
    return __atomic_load_n(&forced_baseline, __ATOMIC_RELAXED) ? 0 : v;
}

int shk_force_baseline(int on) {
    return __atomic_exchange_n(&forced_baseline, on ? 1 : 0, __ATOMIC_RELAXED);
}

int shk_fold(double *r, long m, double *block, long rows, long ld, double *work) {
#ifdef SHK_X86
    if (shk_variant()) return fold_avx2(r, m, block, rows, ld, work);
#endif
    return fold_base(r, m, block, rows, ld, work);
}

int shk_fill_and_fold(double *r, long m, const double *const *columns, const double *scale, const double *sqrtw,
                      long rows, double *block, double *work, double *moments) {
#ifdef SHK_X86
    if (shk_variant()) return fill_fold_avx2(r, m, columns, scale, sqrtw, rows, block, work, moments);
#endif
    return fill_fold_base(r, m, columns, scale, sqrtw, rows, block, work, moments);
}

void shk_residuals(const double *const *columns, const double *beta, long p, const double *y, long rows, double *e) {
#ifdef SHK_X86
    if (shk_variant()) { residuals_avx2(columns, beta, p, y, rows, e); return; }
#endif
    residuals_base(columns, beta, p, y, rows, e);
}

void shk_sandwich_meat_hc01(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                            double c, const double *const *columns, const double *scale, const double *rinv, long r,
                            long rows, double *meat, double *work) {
#ifdef SHK_X86
    if (shk_variant()) { meat_hc_avx2(all, p, beta, y, sw, c, columns, scale, rinv, r, rows, meat, work); return; }
#endif
    meat_hc_base(all, p, beta, y, sw, c, columns, scale, rinv, r, rows, meat, work);
}

long shk_meat_work_doubles(long r) { return 256 * (r + 1) + 4 * r * u_groups(r); }
