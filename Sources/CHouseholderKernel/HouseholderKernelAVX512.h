// The AVX-512 instantiation of the kernel (HouseholderKernelAVX512.c), called by HouseholderKernel.c's
// dispatch only when CPUID and the OS report AVX-512F/DQ/VL with the ZMM state saved. Not a public header.
#ifndef SURVEYSTATS_HOUSEHOLDER_KERNEL_AVX512_H
#define SURVEYSTATS_HOUSEHOLDER_KERNEL_AVX512_H

#if (defined(__x86_64__) || defined(__i386__)) && defined(__clang__)
#define SHK_HAVE_AVX512 1
#define SHK_HIDDEN __attribute__((visibility("hidden")))
SHK_HIDDEN int shk_fold_avx512(double *r, long m, double *blk, long b, long ld, double *work);
SHK_HIDDEN int shk_fill_fold_avx512(double *r, long m, const double *const *cols, const double *scale,
                                    const double *sw, long b, double *blk, double *work, double *moments);
SHK_HIDDEN void shk_residuals_avx512(const double *const *cols, const double *beta, long p, const double *y, long n,
                                     double *e);
SHK_HIDDEN int shk_meat_hc23_avx512(const double *const *all, long p, const double *beta, const double *y,
                                    const double *sw, int hc3, const double *const *cols, const double *scale,
                                    const double *rinv, long r, long n, double *meat, double *lev, double *work);
SHK_HIDDEN void shk_fitted_moments_avx512(const double *const *all, const double *beta, long p, const double *y,
                                          const double *sw, long n, double origin, double *blocks, double *e);
SHK_HIDDEN void shk_meat_hc_avx512(const double *const *all, long p, const double *beta, const double *y,
                                   const double *sw, double c, const double *const *cols, const double *scale,
                                   const double *rinv, long r, long n, double *meat, double *work);
SHK_HIDDEN void shk_fill_gram_avx512(double *acc, long m, const double *const *cols, const double *scale,
                                     const double *sw, long b, const double *cp, const double *inv, double *blk,
                                     double *moments);
SHK_HIDDEN void shk_gram_flush_avx512(double *acc, long m, double *gm, double *gc);
#endif

#endif
