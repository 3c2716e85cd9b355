// Pango (text layout, Japanese line breaking) over Cairo (PDF surface with embedded fonts).
#include <pango/pangocairo.h>
#include <cairo-pdf.h>
