// Peak double-precision multiply–add rate of this machine: 12 independent 8-wide FMA chains per thread.
// Build and run (PROFILE.md §3i):  clang -O2 -mavx512f -mfma fma_peak.c -o fma_peak -lpthread && ./fma_peak 1 && ./fma_peak 2
// Peak double-precision FMA rate: 12 independent 8-wide FMA chains per thread.
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static long iters = 200000000;
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static void *run(void *arg){
  __m512d a[12]; __m512d m=_mm512_set1_pd(0.999999), c=_mm512_set1_pd(1e-7);
  for(int i=0;i<12;i++) a[i]=_mm512_set1_pd(1.0+i);
  for(long k=0;k<iters;k++){
    #pragma GCC unroll 12
    for(int i=0;i<12;i++) a[i]=_mm512_fmadd_pd(a[i],m,c);
  }
  double s=0; for(int i=0;i<12;i++) s+=_mm512_reduce_add_pd(a[i]);
  *(double*)arg=s; return 0;
}
int main(int argc,char**argv){
  int nt=argc>1?atoi(argv[1]):1; if(argc>2) iters=atol(argv[2]);
  pthread_t th[8]; double out[8];
  double t0=now();
  for(int i=0;i<nt;i++) pthread_create(&th[i],0,run,&out[i]);
  for(int i=0;i<nt;i++) pthread_join(th[i],0);
  double t=now()-t0;
  double fma=(double)iters*12*8*nt;
  printf("threads=%d time=%.3fs  %.1f double FMA/ns total, %.1f per thread (checksum %g)\n",nt,t,fma/t*1e-9,fma/t*1e-9/nt,out[0]);
}
