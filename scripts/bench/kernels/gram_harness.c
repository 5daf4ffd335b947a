// The fold kernels linked alone: ns per row of shk_fill_and_fold (Householder) and shk_fill_gram (preconditioned
// Cholesky QR) over n synthetic rows × 12 columns (intercept, 10 predictors, y), streamed from memory, and the two
// R factors compared. THREADS=2 splits the rows between two threads (gram, then Householder). PROFILE.md §3i.
// K=Sources/CHouseholderKernel; clang -O2 -Wno-psabi -I$K/include -I$K scripts/bench/kernels/gram_harness.c \
//   $K/HouseholderKernel.c $K/HouseholderKernelAVX512.c -lm -lpthread -o /tmp/gram_harness && /tmp/gram_harness 2000000 3
#include "HouseholderKernel.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static unsigned long long s=88172645463325252ULL;
static double urand(void){s^=s<<13;s^=s>>7;s^=s<<17;return (s>>11)*(1.0/9007199254740992.0);}
static double nrand(void){double u=urand()+1e-300,v=urand();return sqrt(-2*log(u))*cos(6.283185307179586*v);}
// Cholesky (upper) of symmetric g (upper triangle), in place; returns 0 on failure
static int chol(double *g,long m){for(long j=0;j<m;j++){double d=g[j+j*m];for(long k=0;k<j;k++)d-=g[k+j*m]*g[k+j*m];if(!(d>0))return 0;d=sqrt(d);g[j+j*m]=d;for(long i=j+1;i<m;i++){double t=g[j+i*m];for(long k=0;k<j;k++)t-=g[k+j*m]*g[k+i*m];g[j+i*m]=t/d;}for(long i=0;i<j;i++)g[j+i*m]=0;}return 1;}
#include <pthread.h>
typedef struct {double **cols; long lo, hi, m, B; const double *packed, *inv; double secs;} job;
static void *runjob(void *a){ job *j=a; long m=j->m,B=j->B; double *blk=aligned_alloc(64,B*16*8); double *acc=aligned_alloc(64,8*shk_gram_accumulator_doubles(m)); memset(acc,0,8*shk_gram_accumulator_doubles(m));
  double G[256]={0},C[256]={0}; const double *cp[64]; long nb=0; double t0=now();
  for(long st=j->lo;st<j->hi;st+=B){long b=j->hi-st<B?j->hi-st:B;for(long q=0;q<m;q++)cp[q]=j->cols[q]?j->cols[q]+st:NULL;shk_fill_gram(acc,m,cp,NULL,NULL,b,j->packed,j->inv,blk,NULL);if(++nb%8==0)shk_gram_flush(acc,m,G,C);}
  j->secs=now()-t0; return 0;}
static void *runhh(void *a){ job *j=a; long m=j->m,B=j->B; double *blk=aligned_alloc(64,B*16*8); double work[6*64]; double R[256]={0}; const double *cp[64]; double t0=now();
  for(long st=j->lo;st<j->hi;st+=B){long b=j->hi-st<B?j->hi-st:B;for(long q=0;q<m;q++)cp[q]=j->cols[q]?j->cols[q]+st:NULL;shk_fill_and_fold(R,m,cp,NULL,NULL,b,blk,work,NULL);}
  j->secs=now()-t0; return 0;}
