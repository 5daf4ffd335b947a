// The kernel body with eight doubles per vector (one ZMM register), compiled for AVX-512F/DQ/VL + FMA. Every
// function of this file carries that target, so nothing here may run unless HouseholderKernel.c's dispatch has
// checked the CPU (shk_variant() == 2). Each loop does twice the work per instruction of the AVX2 variant;
// the rows per block and the order of the Householder steps are the same, the lanes of each sum differ.
#include "HouseholderKernelAVX512.h"

#ifdef SHK_HAVE_AVX512
#pragma clang diagnostic ignored "-Wpsabi"
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#define SHK_VW 8
#include "HouseholderKernelBody.h"
SHK_DEFINE_ENTRY_POINTS(SHK_HIDDEN, avx512)
#pragma clang attribute pop
#endif
