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

// x -= s·v, returning Σ c·x of the updated x (c may alias x: then it is x's new sum of squares).
SHK_INLINE double axpy_dot(double s, const double *v, double *x, const double *c, long n) {
    v4d sv = splat(s), a0 = splat(0), a1 = splat(0), a2 = splat(0), a3 = splat(0);
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        v4d x0 = ld4(x + i) - sv * ld4(v + i);
        v4d x1 = ld4(x + i + 4) - sv * ld4(v + i + 4);
        v4d x2 = ld4(x + i + 8) - sv * ld4(v + i + 8);
        v4d x3 = ld4(x + i + 12) - sv * ld4(v + i + 12);
        st4(x + i, x0);
        st4(x + i + 4, x1);
        st4(x + i + 8, x2);
        st4(x + i + 12, x3);
        a0 += x0 * ld4(c + i);
        a1 += x1 * ld4(c + i + 4);
        a2 += x2 * ld4(c + i + 8);
        a3 += x3 * ld4(c + i + 12);
    }
    for (; i + 4 <= n; i += 4) {
        v4d x0 = ld4(x + i) - sv * ld4(v + i);
        st4(x + i, x0);
        a0 += x0 * ld4(c + i);
    }
    double t = hsum((a0 + a1) + (a2 + a3));
    for (; i < n; i++) { x[i] -= s * v[i]; t += x[i] * c[i]; }
    return t;
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
// time between the fold's column steps: memory reads then overlap the arithmetic. Requesting all of them at
// once, as the copy pass used to, stalls that pass (the core's miss buffers fill up) and left the reads mostly
// unoverlapped: measured on 1e7 × 12, two threads, the fold took 137–230 ms that way and 110–143 ms with the
// requests spread out (the same blocks with no memory traffic at all: 116–127 ms; noisy machine). Prefetches never fault,
// also past the end of the data; they change no result.
typedef struct {
    const double *const *cols;  // the block's column slices (NULL: nothing to prefetch)
    const double *w;            // row weights, or NULL
    long m, b;                  // columns, rows per block
    long col, off;              // next line to request: column `col` (m = the weights), row offset `off`
    long per;                   // lines per call, so that the (m−1)(m−2)/2 column steps cover the block
} prefetch_plan;

SHK_INLINE void prefetch_plan_init(prefetch_plan *p, const double *const *cols, const double *w, long m, long b) {
    long lines = (m + (w ? 1 : 0)) * ((b + 7) / 8), steps = m > 2 ? (m - 1) * (m - 2) / 2 : 1;  // calls in fold_steps
    *p = (prefetch_plan){cols, w, m, b, 0, 0, lines / steps + 1};
}

SHK_INLINE void prefetch_some(prefetch_plan *p, long lines) {
    if (!p || !p->cols) return;
    long last = p->w ? p->m : p->m - 1;
    for (long q = 0; q < lines && p->col <= last; q++) {
        const double *base = p->col < p->m ? p->cols[p->col] : p->w;
        __builtin_prefetch(base + p->b + p->off, 0, 2);
        p->off += 8;
        if (p->off >= p->b) { p->off = 0; p->col++; }
    }
}

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

