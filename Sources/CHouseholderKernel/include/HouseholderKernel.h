// The inner kernel of SurveyStats' tall-skinny QR (see ../README.md for why it is C).
#ifndef SURVEYSTATS_HOUSEHOLDER_KERNEL_H
#define SURVEYSTATS_HOUSEHOLDER_KERNEL_H

#ifdef __cplusplus
extern "C" {
#endif

/// Folds the `rows` × `m` block (column-major, leading dimension `ld`; destroyed) into the m × m upper
/// triangular `r` (column-major) by the structured Householder QR of [R; B] (LAPACK dtpqrt with l = 0, nb = 4:
/// panels of four reflectors applied to the later columns in compact WY form).
/// `work` must hold 6·m doubles. Returns 1 on success; 0, with `r` unchanged, when a column's sum of squares
/// of [R; B] is not finite, above 1e280, below 1e-280 while nonzero, or underflows to zero for a nonzero
/// column: the caller must then use a scaling algorithm (LAPACK dtpqrt).
int shk_fold(double *r, long m, double *block, long rows, long ld, double *work);

/// Column pointers: in `shk_fill_and_fold`, `shk_residuals`, `shk_fitted_moments` and the sandwich meats a NULL
/// column pointer (not the response's) stands for a column of ones — the intercept, read from no memory; results
/// are bit for bit those of a stored column of ones.

/// Fills `block` (column-major, leading dimension `rows`) with column j = columns[j][i] · scale[j] · sqrtw[i]
/// (scale and/or sqrtw may be NULL for ones) and folds it into `r` as `shk_fold` does; the copy pass also takes
/// the range check's sums of squares and the first step's dot products. On a 0 return `r` is unchanged and
/// `block` holds the filled rows (for the caller's dtpqrt). `work` must hold 6·m doubles.
/// `moments` (NULL, or 3 doubles holding an origin K in moments[0] on entry) receives, also on a 0 return, the
/// weighted moments of the last column's values v = columns[m−1][i]·scale[m−1] − K with weights sqrtw[i]² (ones
/// when NULL): Σw, the weighted mean of v, and Σw·(v − mean)², by the corrected two-pass algorithm over the
/// block's rows.
int shk_fill_and_fold(double *r, long m, const double *const *columns, const double *scale, const double *sqrtw,
                      long rows, double *block, double *work, double *moments);

/// Residuals e[i] = y[i] − Σⱼ columns[j][i]·beta[j] for `rows` rows, j in ascending order (terms with
/// beta[j] = 0 skipped), column by column over blocks of rows that stay in L1. Each row's arithmetic is the
/// same whatever `rows` and the row offset, so residuals of a block equal those of the whole array.
void shk_residuals(const double *const *columns, const double *beta, long p, const double *y, long rows, double *e);

/// The fitted values' weighted moments per 256-row block: for block k (rows 256k…), f = y − e with e = y − Xβ as
/// `shk_residuals` forms it, and blocks[3k], blocks[3k+1], blocks[3k+2] = Σw, the weighted mean of f − origin and
/// Σw·(f − origin − mean)² (corrected two-pass; weights sqrtw², ones when NULL). `blocks` holds 3·⌈rows/256⌉
/// doubles, `work` 256; the caller merges the blocks in order (Chan, Golub & LeVeque).
void shk_fitted_moments(const double *const *columns, const double *beta, long p, const double *y, const double *sqrtw,
                        long rows, double origin, double *blocks, double *work);

/// The HC0/HC1 sandwich's meat, with the residuals fused in (one read of the rows): per 256-row sub-block,
/// e = y − Xβ over all `p` columns `all` (as `shk_residuals`, bit for bit), wtᵢ = |eᵢ|·swᵢ²·c (swᵢ = 1 when
/// `sw` is NULL; c = 1 for HC0, √(n/(n−r)) for HC1), U = diag(wt)·[columns[a][i]·scale[a]]·rinv over the kept
/// `columns` (rinv r × r upper triangular, column-major), and meat (r × r, column-major; upper triangle
/// accumulated) += UᵀU. `work` must hold shk_meat_work_doubles(r) doubles.
long shk_meat_work_doubles(long r);

void shk_sandwich_meat_hc01(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                            double c, const double *const *columns, const double *scale, const double *rinv, long r,
                            long rows, double *meat, double *work);

/// The HC2/HC3 meat, residuals and leverages fused in: per 256-row sub-block, e = y − Xβ (as `shk_residuals`),
/// U = diag(sw)·[columns[a][i]·scale[a]]·rinv (sw = ones when NULL), leverages[i] = hᵢ = ‖uᵢ‖², the rows of U
/// scaled by |eᵢ·swᵢ|/√(1 − hᵢ) (HC2, `hc3` = 0) or |eᵢ·swᵢ|/(1 − hᵢ) (HC3), and meat (upper triangle) += UᵀU.
/// `leverages` holds `rows` doubles; `work` shk_meat_work_doubles(r). Returns 0 if some hᵢ ≥ 1 − 1e-12 (the
/// estimator is undefined; that row is left out of the meat), else 1.
int shk_sandwich_meat_hc23(const double *const *all, long p, const double *beta, const double *y, const double *sw,
                           int hc3, const double *const *columns, const double *scale, const double *rinv, long r,
                           long rows, double *meat, double *leverages, double *work);

/// The preconditioned Gram reduction (Cholesky QR with a preconditioner P): for a block of `rows` rows,
/// Y = X̃·P⁻¹ by forward substitution per row (X̃: column j = columns[j][i]·scale[j]·sqrtw[i], as in
/// `shk_fill_and_fold`; NULL column = ones, NULL scale/sqrtw = ones) is written to `block` (64-byte aligned,
/// leading dimension `rows` rounded up to 8, 4·⌈m/4⌉ columns) and YᵀY's products are added to the vector
/// `accumulators` (zeroed, shk_gram_accumulator_doubles(m) doubles, 64-byte aligned). `shk_gram_flush` adds the
/// accumulators to `gram` (m × m, column-major, upper triangle) by Neumaier-compensated addition with
/// `compensation` (same shape; the sum is gram + compensation) and zeroes them: call it every few blocks (8 keeps
/// each partial sum's chain at 256 terms) and at the end, at fixed points, so that the result is deterministic.
/// `packed`/`inverseDiagonal` come from `shk_gram_coefficients(P)`. `moments` as in `shk_fill_and_fold`.
/// Non-finite values are not checked here: they make the Gram non-finite. The variant must not change between
/// the calls of one reduction (`shk_force_variant`).
void shk_fill_gram(double *accumulators, long m, const double *const *columns, const double *scale,
                   const double *sqrtw, long rows, const double *packed, const double *inverseDiagonal, double *block,
                   double *moments);

void shk_gram_flush(double *accumulators, long m, double *gram, double *compensation);

/// Doubles of the accumulators for m columns.
long shk_gram_accumulator_doubles(long m);

/// Doubles of `packed` for m columns: 4·m·⌈m/4⌉.
long shk_gram_packed_doubles(long m);

/// P (m × m upper triangular, column-major, nonzero diagonal) packed for `shk_fill_gram`.
void shk_gram_coefficients(const double *p, long m, double *packed, double *inverseDiagonal);

/// The index of the first value of x[0..<n) that is NaN or ±∞, or −1 if there is none (a vectorised read).
long shk_first_nonfinite(const double *x, long n);

/// The kernel variant in use: 2 = AVX-512 (F, DQ, VL; eight doubles per vector), 1 = AVX2+FMA, 0 = portable
/// baseline. The best the CPU and OS support, unless capped by `shk_force_variant`.
int shk_variant(void);

/// The best variant this CPU and OS support, whatever the cap.
int shk_best_variant(void);

/// Testing switch: caps the variant the entry points dispatch to at `cap` (0 = baseline, 1 = at most AVX2,
/// 2 = no cap), so the tests run every variant the machine has; returns the previous cap. Not thread-safe
/// against concurrent folds (set it before, not during, a fit).
int shk_force_variant(int cap);

#ifdef __cplusplus
}
#endif
#endif
