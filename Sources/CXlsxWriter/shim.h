// Thin shim over Debian's libxlsxwriter-dev.
#ifndef CXLSXWRITER_SHIM_H
#define CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