// The Householder steps, given step 0's products (sigma = ‖B[:,0]‖², dots[c] = B[:,0]·B[:,c]). Step k reflects
// [r_kk; B[:,k]] onto (α, 0…0) and applies the reflection to each column c > k while taking, in the same
// pass, the dot product of the updated column c with the updated column k + 1 (the next step's products), so
// every column is read once per step. `next` is scratch of m doubles; `pf` (or NULL) is the next block's
// prefetch plan, advanced after each column step c ≥ k + 2.
SHK_INLINE void fold_steps(double *r, long m, double *blk, long b, long ld, double sigma, double *dots,
                           double *next, prefetch_plan *pf) {
    for (long k = 0; k < m; k++) {
        double *xk = blk + k * ld;
        double nextSigma = 0;
        if (sigma == 0) {
            // Nothing to reflect: the next step's products from the unchanged columns.
            if (k + 1 < m) {
                const double *x1 = blk + (k + 1) * ld;
                nextSigma = dot(x1, x1, b);
                for (long c = k + 2; c < m; c++) next[c] = dot(x1, blk + c * ld, b);
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
                for (long c2 = k + 1; c2 < m; c2++) dots[c2] *= c;
            }
            double norm = __builtin_sqrt(akk * akk + sigma);
            double alpha = akk > 0 ? -norm : norm;
            double v0 = akk - alpha;
            double tau = 2 / (v0 * v0 + sigma);
            if (k + 1 < m) {
                // Column k+1 first (its new values feed the next step's products), then the rest.
                double *x1 = blk + (k + 1) * ld;
                double s1 = (v0 * r[k + (k + 1) * m] + dots[k + 1]) * tau;
                r[k + (k + 1) * m] -= s1 * v0;
                nextSigma = axpy_dot(s1, xk, x1, x1, b);
                for (long c = k + 2; c < m; c++) {
                    double *xc = blk + c * ld;
                    double s = (v0 * r[k + c * m] + dots[c]) * tau;
                    r[k + c * m] -= s * v0;
                    next[c] = axpy_dot(s, xk, xc, x1, b);
                    prefetch_some(pf, pf ? pf->per : 0);
                }
            }
            r[k + k * m] = alpha * unscale;
        }
        sigma = nextSigma;
        for (long c = k + 2; c < m; c++) dots[c] = next[c];
    }
}

SHK_INLINE int fold_body(double *r, long m, double *blk, long b, long ld, double *work) {
    if (b <= 0 || m <= 0) return 1;
    double *ss = work, *dots = work + m;
    for (long j = 0; j < m; j++) dot2(blk + j * ld, blk, b, &ss[j], &dots[j]);
    if (!range_ok(r, m, ss, blk, b, ld)) return 0;
    fold_steps(r, m, blk, b, ld, dots[0], dots, ss, NULL);
    return 1;
}