int main(int argc,char**argv){
  long n=argc>1?atol(argv[1]):2000000; int reps=argc>2?atoi(argv[2]):3; long B=argc>3?atol(argv[3]):256;
  long p=11,m=12; // intercept (NULL) + 10 x + y
  double **cols=malloc(sizeof(double*)*m);
  for(long j=1;j<m;j++){cols[j]=aligned_alloc(64,((n*8+63)/64)*64);}
  for(long i=0;i<n;i++){double y=1;for(long j=1;j<p;j++){double x=(j%2)?(urand()<0.3):nrand()*2+j;cols[j][i]=x;y+=0.5*j*x;}cols[m-1][i]=y+nrand();}
  cols[0]=NULL;
  double *blk=aligned_alloc(64,B*16*8), work[6*16];
  // preconditioner from sampled rows: 32 stripes of 64 rows
  double R0[144]={0}; long stripes=32,sr=64; double *sb=aligned_alloc(64,sr*stripes*m*8);long k=sr*stripes;
  for(long t=0;t<stripes;t++){long st=(n-sr)*t/(stripes-1);for(long j=0;j<m;j++)for(long i=0;i<sr;i++)sb[t*sr+i+j*k]=cols[j]?cols[j][st+i]:1.0;}
  if(!shk_fold(R0,m,sb,k,k,work)){printf("fold fail\n");return 1;}
  double packed[4*12*3],inv[12]; shk_gram_coefficients(R0,m,packed,inv);
  const double *cp[16];
  if(getenv("THREADS")){int nt=atoi(getenv("THREADS"));pthread_t th[4];job jb[4];
    for(int r=0;r<reps;r++){ for(int hh=0;hh<2;hh++){ double t0=now();
      for(int q=0;q<nt;q++){jb[q]=(job){cols,n*q/nt,n*(q+1)/nt,m,B,packed,inv,0};pthread_create(&th[q],0,hh?runhh:runjob,&jb[q]);}
      for(int q=0;q<nt;q++)pthread_join(th[q],0);
      double w=now()-t0; printf("%s threads=%d wall %.1f ms  per-thread ns/row %.2f %.2f\n",hh?"householder":"gram",nt,w*1e3,jb[0].secs/(n/nt)*1e9,nt>1?jb[1].secs/(n/nt)*1e9:0);}}
    return 0;}
  double Rh[144],G[144],C[144]; double *acc=aligned_alloc(64,8*shk_gram_accumulator_doubles(m));
  for(int r=0;r<reps;r++){
    memset(Rh,0,sizeof Rh);
    double t0=now();
    for(long st=0;st<n;st+=B){long b=n-st<B?n-st:B;for(long j=0;j<m;j++)cp[j]=cols[j]?cols[j]+st:NULL;shk_fill_and_fold(Rh,m,cp,NULL,NULL,b,blk,work,NULL);}
    double t1=now();
    memset(G,0,sizeof G);memset(C,0,sizeof C);memset(acc,0,8*shk_gram_accumulator_doubles(m));long nb=0;
    for(long st=0;st<n;st+=B){long b=n-st<B?n-st:B;for(long j=0;j<m;j++)cp[j]=cols[j]?cols[j]+st:NULL;shk_fill_gram(acc,m,cp,NULL,NULL,b,packed,inv,blk,NULL);if(++nb%8==0)shk_gram_flush(acc,m,G,C);}
    shk_gram_flush(acc,m,G,C);
    double t2=now();
    printf("householder %.2f ns/row   gram %.2f ns/row\n",(t1-t0)/n*1e9,(t2-t1)/n*1e9);
  }
  for(int q=0;q<144;q++)G[q]+=C[q];
  if(!chol(G,m)){printf("chol fail\n");return 1;}
  // cond of RY via diag ratio (rough)
  double dmin=1e300,dmax=0;for(long j=0;j<m;j++){double d=G[j+j*m];if(d<dmin)dmin=d;if(d>dmax)dmax=d;}
  // R = RY * R0
  double R[144]={0};for(long i=0;i<m;i++)for(long j=i;j<m;j++){double t=0;for(long q=i;q<=j;q++)t+=G[i+q*m]*R0[q+j*m];R[i+j*m]=t;}
  double worst=0;for(long i=0;i<m;i++){double sg=(Rh[i+i*m]<0)?-1:1;for(long j=i;j<m;j++){double a=sg*Rh[i+j*m],b=R[i+j*m];double scale=fabs(Rh[j+j*m]);for(long q=0;q<j;q++)scale=fmax(scale,fabs(Rh[q+j*m]));double e=fabs(a-b)/scale;if(e>worst)worst=e;}}
  printf("RY diag ratio %.3f; max |R_gram - R_hh| / column scale = %.3g\n",dmax/dmin,worst);
}
