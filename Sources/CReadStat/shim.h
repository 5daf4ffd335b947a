// Thin shim over Debian's libreadstat-dev (SPSS .sav/.zsav/.por, Stata .dta, SAS .sas7bdat).
#ifndef CREADSTAT_SHIM_H
#define CREADSTAT_SHIM_H
#include <readstat.h>
#endif
