// The preconditioned Gram kernel's two loops (substitution, Gram tiles) and the Householder fill-and-fold on one
// L1-resident block, ns per row (AVX-512 body). PROFILE.md §3i.
// K=Sources/CHouseholderKernel; clang -O2 -Wno-psabi -I$K/include -I$K scripts/bench/kernels/gram_parts.c -lm -o /tmp/gram_parts && /tmp/gram_parts 256
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#pragma clang attribute push(__attribute__((target("avx512f,avx512dq,avx512vl,avx2,fma"))), apply_to = function)
#define SHK_VW 8
#include "HouseholderKernelBody.h"
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  long B=argc>1?atol(argv[1]):256, m=12, reps=20000;
  double **cols=malloc(sizeof(double*)*m); double *P=calloc(m*m,8);
  for(long j=0;j<m;j++){cols[j]=aligned_alloc(64,B*8);for(long i=0;i<B;i++)cols[j][i]=(double)rand()/RAND_MAX;}
  for(long j=0;j<m;j++){for(long i=0;i<j;i++)P[i+j*m]=0.01*(i+1);P[j+j*m]=1+j;}
  double cp[4*12*3],inv[12]; solve_coefficients(P,m,cp,inv);
  double *blk=aligned_alloc(64,B*16*8), G[144]={0},C[144]={0}; double *acc=aligned_alloc(64,8*16*8*6); memset(acc,0,8*16*8*6);
  for(int r=0;r<3;r++){
  double t0=now();
  for(long q=0;q<reps;q++) solve_fill((const double*const*)cols,NULL,NULL,B,B,cp,inv,m,blk,B);
  double t1=now();
  for(long q=0;q<reps;q++) gram_tiles(blk,B,B,m,acc,NULL);
  double t2=now();
  double work[100];
  for(long q=0;q<reps;q++) fill_fold_body(G,m,(const double*const*)cols,NULL,NULL,B,blk,work,NULL);
  double t3=now();
  printf("solve %.2f ns/row  gram %.2f ns/row   householder fill+fold %.2f ns/row (L1)\n",(t1-t0)/(B*reps)*1e9,(t2-t1)/(B*reps)*1e9,(t3-t2)/(B*reps)*1e9);}
  return (int)G[0]&1;
}
#pragma clang attribute pop
