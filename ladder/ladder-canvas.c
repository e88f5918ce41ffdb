/* sipladder: the canvas interface shared by the cairo and SVG
 * implementations (ladder-canvas-cairo.c, ladder-canvas-svg.c). */
#include "ladder-canvas.h"

/* Frees @c through its implementation; NULL is ignored. A cairo canvas
 * leaves its (borrowed) cairo context alone. */
void
ladder_canvas_free(LadderCanvas *c)
{
    if (c == NULL)
        return;
    g_return_if_fail(c->funcs != NULL && c->funcs->free != NULL);
    c->funcs->free(c);
}