SHK_INLINE int fill_fold_body(double *r, long m, const double *const *cols, const double *scale, const double *sw,
                              long b, double *blk, double *work) {
    if (b <= 0 || m <= 0) return 1;
    double *ss = work, *dots = work + m;
    for (long j = 0; j < m; j++) {
        fill_col(blk + j * b, cols[j], scale ? scale[j] : 1.0, sw, blk, b, &ss[j], &dots[j]);
    }
    if (!range_ok(r, m, ss, blk, b, b)) return 0;
    prefetch_plan pf;
    prefetch_plan_init(&pf, cols, sw, m, b);
    fold_steps(r, m, blk, b, b, dots[0], dots, ss, &pf);
    prefetch_some(&pf, 1L << 40);  // what the steps did not cover (few columns)
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

// One sub-block of ≤ 256 rows starting at row `start` of the columns; wt holds the sub-block's weights.
SHK_INLINE void meat_block(const double *const *cols, long start, long b, const double *scale, const double *wt,
                           const double *rinv, long r, double *meat, double *work) {
    {
        // X̃ = diag(wt)·X·D for the sub-block.
        for (long a = 0; a < r; a++) {
            const double *src = cols[a] + start, *w = wt;
            double *dst = work + a * b, sc = scale[a];
            long i = 0;
            v4d scv = splat(sc);
            for (; i + 4 <= b; i += 4) st4(dst + i, ld4(src + i) * scv * ld4(w + i));
            for (; i < b; i++) dst[i] = src[i] * sc * w[i];
        }
        // U = X̃·R⁻¹ in place, last column first (column k needs the original columns a ≤ k).
        for (long k = r - 1; k >= 0; k--) {
            double *uk = work + k * b;
            v4d d = splat(rinv[k + k * r]);
            long i = 0;
            for (; i + 4 <= b; i += 4) st4(uk + i, ld4(uk + i) * d);
            for (; i < b; i++) uk[i] *= rinv[k + k * r];
            for (long a = 0; a < k; a++) {
                double c = rinv[a + k * r];
                if (c == 0) continue;
                const double *xa = work + a * b;
                v4d cv = splat(c);
                i = 0;
                for (; i + 4 <= b; i += 4) st4(uk + i, ld4(uk + i) + cv * ld4(xa + i));
                for (; i < b; i++) uk[i] += c * xa[i];
            }
        }
        // meat += UᵀU (upper triangle): column a against four columns k…k+3 per pass (5 loads per 4
        // multiply-adds instead of 8), two accumulators per product.
        for (long a = 0; a < r; a++) {
            const double *ua = work + a * b;
            long k = a;
            for (; k + 4 <= r; k += 4) {
                const double *u0 = work + k * b, *u1 = u0 + b, *u2 = u1 + b, *u3 = u2 + b;
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
            for (; k < r; k++) meat[a + k * r] += dot(ua, work + k * b, b);
        }
    }
}

SHK_INLINE void meat_body(const double *const *cols, const double *scale, const double *wt, const double *rinv,
                          long r, long n, double *meat, double *work) {
    for (long start = 0; start < n; start += 256) {
        long b = n - start < 256 ? n - start : 256;
        meat_block(cols, start, b, scale, wt + start, rinv, r, meat, work);
    }
}

// HC0/HC1 with the residuals fused in: per 256-row sub-block, e = y − Xβ (same per-row arithmetic as
// residuals_body), √ωᵢ·(row weight) = |eᵢ|·swᵢ²·c, then the meat from the same rows while they are in L1 —
// one read of X per block instead of two.
SHK_INLINE void meat_hc_body(const double *const *all, long p, const double *beta, const double *y,
                             const double *sw, double c, const double *const *cols, const double *scale,
                             const double *rinv, long r, long n, double *meat, double *work) {
    double *e = work + 256 * r;
    for (long start = 0; start < n; start += 256) {
        long b = n - start < 256 ? n - start : 256;
        residual_block(all, beta, p, y, start, b, e);
        if (sw) {
            for (long i = 0; i < b; i++) { double w = sw[start + i] * sw[start + i]; e[i] = fabs(e[i]) * w * c; }
        } else {
            for (long i = 0; i < b; i++) e[i] = fabs(e[i]) * 1.0 * c;
        }
        meat_block(cols, start, b, scale, e, rinv, r, meat, work);
    }
}

static void meat_base(const double *const *cols, const double *scale, const double *wt, const double *rinv, long r,
                      long n, double *meat, double *work) {
    meat_body(cols, scale, wt, rinv, r, n, meat, work);
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
                          long b, double *blk, double *work) {
    return fill_fold_body(r, m, cols, scale, sw, b, blk, work);
}

#ifdef SHK_X86
__attribute__((target("avx2,fma"))) static int fold_avx2(double *r, long m, double *blk, long b, long ld,
                                                          double *work) {
    return fold_body(r, m, blk, b, ld, work);
}
__attribute__((target("avx2,fma"))) static int fill_fold_avx2(double *r, long m, const double *const *cols,
                                                               const double *scale, const double *sw, long b,
                                                               double *blk, double *work) {
    return fill_fold_body(r, m, cols, scale, sw, b, blk, work);
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
__attribute__((target("avx2,fma"))) static void meat_avx2(const double *const *cols, const double *scale,
                                                          const double *wt, const double *rinv, long r, long n,
                                                          double *meat, double *work) {
    meat_body(cols, scale, wt, rinv, r, n, meat, work);
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
                      long rows, double *block, double *work) {
#ifdef SHK_X86
    if (shk_variant()) return fill_fold_avx2(r, m, columns, scale, sqrtw, rows, block, work);
#endif
    return fill_fold_base(r, m, columns, scale, sqrtw, rows, block, work);
}

void shk_residuals(const double *const *columns, const double *beta, long p, const double *y, long rows, double *e) {
#ifdef SHK_X86
    if (shk_variant()) { residuals_avx2(columns, beta, p, y, rows, e); return; }
#endif
    residuals_base(columns, beta, p, y, rows, e);
}

void shk_sandwich_meat(const double *const *columns, const double *scale, const double *wt, const double *rinv,
                       long r, long rows, double *meat, double *work) {
#ifdef SHK_X86
    if (shk_variant()) { meat_avx2(columns, scale, wt, rinv, r, rows, meat, work); return; }
#endif
    meat_base(columns, scale, wt, rinv, r, rows, meat, work);
}

void shk_sandwich_meat_hc01(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                            double c, const double *const *columns, const double *scale, const double *rinv, long r,
                            long rows, double *meat, double *work) {
#ifdef SHK_X86
    if (shk_variant()) { meat_hc_avx2(all, p, beta, y, sw, c, columns, scale, rinv, r, rows, meat, work); return; }
#endif
    meat_hc_base(all, p, beta, y, sw, c, columns, scale, rinv, r, rows, meat, work);
}
